import { Controller, Get, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {
  CollaborationListItem,
  CollaborationView,
  ExperimentView,
  GatheringListItem,
  GatheringView,
  ListPage,
  NetworkListItem,
  NetworkView,
  OrganisationListItem,
  PersonListItem,
  PersonView,
} from '#projections';
import { COLLABORATION_LIST_STATUSES } from '#projections';
import { SignedIn } from '../auth/access.decorators.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { formatDate, translate, type MessageKey } from './i18n/messages.js';
import { InternalApi, withQuery } from './internal-api.js';
import { nextPageHref, param, read, readOrNull, timelineOf, travelFrom } from './page-helpers.js';
import { chrome, langOf, sendPage, t } from './web-chrome.js';
import { WebExceptionFilter } from './web-exception.filter.js';

type QueryParams = Record<string, unknown>;

/** Collaborations, networks, people and gatherings: lists, and pages with their timelines and time travel. */
@ApiExcludeController()
@Controller()
@SignedIn()
@UseFilters(WebExceptionFilter)
export class EntityPagesController {
  constructor(private readonly api: InternalApi) {}

  @Get('collaborations')
  async collaborations(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = langOf(request);
    const status = (COLLABORATION_LIST_STATUSES as readonly string[]).includes(param(query, 'status')) ? param(query, 'status') : '';
    return this.list<CollaborationListItem>(request, reply, query, 'collaborations', 'collaboration.list', { status }, (item) => ({
      title: item.title,
      status: translate(lang, `status.${item.status}` as MessageKey),
      themes: item.themes,
    }), COLLABORATION_LIST_STATUSES.map((value) => ({ value, label: translate(lang, `status.${value}`), selected: value === status })));
  }

  @Get('networks')
  networks(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.list<NetworkListItem>(request, reply, query, 'networks', 'network.list', {}, (item) => ({ title: item.name, meta: item.kind }));
  }

  @Get('people')
  people(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.list<PersonListItem>(request, reply, query, 'people', 'person.list', {}, (item) => ({ title: item.name ?? '—' }));
  }

  @Get('gatherings')
  gatherings(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = langOf(request);
    return this.list<GatheringListItem>(request, reply, query, 'gatherings', 'gathering.list', {}, (item) => ({
      title: item.title,
      meta: `${item.kind} · ${formatDate(lang, item.heldOn)}`,
    }));
  }

  @Get('collaborations/:id')
  async collaboration(@Param('id', EntityIdPipe) id: string, @Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const travel = travelFrom(request, query);
    const c = await read<CollaborationView>(this.api, request, withQuery(`/api/collaborations/${id}`, travel.query));
    const [timeline, names, experiments] = await Promise.all([
      timelineOf(this.api, request, 'collaborations', id, travel),
      this.organisationNames(request),
      Promise.all(c.attachedExperimentIds.map((experimentId) => readOrNull<ExperimentView>(this.api, request, `/api/experiments/${experimentId}`))),
    ]);
    return sendPage(reply, 'collaboration', chrome(request, c.title), {
      c,
      travel,
      timeline,
      parties: c.parties.map((party) => ({ name: names.get(party.organisationId) ?? party.organisationId.slice(0, 8), role: party.role })),
      initiatives: c.initiatives,
      learnings: c.learnings,
      experiments: experiments.filter((e): e is ExperimentView => e !== null).map((e) => ({ href: `/experiments/${e.id}`, title: e.title })),
      reportHref: withQuery(`/api/reports/collaborations/${id}`, { format: 'html', lang: langOf(request) }),
    });
  }

  @Get('networks/:id')
  async network(@Param('id', EntityIdPipe) id: string, @Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const travel = travelFrom(request, query);
    const n = await read<NetworkView>(this.api, request, withQuery(`/api/networks/${id}`, travel.query));
    const [timeline, names, people] = await Promise.all([
      timelineOf(this.api, request, 'networks', id, travel),
      this.organisationNames(request),
      this.personNames(request),
    ]);
    const current = <T extends { leftAt: string | null }>(items: T[]) => items.filter((item) => item.leftAt === null);
    return sendPage(reply, 'network', chrome(request, n.name), {
      n,
      travel,
      timeline,
      leadName: n.lead ? (names.get(n.lead.organisationId) ?? null) : null,
      partners: current(n.partners).map((p) => names.get(p.organisationId) ?? p.organisationId.slice(0, 8)),
      members: current(n.members).map((m) => ({ href: `/people/${m.personId}`, name: people.get(m.personId) ?? m.personId.slice(0, 8) })),
      learnings: n.learnings,
      chartSrc: withQuery(`/api/reports/networks/${id}/growth`, { format: 'svg', lang: langOf(request) }),
    });
  }

  @Get('people/:id')
  async person(@Param('id', EntityIdPipe) id: string, @Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const travel = travelFrom(request, query);
    const p = await read<PersonView>(this.api, request, withQuery(`/api/people/${id}`, travel.query));
    const [timeline, names] = await Promise.all([timelineOf(this.api, request, 'people', id, travel), this.organisationNames(request)]);
    return sendPage(reply, 'person', chrome(request, p.name ?? '—'), {
      p,
      travel,
      timeline,
      roles: p.roles.map((role) => ({ ...role, organisation: names.get(role.organisationId) ?? role.organisationId.slice(0, 8) })),
    });
  }

  @Get('gatherings/:id')
  async gathering(@Param('id', EntityIdPipe) id: string, @Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const travel = travelFrom(request, query);
    const g = await read<GatheringView>(this.api, request, withQuery(`/api/gatherings/${id}`, travel.query));
    const timeline = await timelineOf(this.api, request, 'gatherings', id, travel);
    return sendPage(reply, 'gathering', chrome(request, g.title), { g, travel, timeline, insights: g.insights });
  }

  private async list<T extends { id: string }>(
    request: FastifyRequest,
    reply: FastifyReply,
    query: QueryParams,
    collection: string,
    heading: MessageKey,
    filters: Record<string, string>,
    item: (entry: T) => Record<string, unknown>,
    statuses?: Array<{ value: string; label: string; selected: boolean }>,
  ): Promise<string> {
    const q = param(query, 'q');
    const page = await read<ListPage<T>>(this.api, request, withQuery(`/api/${collection}`, { ...filters, q, limit: 25, cursor: param(query, 'cursor', 512) }));
    return sendPage(reply, 'list', chrome(request, t(request, heading)), {
      heading: t(request, heading),
      q,
      statuses,
      items: page.items.map((entry) => ({ href: `/${collection}/${entry.id}`, ...item(entry) })),
      next: nextPageHref(request, query, page.nextCursor),
    });
  }

  /** Names of the organisations the user may list (partners may list none: their pages show short ids). */
  private async organisationNames(request: FastifyRequest): Promise<Map<string, string>> {
    const page = await readOrNull<ListPage<OrganisationListItem>>(this.api, request, '/api/organisations?limit=200');
    return new Map((page?.items ?? []).map((item) => [item.id, item.name]));
  }

  private async personNames(request: FastifyRequest): Promise<Map<string, string>> {
    const page = await readOrNull<ListPage<PersonListItem>>(this.api, request, '/api/people?limit=200');
    return new Map((page?.items ?? []).filter((item) => item.name !== null).map((item) => [item.id, item.name as string]));
  }
}
