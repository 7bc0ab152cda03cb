import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LEARNING_DECISIONS } from '#domain';
import type { AuditEntry, CollaborationListItem, IntegrityReport, LearningItem, ListPage } from '#projections';
import { LEARNING_SOURCE_KINDS } from '#projections';
import { SignedIn } from '../auth/access.decorators.js';
import { requirePrincipal } from '../auth/principal.js';
import { pageLanguage, translate, type MessageKey } from './i18n/messages.js';
import { InternalApi, withQuery } from './internal-api.js';
import { learningCard, nextPageHref, param, read } from './page-helpers.js';
import { chrome, sendPage, t } from './web-chrome.js';
import { WebExceptionFilter } from './web-exception.filter.js';

type QueryParams = Record<string, unknown>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateParam = (query: QueryParams, name: string) => (DATE.test(param(query, name)) ? param(query, name) : '');
const oneOf = (query: QueryParams, name: string, values: readonly string[]) => (values.includes(param(query, name)) ? param(query, name) : '');

/** The learning library, the learning summary report and the audit trail. */
@ApiExcludeController()
@Controller()
@SignedIn()
@UseFilters(WebExceptionFilter)
export class LibraryPagesController {
  constructor(private readonly api: InternalApi) {}

  @Get('learnings')
  async library(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = pageLanguage(request);
    const filters = {
      q: param(query, 'q'),
      theme: param(query, 'theme', 80),
      source: oneOf(query, 'source', LEARNING_SOURCE_KINDS),
      decision: oneOf(query, 'decision', LEARNING_DECISIONS),
      from: dateParam(query, 'from'),
      to: dateParam(query, 'to'),
      includeRetracted: param(query, 'includeRetracted') === 'true',
    };
    const answer = await this.api.get<ListPage<LearningItem> & { detail?: string }>(
      request,
      withQuery('/api/learnings', { ...filters, limit: 20, cursor: param(query, 'cursor', 512) }),
    );
    const ok = answer.status === 200;
    return sendPage(
      reply,
      'library',
      chrome(request, t(request, 'library.title')),
      {
        filters,
        sources: LEARNING_SOURCE_KINDS.map((value) => ({ value, label: translate(lang, `source.${value}` as MessageKey), selected: value === filters.source })),
        decisions: LEARNING_DECISIONS.map((value) => ({ value, label: translate(lang, `decision.${value}` as MessageKey), selected: value === filters.decision })),
        items: ok ? answer.json.items.map(learningCard) : [],
        error: ok ? null : (answer.json?.detail ?? String(answer.status)),
        next: ok ? nextPageHref(request, query, answer.json.nextCursor) : null,
      },
      ok ? 200 : answer.status,
    );
  }

  @Get('reports')
  async report(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = pageLanguage(request);
    const partner = requirePrincipal(request).role === 'partner';
    const filters = {
      from: dateParam(query, 'from'),
      to: dateParam(query, 'to'),
      theme: param(query, 'theme', 80),
      collaborationId: /^[0-9a-f-]{36}$/i.test(param(query, 'collaborationId')) ? param(query, 'collaborationId').toLowerCase() : '',
    };
    const collaborations = await read<ListPage<CollaborationListItem>>(this.api, request, '/api/collaborations?limit=100');
    let model: Record<string, unknown> = {};
    let status = 200;
    if (param(query, 'generate') !== '') {
      const url = (format: string) => withQuery('/api/reports/learning-summary', { ...filters, lang, format });
      // The JSON form checks the filters (and a partner's scope) before any link is offered.
      const check = await this.api.get<{ detail?: string }>(request, url('json'));
      if (check.status === 200) {
        model = {
          previewSrc: url('html'),
          downloads: [
            { label: t(request, 'report.markdown'), href: url('md') },
            { label: t(request, 'report.html'), href: url('html') },
            { label: t(request, 'report.pdf'), href: url('pdf') },
          ],
        };
      } else {
        status = check.status;
        model = { error: check.status === 404 ? t(request, 'error.notFound') : (check.json?.detail ?? String(check.status)) };
      }
    }
    return sendPage(
      reply,
      'report',
      chrome(request, t(request, 'report.title')),
      {
        ...model,
        partner,
        filters,
        collaborations: collaborations.items.map((item) => ({ value: item.id, label: item.title, selected: item.id === filters.collaborationId })),
      },
      status,
    );
  }

  @Get('audit')
  audit(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.renderAudit(request, query, reply, false);
  }

  @Get('audit/verify')
  verify(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.renderAudit(request, query, reply, true);
  }

  private async renderAudit(request: FastifyRequest, query: QueryParams, reply: FastifyReply, verify: boolean): Promise<string> {
    const filters = {
      stream: param(query, 'stream', 120),
      type: param(query, 'type', 80),
      actor: param(query, 'actor', 80),
      from: dateParam(query, 'from'),
      to: dateParam(query, 'to'),
    };
    const [answer, verification] = await Promise.all([
      this.api.get<ListPage<AuditEntry> & { detail?: string }>(request, withQuery('/api/audit', { ...filters, limit: 50, cursor: param(query, 'cursor', 512) })),
      verify ? this.verification(request) : Promise.resolve(null),
    ]);
    const ok = answer.status === 200;
    return sendPage(
      reply,
      'audit',
      chrome(request, t(request, 'audit.title')),
      {
        filters,
        items: ok ? answer.json.items : [],
        error: ok ? null : (answer.json?.detail ?? String(answer.status)),
        next: ok ? nextPageHref(request, query, answer.json.nextCursor) : null,
        csvHref: withQuery('/api/audit', { ...filters, format: 'csv' }),
        exportHref: withQuery('/api/audit/export', filters),
        verification,
      },
      ok ? 200 : answer.status,
    );
  }

  private async verification(request: FastifyRequest): Promise<{ ok: boolean; message: string }> {
    const answer = await this.api.get<IntegrityReport & { detail?: string }>(request, '/api/audit/verify');
    if (answer.status !== 200) return { ok: false, message: t(request, 'form.failed', { detail: answer.json?.detail ?? answer.status }) };
    const report = answer.json;
    if (report.ok) return { ok: true, message: t(request, 'audit.verified', { events: report.events, streams: report.streams, position: report.position }) };
    const { problem } = report;
    return { ok: false, message: t(request, 'audit.broken', { kind: problem.kind, stream: problem.stream, position: problem.position, detail: problem.detail }) };
  }
}
