import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CollaborationListItem, ExperimentListItem, ExperimentView, LearningItem, ListPage, ProjectionStatus } from '#projections';
import { SignedIn } from '../auth/access.decorators.js';
import { requirePrincipal, type Principal } from '../auth/principal.js';
import { InternalApi, withQuery } from './internal-api.js';
import { doneNotice, learningCard, read, readOrNull } from './page-helpers.js';
import { chrome, sendPage, t } from './web-chrome.js';
import { WebExceptionFilter } from './web-exception.filter.js';

/** How many of a lead's experiments the dashboard looks into for deadlines. */
const DUE_LOOKUPS = 20;

interface Health {
  status: 'ok' | 'degraded';
  store: { kind: string; lastPosition: number | null };
  projections: ProjectionStatus[];
}

/** The overview after signing in, per role. */
@ApiExcludeController()
@Controller()
@SignedIn()
@UseFilters(WebExceptionFilter)
export class DashboardController {
  constructor(private readonly api: InternalApi) {}

  @Get()
  async dashboard(@Req() request: FastifyRequest, @Query('done') done: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const principal = requirePrincipal(request);
    const model =
      principal.role === 'lead'
        ? { lead: await this.lead(request, principal) }
        : principal.role === 'partner'
          ? { partner: await this.partner(request) }
          : { staff: await this.staff(request) };
    return sendPage(reply, 'dashboard', chrome(request, t(request, 'dashboard.title'), doneNotice(request, done)), model);
  }

  private async lead(request: FastifyRequest, principal: Principal) {
    if (principal.personId === null) return { noPerson: true, running: [], designed: [], due: [] };
    const mine = (status: string) =>
      read<ListPage<ExperimentListItem>>(this.api, request, withQuery('/api/experiments', { leadId: principal.personId, status, limit: 50 }));
    const [running, designed] = await Promise.all([mine('running'), mine('designed')]);
    const open = [...running.items, ...designed.items].slice(0, DUE_LOOKUPS);
    const views = await Promise.all(open.map((item) => readOrNull<ExperimentView>(this.api, request, `/api/experiments/${item.id}`)));
    const deadlines = new Map(views.filter((view): view is ExperimentView => view !== null).map((view) => [view.id, view.deadline]));
    const today = new Date().toISOString().slice(0, 10);
    const entry = (item: ExperimentListItem) => ({ href: `/experiments/${item.id}`, title: item.title, deadline: deadlines.get(item.id) ?? null });
    const due = open
      .map(entry)
      .filter((item) => item.deadline !== null)
      .sort((a, b) => String(a.deadline).localeCompare(String(b.deadline)))
      .map((item) => ({ ...item, overdue: String(item.deadline) < today }));
    return { noPerson: false, running: running.items.map(entry), designed: designed.items.map(entry), due };
  }

  private async partner(request: FastifyRequest) {
    const [collaborations, experiments] = await Promise.all([
      read<ListPage<CollaborationListItem>>(this.api, request, '/api/collaborations?limit=50'),
      read<ListPage<ExperimentListItem>>(this.api, request, '/api/experiments?limit=50'),
    ]);
    return {
      collaborations: collaborations.items.map((item) => ({ href: `/collaborations/${item.id}`, title: item.title, status: item.status })),
      experiments: experiments.items.map((item) => ({ href: `/experiments/${item.id}`, title: item.title, status: item.status })),
    };
  }

  private async staff(request: FastifyRequest) {
    const [learnings, health] = await Promise.all([
      read<ListPage<LearningItem>>(this.api, request, '/api/learnings?limit=5'),
      this.api.get<Health>(request, '/health'),
    ]);
    return {
      learnings: learnings.items.map(learningCard),
      healthy: health.json?.status === 'ok',
      store: { kind: health.json?.store.kind ?? '?', lastPosition: health.json?.store.lastPosition ?? '?' },
      projections: (health.json?.projections ?? []).map((p) => ({ name: p.name, state: p.state, lag: p.lag ?? '?' })),
    };
  }
}
