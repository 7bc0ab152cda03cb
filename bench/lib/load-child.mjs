/**
 * Load generator in its own process (the bench pins it to another core). Reads `{targets, phases}` as JSON on
 * stdin, runs the phases one after the other against `targets[phase.name]`, and prints one JSON line: per
 * name, the totals over its phases that are not warm-ups.
 *
 * Without `rate`: autocannon, closed loop, `connections` connections for `duration` s: the highest rate the
 * server sustains. With `rate`: open loop, one request every 1/rate s over `connections` keep-alive
 * connections (undici Pool), latency measured from each request's scheduled time, so queueing counts.
 * (autocannon's own `overallRate` sends each second's quota as a burst, which measures burst latency.)
 * Rates count 2xx responses received within the phase. `sendLate`: how late the generator itself sent
 * (its own saturation shows there, not as server latency). `paths` rotates the request path over several targets.
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { latencySummary } from './util.mjs';

const WARMUP_PER_CONNECTION = 5;

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { targets, phases } = JSON.parse(input);
const totals = {};
const pools = new Map();
for (const step of phases) {
  const phase = { ...targets[step.name], ...step };
  const run = phase.rate ? await paced(phase) : await closedLoop(phase);
  if (phase.warmup) continue;
  const t = (totals[phase.name] ??= { ok: 0, seconds: 0, sent: 0, non2xx: 0, errors: 0, timeouts: 0, samples: [], sendLate: [] });
  t.ok += run.ok;
  t.seconds += phase.duration;
  t.sent += run.sent ?? 0;
  t.non2xx += run.non2xx;
  t.errors += run.errors;
  t.timeouts += run.timeouts;
  for (const sample of run.samples) t.samples.push(sample);
  for (const late of run.sendLate ?? []) t.sendLate.push(late);
  t.rate = phase.rate;
}
for (const pool of pools.values()) await pool.destroy();
const results = Object.fromEntries(
  Object.entries(totals).map(([name, { samples, sendLate, ...t }]) => [
    name,
    { ...t, requestsPerSec: t.ok / t.seconds, latency: latencySummary(samples), sendLate: latencySummary(sendLate) },
  ]),
);
process.stdout.write(`${JSON.stringify(results)}\n`);

function pathAt(phase, n) {
  return phase.paths?.length ? phase.paths[n % phase.paths.length] : new URL(phase.url).pathname;
}

async function closedLoop(phase) {
  const { url, method = 'GET', body, headers = {}, paths, connections, duration } = phase;
  let next = 0;
  const options = { url, method, body, headers, connections, duration, timeout: 10 };
  if (paths?.length) options.requests = [{ method, body, headers, setupRequest: (request) => ({ ...request, path: pathAt(phase, next++) }) }];
  const samples = [];
  const done = await new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, finished) => (error ? reject(error) : resolve(finished)));
    // autocannon's histogram rounds to whole ms: keep its per-response times (fractional ms) instead.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    });
  });
  return { ok: samples.length, non2xx: done.non2xx, errors: done.errors, timeouts: done.timeouts, samples };
}

async function paced(phase) {
  const { url, name, method = 'GET', body, headers = {}, connections, duration, rate } = phase;
  let pool = pools.get(name);
  let n = 0;
  if (!pool) {
    pool = new Pool(new URL(url).origin, { connections, pipelining: 1 });
    pools.set(name, pool);
    // Open every connection and let undici (its HTTP parser is WebAssembly) and the JIT settle.
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let i = 0; i < WARMUP_PER_CONNECTION; i++) {
          const response = await pool.request({ path: pathAt(phase, n++), method, headers, body });
          await response.body.dump();
        }
      }),
    );
  }
  const interval = 1000 / rate;
  const start = performance.now();
  const end = start + duration * 1000;
  const samples = [];
  const sendLate = [];
  const inflight = new Set();
  let sent = 0;
  let inWindow = 0;
  let non2xx = 0;
  let errors = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (let due = start + sent * interval; due <= now && due < end; due = start + sent * interval) {
        const path = pathAt(phase, n + sent);
        sent++;
        sendLate.push(now - due);
        const request = pool
          .request({ path, method, headers, body })
          .then(async (response) => {
            await response.body.dump();
            const done = performance.now();
            if (response.statusCode < 200 || response.statusCode >= 300) return void non2xx++;
            samples.push(done - due);
            if (done <= end) inWindow++;
          })
          .catch(() => errors++)
          .finally(() => inflight.delete(request));
        inflight.add(request);
      }
      if (now >= end) resolve();
      else setImmediate(tick); // spin: timers are too coarse (1 ms) to pace sub-millisecond intervals
    };
    tick();
  });
  // Late answers still count in the latencies, up to a drain as long as the phase (then they are timeouts).
  await Promise.race([Promise.all(inflight), new Promise((resolve) => setTimeout(resolve, duration * 1000))]);
  return { ok: inWindow, sent, non2xx, errors, timeouts: inflight.size, samples, sendLate };
}
