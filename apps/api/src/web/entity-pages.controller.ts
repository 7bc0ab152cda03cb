import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CollaborationListItem, GatheringListItem, ListPage, NetworkListItem, PersonListItem, PersonView } from '#projections';
import { COLLABORATION_LIST_STATUSES } from '#projections';
import { requirePrincipal } from '../auth/principal.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { WebPages } from './entity-form-pages.js';
import { renderCreate, submitCreate, type CreateForm } from './forms/form-pages.js';
import type { FormValues } from './forms/form-spec.js';
import { CREATE_FORMS } from './forms/work-forms.js';
import { formatDate, pageLanguage, translate, type MessageKey } from './i18n/messages.js';
import { InternalApi, withQuery } from './internal-api.js';
import { doneNotice, nameOr, nextPageHref, organisationNames, param, read, timelineOf, travelFrom } from './page-helpers.js';
import { chrome, sendPage, t } from './web-chrome.js';
import { WebPageError } from './web-exception.filter.js';

/** The creation forms a list offers staff. */
const LIST_ACTIONS: Readonly<Record<string, readonly CreateForm[]>> = {
  collaborations: [CREATE_FORMS.collaboration],
  networks: [CREATE_FORMS.network],
  gatherings: [CREATE_FORMS.gathering],
  people: [CREATE_FORMS.person, CREATE_FORMS.organisation],
};

type QueryParams = Record<string, unknown>;

/**
 * Lists of collaborations, networks, people and gatherings; a person's page with timeline and time travel; and
 * registering people and organisations (staff).
 */
@WebPages()
export class EntityPagesController {
  constructor(private readonly api: InternalApi) {}

  @Get('collaborations')
  async collaborations(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = pageLanguage(request);
    const status = (COLLABORATION_LIST_STATUSES as readonly string[]).includes(param(query, 'status')) ? param(query, 'status') : '';
    return this.list<CollaborationListItem>(request, reply, query, 'collaborations', 'collaboration.list', { status }, (item) => ({
      title: item.title,
      status: translate(lang, `status.${item.status}` as MessageKey),
      themes: item.themes,
    }), COLLABORATION_LIST_STATUSES.map((value) => ({ value, label: translate(lang, `status.${value}`), selected: value === status })));
  }

  @Get('networks')
  networks(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = pageLanguage(request);
    return this.list<NetworkListItem>(request, reply, query, 'networks', 'network.list', {}, (item) => ({ title: item.name, meta: translate(lang, `networkKind.${item.kind}`) }));
  }

  @Get('people')
  people(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.list<PersonListItem>(request, reply, query, 'people', 'person.list', {}, (item) => ({ title: item.name ?? '—' }));
  }

  @Get('gatherings')
  gatherings(@Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const lang = pageLanguage(request);
    return this.list<GatheringListItem>(request, reply, query, 'gatherings', 'gathering.list', {}, (item) => ({
      title: item.title,
      meta: `${translate(lang, `gatheringKind.${item.kind}`)} · ${formatDate(lang, item.heldOn)}`,
    }));
  }

  @Get('people/:id')
  async person(@Param('id', EntityIdPipe) id: string, @Req() request: FastifyRequest, @Query() query: QueryParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const travel = travelFrom(request, query);
    const p = await read<PersonView>(this.api, request, withQuery(`/api/people/${id}`, travel.query));
    const [timeline, names] = await Promise.all([timelineOf(this.api, request, 'people', id, travel), organisationNames(this.api, request)]);
    return sendPage(reply, 'person', chrome(request, p.name ?? '—', doneNotice(request, query.done)), {
      p,
      travel,
      timeline,
      roles: p.roles.map((role) => ({ ...role, organisation: nameOr(names, role.organisationId) })),
    });
  }

  @Get('people/new')
  personPage(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.creationPage(request, reply, CREATE_FORMS.person, null);
  }

  @Post('people')
  registerPerson(@Req() request: FastifyRequest, @Body() body: FormValues, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return submitCreate(this.api, request, reply, CREATE_FORMS.person, body);
  }

  @Get('organisations/new')
  organisationPage(@Req() request: FastifyRequest, @Query('done') done: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.creationPage(request, reply, CREATE_FORMS.organisation, doneNotice(request, done));
  }

  @Post('organisations')
  registerOrganisation(@Req() request: FastifyRequest, @Body() body: FormValues, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return submitCreate(this.api, request, reply, CREATE_FORMS.organisation, body);
  }

  private creationPage(request: FastifyRequest, reply: FastifyReply, spec: CreateForm, notice: string | null): Promise<string> {
    if (requirePrincipal(request).role !== 'staff') throw new WebPageError(403, 'error.forbidden');
    return renderCreate(this.api, request, reply, spec, { notice });
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
      actions: requirePrincipal(request).role === 'staff' ? (LIST_ACTIONS[collection] ?? []).map((spec) => ({ href: `${spec.page}/new`, label: t(request, spec.heading) })) : [],
      items: page.items.map((entry) => ({ href: `/${collection}/${entry.id}`, ...item(entry) })),
      next: nextPageHref(request, query, page.nextCursor),
    });
  }
}
