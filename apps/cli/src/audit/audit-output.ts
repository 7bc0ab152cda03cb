import type { IntegrityReport } from '#projections';
import { formatCount } from '../storage/storage-output.js';

/** `audit verify`'s human-readable verdict: one paragraph, the first broken link named exactly. */
export function describeIntegrity(report: IntegrityReport): string {
  if (!report.ok) {
    const { problem } = report;
    const where = [
      problem.stream === null ? null : `stream ${problem.stream}`,
      problem.version === undefined ? null : `version ${problem.version}`,
      problem.position === null ? null : `position ${problem.position}`,
      problem.eventId === null ? null : `event ${problem.eventId}`,
    ].filter((part) => part !== null);
    const lines = [
      `BROKEN: ${problem.detail}`,
      `  first broken link: ${problem.kind}${where.length > 0 ? ` at ${where.join(', ')}` : ''}`,
      ...(problem.expected === undefined ? [] : [`  expected ${problem.expected}`]),
      ...(problem.actual === undefined ? [] : [`  found    ${problem.actual}`]),
      `  ${formatCount(report.events)} events checked before it`,
    ];
    return `${lines.join('\n')}\n`;
  }
  const signed = report.latestSignedHead;
  const lines = [
    `OK: ${formatCount(report.events)} events in ${formatCount(report.streams)} streams verify, up to position ${formatCount(report.position)}`,
    `  ledger head ${report.head}`,
    `  the ledger had witnessed up to position ${formatCount(report.witnessedUpTo)}` +
      (report.witnessedUpTo < report.position ? ' (later events were checked by their stream chains only)' : ''),
    `  ${formatCount(report.signedHeads)} signed heads checked` +
      (signed === null ? '' : `; newest at position ${formatCount(signed.position)} by key ${signed.keyId}`),
    ...(report.unchained > 0 ? [`  ${formatCount(report.unchained)} events predate the hash chain (counted, not hashed)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
