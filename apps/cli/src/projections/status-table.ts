import type { StoredProjectionStatus } from '#projections';

/** The `projections status` table: name, version, state, checkpoint, lag, and where parked or who leases it. */
export function formatStatusTable(rows: readonly StoredProjectionStatus[]): string {
  const header = ['NAME', 'VERSION', 'STATE', 'CHECKPOINT', 'LAG', 'PARKED AT / NOTE'];
  const lines = rows.map((row) => [
    row.name,
    row.storedVersion === null || row.storedVersion === row.version
      ? String(row.version)
      : `${row.version} (stored ${row.storedVersion})`,
    row.state,
    String(row.checkpoint),
    row.lag === null ? '?' : String(row.lag),
    noteOf(row),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  return [header, ...lines]
    .map((cells) =>
      cells
        .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function noteOf(row: StoredProjectionStatus): string {
  if (row.lease) return `leased by ${row.lease.holder} until ${new Date(row.lease.expiresAt).toISOString()}`;
  if (row.parked) return `position ${row.parked.position}, event ${row.parked.eventId}: ${row.parked.error}`;
  if (row.state === 'new') return 'not started yet (the API creates it at start)';
  if (row.state === 'outdated') return 'the API resets and replays it at its next start (or run rebuild)';
  return '';
}
