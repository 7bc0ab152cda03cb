import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { RenderedReport } from '#projections';
import { EntityParam } from '../organisations/aggregate-controller.js';
import { occurredRange } from '../learnings/learning.requests.js';
import { resolveLanguage } from '../reads/time-travel.js';
import { BuildReport, type ReportSpec } from './report.queries.js';
import { DocumentReportRequest, LearningSummaryRequest, NetworkGrowthRequest, type ReportRequest } from './report.requests.js';

const DOCUMENT_TYPES = ['text/markdown', 'text/html', 'application/json', 'application/pdf'];
const REPRODUCIBLE =
  'Built from the events at or below atPosition (default: the newest event) by replaying them in memory, never from the live ' +
  'read models; the same position, lang and app version give the same bytes. The report states its position, projection ' +
  'versions and app version; every line refers to the event ids it derives from.';

/** Reports for staff and partners: learning summary, collaboration status and network growth. */
@ApiTags('reports')
@Controller('api/reports')
@ApiBadRequestResponse({ description: 'An invalid query parameter, or atPosition beyond the newest event' })
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('learning-summary')
  @ApiOperation({ summary: 'What the learnings say: by theme and source, decisions counted, key learnings, open questions', description: REPRODUCIBLE })
  @ApiProduces(...DOCUMENT_TYPES)
  @ApiOkResponse({ description: 'The report in the requested format (default md)' })
  @ApiNotFoundResponse({ description: 'collaborationId names no collaboration at that position' })
  learningSummary(@Query() query: LearningSummaryRequest, @Headers('accept-language') acceptLanguage: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const { from, to, theme, collaborationId } = query;
    const filters = { from: from ?? null, to: to ?? null, theme: theme?.trim() ?? null, collaborationId: collaborationId?.toLowerCase() ?? null };
    return this.send(reply, { ...common(query, acceptLanguage), report: 'learning-summary', format: query.format ?? 'md', input: { filters, ...occurredRange(query) } });
  }

  @Get('collaborations/:id')
  @ApiOperation({ summary: 'Status report of a collaboration: activities, initiatives, milestones, learnings, experiments', description: REPRODUCIBLE })
  @ApiProduces(...DOCUMENT_TYPES)
  @ApiOkResponse({ description: 'The report in the requested format (default md)' })
  @ApiNotFoundResponse({ description: 'No such collaboration at that position' })
  collaboration(@EntityParam() id: string, @Query() query: DocumentReportRequest, @Headers('accept-language') acceptLanguage: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(reply, { ...common(query, acceptLanguage), report: 'collaboration', format: query.format ?? 'md', id });
  }

  @Get('networks/:id/growth')
  @ApiOperation({ summary: 'Partners and members of a network over time: reported headcounts and those listed one by one', description: REPRODUCIBLE })
  @ApiProduces('application/json', 'image/svg+xml')
  @ApiOkResponse({ description: 'The data (json, default) or a line chart (svg)' })
  @ApiNotFoundResponse({ description: 'No such network at that position' })
  growth(@EntityParam() id: string, @Query() query: NetworkGrowthRequest, @Headers('accept-language') acceptLanguage: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(reply, { ...common(query, acceptLanguage), report: 'network-growth', format: query.format ?? 'json', id });
  }

  private async send(reply: FastifyReply, spec: ReportSpec): Promise<string | Buffer> {
    const report: RenderedReport = await this.queries.execute(new BuildReport(spec));
    const disposition = report.contentType === 'application/pdf' ? 'attachment' : 'inline';
    void reply.header('content-type', report.contentType).header('content-disposition', `${disposition}; filename="${report.filename}"`);
    return report.body;
  }
}

function common(query: ReportRequest, acceptLanguage: string | undefined): { lang: ReturnType<typeof resolveLanguage>; atPosition?: number } {
  const lang = resolveLanguage(query.lang, acceptLanguage);
  return query.atPosition === undefined ? { lang } : { lang, atPosition: Number(query.atPosition) };
}
