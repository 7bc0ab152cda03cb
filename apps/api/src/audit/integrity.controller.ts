import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RecordedEvent } from '#event-store';
import { AuditTrailBroken, InvalidBundleRequest, type AuditBundle, type IntegrityReport } from '#projections';
import { Public } from '../auth/access.decorators.js';
import { ProblemException, validationProblem } from '../http/problem.js';
import { resolveFilter } from './audit.controller.js';
import { IntegrityService } from './integrity.service.js';
import { AuditExportRequest, AuditVerifyRequest, PublicKeyRequest } from './integrity.requests.js';

/** Public key of the tracker's signing key, as `GET /api/audit/public-key?format=json` returns it. */
export interface PublicKeyDocument {
  keyId: string;
  algorithm: 'Ed25519';
  pem: string;
}

/** `GET /api/audit/verify|export|public-key`: tamper evidence of the event log. */
@ApiTags('audit')
@Controller('api/audit')
export class IntegrityController {
  constructor(private readonly integrity: IntegrityService) {}

  @Get('verify')
  @ApiOperation({
    summary: 'Re-walks every stream’s hash chain, the global ledger and its signed heads',
    description:
      '200 either way (it is a report): {ok: true, streams, events, head, position, …} or {ok: false, problem: {kind, stream, ' +
      'position, eventId, expected?, actual?, detail}} naming the first broken link in log order. kind: hash-mismatch, ' +
      'chain-break, missing-event, reordered, ledger-mismatch or signature-invalid.',
  })
  @ApiOkResponse({ description: 'The verification report' })
  @ApiBadRequestResponse({ description: 'An unknown or invalid query parameter' })
  async verify(@Query() request: AuditVerifyRequest, @Req() http: FastifyRequest): Promise<IntegrityReport> {
    const report = await this.integrity.verify(request.upTo);
    const streams = http.visibility?.streams();
    if (report.ok || streams === undefined || (report.problem.stream !== null && streams.includes(report.problem.stream))) return report;
    // A partner learns that the log is broken, and where in log order, but not which stream or event of others.
    const { kind, position } = report.problem;
    return {
      ...report,
      problem: { kind, position, stream: null, eventId: null, detail: `the log does not verify here (${kind}), in a stream outside your scope` },
    };
  }

  @Get('export')
  @ApiOperation({
    summary: 'A signed bundle of events for offline verification (tools/verify-bundle.mjs)',
    description:
      'Without filters: the whole log up to the ledger head (complete; the ledger head can be recomputed from it). With ' +
      'the audit trail’s filters: each matching stream from its first to its last matching event, others in between as ' +
      'hash-only stubs. Refused with 422 audit.trail-broken while GET /api/audit/verify reports a problem.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'The bundle (attachment audit-bundle-<position>.json)' })
  @ApiBadRequestResponse({ description: 'An invalid filter, or previous beyond the bundle' })
  @ApiUnprocessableEntityResponse({ description: 'audit.trail-broken: the log does not verify, nothing is signed' })
  async export(
    @Query() request: AuditExportRequest,
    @Req() http: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuditBundle> {
    const { previous, ...filters } = request;
    try {
      const bundle = await this.integrity.bundle({ filter: resolveFilter(filters), previous, redact: partnerScopeRedaction(http) });
      void reply.header('content-disposition', `attachment; filename="audit-bundle-${bundle.statement.ledger.position}.json"`);
      return bundle;
    } catch (error) {
      if (error instanceof AuditTrailBroken) {
        throw new ProblemException(422, 'audit-trail-broken', `${error.message}. Nothing was signed; see GET /api/audit/verify.`, {
          rule: 'audit.trail-broken',
        });
      }
      if (error instanceof InvalidBundleRequest) throw validationProblem([{ field: error.field, message: error.message }]);
      throw error;
    }
  }

  @Public()
  @Get('public-key')
  @ApiOperation({ summary: 'The Ed25519 public key that verifies ledger heads and audit bundles', description: 'PEM as text/plain, or JSON {keyId, algorithm, pem}; keyId is the SHA-256 of the DER public key' })
  @ApiProduces('text/plain', 'application/json')
  publicKey(
    @Query() request: PublicKeyRequest,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): string | PublicKeyDocument {
    const { key } = this.integrity;
    const pem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    void reply.header('x-key-id', key.keyId);
    const json = request.format === 'json' || (request.format === undefined && /\bapplication\/json\b/i.test(accept ?? ''));
    if (json) return { keyId: key.keyId, algorithm: 'Ed25519', pem };
    void reply.header('content-type', 'text/plain; charset=utf-8');
    return pem;
  }
}

/**
 * Partner scope hook: events outside the streams the caller may read travel as their hashes only. Staff and
 * leads (and any request without a visibility set by the access guard) see every event.
 */
function partnerScopeRedaction(request: FastifyRequest): ((event: RecordedEvent) => boolean) | undefined {
  const streams = request.visibility?.streams();
  if (streams === undefined) return undefined;
  const visible = new Set(streams);
  return (event) => !visible.has(event.streamId);
}
