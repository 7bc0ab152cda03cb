/** Turns the raw group results into the table rows: values, the baseline each is compared with, targets. */

const num = (v, digits = 0) =>
  Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
const rate = (v, unit = 'ev/s') => (Number.isFinite(v) ? `${num(v)} ${unit}` : 'n/a');
const ms = (v) => (Number.isFinite(v) ? `${v < 10 ? num(v, 2) : num(v, 1)} ms` : 'n/a');
const lat = (l) => (l ? `p50 ${ms(l.p50)}, p99 ${ms(l.p99)}` : 'n/a');
const sizeLabel = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** `{at least|at most} target` against a ratio or a value. */
const atLeast = (target) => ({ text: `≥ ${target}×`, met: (x) => x >= target });
const atMostRatio = (target) => ({ text: `≤ ${target}×`, met: (x) => x <= target });

export function buildRows(g) {
  const rows = [];
  const baseline = (id, label, value, note) => rows.push({ id, label, value, note });
  const compare = (id, label, ours, base, baseId, target, { unit = 'ev/s', note } = {}) => {
    const ratio = ours / base;
    rows.push({
      id,
      label,
      value: rate(ours, unit),
      vs: baseId,
      ratio: Number.isFinite(ratio) ? ratio : null,
      target: target?.text ?? 'info',
      met: target && Number.isFinite(ratio) ? target.met(ratio) : null,
      note,
    });
  };

  if (g.fs) {
    const { fileSystem: f, fsync } = g.fs;
    baseline('F1', `fsync latency, ${f.type} at ${f.mountPoint}`, lat(fsync), f.volatile ? `${f.type} is memory: durable mode is meaningless here` : undefined);
  }
  const r = (group, name) => g[group]?.[name]?.rate;
  if (g.append) baseline('A1', 'raw INSERT, autocommit, synchronous=NORMAL', rate(r('append', 'A1')));
  if (g.batch) baseline('A2', 'raw INSERT ×100 per transaction, NORMAL', rate(r('batch', 'A2')));
  if (g.durable) baseline('A3', 'raw INSERT, autocommit, synchronous=FULL', rate(r('durable', 'A3')));
  const scale = g.scale ?? [];
  for (const s of scale) baseline('A4', `raw iterate() over events, ${sizeLabel(s.size)} store`, rate(s.a4.rate));
  if (g.append) baseline('E1', 'Emmett append, 1 event, expected version, NORMAL', rate(r('append', 'E1 append')), retriesNote(g.emmettRetries));
  if (g.reads) {
    baseline('E1', 'Emmett readStream (50-event streams)', rate(r('reads', 'E1 readStream')));
    baseline('E1', 'Emmett readAll (batches of 500)', rate(r('reads', 'E1 readAll')));
  }
  if (g.http?.H1) baseline('H1', 'bare Fastify, GET hello-world', rate(g.http.H1.max.requestsPerSec, 'req/s'), `half load: ${lat(g.http.H1.half.latency)}; ${errorsNote(g.http.H1.half)}`);
  if (g.http?.N1) baseline('N1', 'Nest on Fastify, no-op POST (same JSON body)', rate(g.http.N1.max.requestsPerSec, 'req/s'), `half load: ${lat(g.http.N1.half.latency)}; ${errorsNote(g.http.N1.half)}`);

  if (g.append) {
    compare('O1', 'append 1 event, expected version, normal', r('append', 'ours append'), r('append', 'A1'), 'A1', atLeast(0.5));
    compare('O1', 'append 1 event, expected version, normal', r('append', 'ours append'), r('append', 'E1 append'), 'E1', atLeast(2));
  }
  if (g.batch) compare('O2', 'append 100-event batch, normal', r('batch', 'ours batch'), r('batch', 'A2'), 'A2', atLeast(0.6));
  if (g.durable) {
    compare('O3', 'append, durability full, 32 concurrent writers', r('durable', 'ours 32 writers'), r('durable', 'A3'), 'A3', atLeast(5));
    compare('O3', 'append, durability full, 1 writer (serial)', r('durable', 'ours serial'), r('durable', 'A3'), 'A3', null);
  }
  for (const s of scale) {
    compare('O4', `timeline rebuild (ProjectionRunner), ${sizeLabel(s.size)} events`, s.rebuild.rate, s.a4.rate, `A4 ${sizeLabel(s.size)}`, atLeast(0.3));
  }
  if (g.reads) {
    compare('O5', 'readStream (50-event streams)', r('reads', 'ours readStream'), r('reads', 'E1 readStream'), 'E1', atLeast(2));
    compare('O5', 'readAll (batches of 500)', r('reads', 'ours readAll'), r('reads', 'E1 readAll'), 'E1', atLeast(2));
  }
  const http = g.http;
  if (http?.['ours-normal']) {
    const ours = http['ours-normal'];
    const h1 = http.H1 ? ` (${num(ours.max.requestsPerSec / http.H1.max.requestsPerSec, 3)}× H1)` : '';
    compare('O6', 'HTTP POST /api/experiments/:id/steps, durability normal', ours.max.requestsPerSec, http.N1?.max.requestsPerSec, 'N1', atLeast(0.5), {
      unit: 'req/s',
      note: `whole stack: ${ours.authenticated ? 'bearer token, ' : ''}validation, command bus, read-fold-decide-append, read-your-writes wait${h1}; ${errorsNote(ours.max)}`,
    });
    rows.push({
      id: 'O6',
      label: `  same, latency at half load (${num(ours.halfRate)} req/s)`,
      value: lat(ours.half.latency),
      vs: 'N1',
      ratio: http.N1 ? ours.half.latency.p99 / http.N1.half.latency.p99 : null,
      target: '≤ 10 ms p99',
      met: ours.half.latency.p99 <= 10 && ours.half.errors === 0 && ours.half.timeouts === 0,
      note: errorsNote(ours.half),
    });
  }
  if (http?.['ours-full']) {
    compare('O6', 'HTTP POST …/steps, durability full (production default)', http['ours-full'].max.requestsPerSec, http.N1?.max.requestsPerSec, 'N1', null, {
      unit: 'req/s',
      note: `half load (${num(http['ours-full'].halfRate)} req/s): ${lat(http['ours-full'].half.latency)}`,
    });
  }
  if (g.lag) {
    const l = g.lag;
    rows.push({
      id: 'O7',
      label: `append → timeline visible, at half load (${num(l.rate)} appends/s)`,
      value: lat(l.lag),
      target: '≤ 50 ms p99',
      met: l.lag.p99 <= 50 && l.missed === 0,
      note: `max with the runner following: ${rate(l.maxRate)}; not visible within 5 s: ${l.missed}`,
    });
  }
  if (scale.length === 2) {
    const [small, large] = scale;
    const at = `${sizeLabel(large.size)} vs ${sizeLabel(small.size)}`;
    const vs = `at ${sizeLabel(small.size)}`;
    const scaled = (id, label, a, b, target, value, smallValue) => {
      const ratio = a / b;
      rows.push({ id, label, value, vs, ratio, target: target.text, met: target.met(ratio), note: `${vs}: ${smallValue}` });
    };
    const rates = (pick) => [pick(large), pick(small), rate(pick(large)), rate(pick(small))];
    const [appendL, appendS, appendLText, appendSText] = rates((s) => s.append.rate);
    scaled('S1', `append 1 event, store of ${at}`, appendL, appendS, atLeast(0.8), appendLText, appendSText);
    const [readL, readS, readLText, readSText] = rates((s) => s.readStream.rate);
    scaled('S2', `readStream, store of ${at}`, readL, readS, atLeast(0.8), readLText, readSText);
    const [rebuildL, rebuildS, rebuildLText, rebuildSText] = rates((s) => s.rebuild.rate);
    scaled('S3', `timeline rebuild, ${at}`, rebuildL, rebuildS, atLeast(0.8), rebuildLText, rebuildSText);
    scaled('S4', `timeline query p99, ${at}`, large.query.p99, small.query.p99, atMostRatio(2), lat(large.query), lat(small.query));
    rows.push({
      id: 'S5',
      label: `peak RSS rebuilding ${sizeLabel(large.size)} events`,
      value: `${num(large.rebuild.maxRssBytes / 2 ** 20)} MiB`,
      target: 'info',
      met: null,
      note: `${sizeLabel(small.size)}: ${num(small.rebuild.maxRssBytes / 2 ** 20)} MiB; event loop blocked up to ${num(large.rebuild.loopMaxStallMs)} ms during the rebuild`,
    });
  }
  return rows;
}

function retriesNote(retries) {
  if (!retries) return undefined;
  return `retried lock errors: SQLITE_BUSY ${retries.busy}, "cannot change into wal mode" ${retries.walMode}`;
}

function errorsNote(run) {
  const overloaded = run.rate && run.requestsPerSec < 0.9 * run.rate ? `; OVERLOADED: ${num(run.requestsPerSec)} of ${num(run.rate)} req/s answered` : '';
  const generator = run.sendLate?.p99 > 1 ? `; load generator saturated (sent up to ${ms(run.sendLate.p99)} late, p99)` : '';
  return `non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}${overloaded}${generator}`;
}

/** A Markdown table (readable in a terminal as well). */
export function renderTable(rows) {
  const header = ['id', 'measurement', 'value', 'vs', 'ratio', 'target', 'result', 'note'];
  const lines = rows.map((row) => [
    row.id,
    row.label,
    row.value,
    row.vs ?? '',
    row.ratio === undefined || row.ratio === null ? '' : `${num(row.ratio, 2)}×`,
    row.target ?? '',
    row.met === true ? 'met' : row.met === false ? '**missed**' : '',
    row.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
