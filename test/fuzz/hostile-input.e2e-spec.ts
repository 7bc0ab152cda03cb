import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { EventStore } from '#event-store';
import { ProjectionRunner, type ReadModelDb } from '#projections';
import { IntegrityService } from '../../apps/api/src/audit/integrity.service.js';
import { AccountsStore } from '../../apps/api/src/auth/accounts-store.js';
import { READ_MODELS } from '../../apps/api/src/infrastructure/infrastructure.module.js';
import { TestApp } from '../support/test-app.js';
import { authHeadersOf, KeepAliveClient, type Answer } from './support/http-client.js';
import { sendRaw } from './support/raw-http.js';
import {
  assertCatalogue,
  badBody,
  badHeaders,
  badJson,
  badPath,
  badQuery,
  edgeBody,
  rawRequest,
  rawUtf8,
  validCommand,
  validRead,
  type HostileRequest,
} from './support/requests.js';
import { fuzzSettings } from './support/settings.js';
import { buildWorld, type World } from './support/world.js';
import { WriteProbe, type WriteState } from './support/write-probe.js';

const settings = fuzzSettings();
/**
 * Share of the runs per property. The first ones mix in valid commands so the world keeps deepening; the last ones
 * send only requests that must be refused, and the read models' full checksum must not move across them.
 */
const SHARES = { badBody: 0.28, edgeBody: 0.06, badQuery: 0.2, validRead: 0.05, badJson: 0.04, badPath: 0.13, badHeaders: 0.11, raw: 0.13 } as const;
const runsOf = (share: number) => Math.max(1, Math.round(settings.runs * share));
/** Generous: a hung request fails on its own 20 s timeout; this only bounds a whole property on a busy machine. */
const timeoutOf = (share: number) => Math.max(300_000, runsOf(share) * 300);
const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>'];
/**
 * Known gap until app.factory.ts passes `frameworkErrors: answerRouterError` (request-limits.ts) to its adapter:
 * Fastify's router answers a malformed percent-encoding (400) or a path parameter over 100 characters (414) before
 * any hook, as plain JSON. Counted and reported, not failed; once wired, these are held to problem+json like the rest.
 */
const ROUTER_ERRORS = /"code":"(FST_ERR_BAD_URL|FST_ERR_MAX_PARAM_LENGTH)"/;
const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);

describe(`hostile input (FUZZ_RUNS=${settings.runs} FUZZ_SEED=${settings.seed})`, () => {
  let app: TestApp;
  let client: KeepAliveClient;
  let auth: Record<string, string>;
  let world: World;
  let probe: WriteProbe;
  /** Users, tokens and sessions in accounts.db (the sign-in throttle's counters may move: they count attempts). */
  let accounts: WriteProbe;
  let runner: ProjectionRunner;
  let integrity: IntegrityService;
  /** The state after the previous request, which is the state before the next one. */
  let last: WriteState | undefined;
  /** Full checksum and log head when the refusals-only phase began. */
  let quiet: { checksum: string; position: number } | undefined;
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  const stats = new Map<string, Map<number, number>>();
  const routerErrors = new Map<string, number>();
  let sent = 0;

  beforeAll(async () => {
    assertCatalogue();
    // The fuzzer sends hundreds of sign-ins a minute: lift the limit so they reach validation and the handler.
    app = await TestApp.start({ TRACKER_LOGIN_ATTEMPTS_PER_MINUTE: '0' });
    auth = authHeadersOf(app);
    client = new KeepAliveClient(app.baseUrl, auth);
    world = await buildWorld(app);
    runner = app.app.get(ProjectionRunner);
    integrity = app.app.get(IntegrityService);
    probe = new WriteProbe(app.app.get(EventStore), app.app.get<symbol, ReadModelDb>(READ_MODELS));
    accounts = new WriteProbe(app.app.get(EventStore), app.app.get(AccountsStore).db, (table) => table === 'login_throttle');
    await settle();
    process.stdout.write(
      `hostile input: ${settings.runs} runs, seed ${settings.seed} (reproduce with FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs})\n`,
    );
  }, 120_000);

  afterAll(async () => {
    const lines = [...stats.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([category, statuses]) =>
          `  ${category.padEnd(16)} ${[...statuses.entries()]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      );
    const gaps = [...routerErrors.entries()].map(([code, n]) => `${code}×${n}`).join(' ');
    const cpu = process.cpuUsage(cpuAtStart);
    const seconds = (micros: number) => (micros / 1e6).toFixed(1);
    process.stdout.write(
      `hostile input: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (CPU ${seconds(cpu.user)} s user + ${seconds(cpu.system)} s system, app and client together)\n${lines.join('\n')}\n`,
    );
    if (gaps) process.stdout.write(`  router errors answered as plain JSON (known gap): ${gaps}\n`);
    client?.close();
    await app?.close();
  });

  /**
   * Waits until every projection has applied everything in the log, then signs the ledger's new head now rather
   * than on the integrity service's next tick, which would otherwise land inside a later request.
   */
  async function settle(): Promise<void> {
    last = undefined;
    const head = (await probe.state()).position;
    if (!(await runner.waitFor(head, 10_000))) throw new Error(`projections did not reach position ${head}`);
    integrity.seal();
  }

  async function send(request: HostileRequest): Promise<Answer | null> {
    try {
      if (request.raw) return await sendRaw(app.baseUrl, request.raw);
      return await client.send(request.method, request.path, request.headers, request.body);
    } catch (error) {
      if (request.mayClose) return null;
      throw new Error(`no answer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function record(category: string, status: number): void {
    sent++;
    const statuses = stats.get(category) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    stats.set(category, statuses);
  }

  function answerIssues(request: HostileRequest, answer: Answer): string[] {
    const issues: string[] = [];
    const type = answer.headers['content-type'] ?? '';
    if (answer.status >= 500) issues.push(`server error ${answer.status}: ${clip(answer.body)}`);
    if (answer.status >= 400) {
      const routerError = ROUTER_ERRORS.exec(answer.body);
      if (routerError && type.startsWith('application/json') && answer.status < 500) {
        routerErrors.set(routerError[1], (routerErrors.get(routerError[1]) ?? 0) + 1);
      } else if (!type.startsWith('application/problem+json'))
        issues.push(`${answer.status} is not problem+json (content-type ${JSON.stringify(type)}): ${clip(answer.body)}`);
      else if (request.method !== 'HEAD') {
        try {
          const problem = JSON.parse(answer.body) as Record<string, unknown>;
          if (
            problem.status !== answer.status ||
            typeof problem.title !== 'string' ||
            typeof problem.type !== 'string' ||
            typeof problem.detail !== 'string'
          ) {
            issues.push(`malformed problem body: ${clip(answer.body)}`);
          }
        } catch {
          issues.push(`problem body is not JSON: ${clip(answer.body)}`);
        }
      }
    } else {
      if (request.expect === 'reject') issues.push(`accepted (${answer.status}) a request that must be refused: ${clip(answer.body)}`);
      if (type.startsWith('application/json') && request.method !== 'HEAD') {
        try {
          JSON.parse(answer.body);
        } catch {
          issues.push(`2xx application/json body is not JSON: ${clip(answer.body)}`);
        }
      }
      if (/text\/html|image\/svg/.test(type)) {
        for (const markup of MARKUP) if (answer.body.includes(markup)) issues.push(`${type} echoes unescaped markup ${markup}`);
      }
    }
    if (request.statuses && !request.statuses.includes(answer.status))
      issues.push(`status ${answer.status}, expected ${request.statuses.join(' or ')}`);
    if (Object.keys(answer.headers).some((name) => name.includes('injected')) || (answer.headers['set-cookie'] ?? '').includes('evil')) {
      issues.push(`response headers carry injected content: ${JSON.stringify(answer.headers)}`);
    }
    return issues;
  }

  /** Sends one request and checks the contract: no 5xx, problem+json for 4xx, and no write unless it succeeded. */
  async function exercise(request: HostileRequest): Promise<void> {
    const keyed = Object.keys(request.headers).includes('idempotency-key') || (request.raw?.includes('Idempotency-Key') ?? false);
    const before = last ?? (await probe.state());
    const accountsBefore = (await accounts.state()).rows;
    last = undefined;
    const answer = await send(request);
    if (answer === null) {
      record(request.category, 0);
      return;
    }
    record(request.category, answer.status);
    const issues = answerIssues(request, answer);
    const succeeded = answer.status < 400;
    if (request.expect === 'maybe' && succeeded) {
      if (quiet) issues.push('a write in the refusals-only phase');
      await settle();
      const parked = (await runner.status()).filter((p) => p.state !== 'running');
      if (parked.length > 0) issues.push(`projections stopped after an accepted write: ${JSON.stringify(parked)}`);
    } else {
      const after = await probe.state();
      issues.push(...writeIssues(before, after, keyed));
      const accountsAfter = (await accounts.state()).rows;
      if (accountsAfter !== accountsBefore) issues.push(`partial write: accounts.db rows went from ${accountsBefore} to ${accountsAfter}`);
      if (issues.length === 0) last = after;
    }
    if (issues.length > 0) throw new Error(issues.join('\n'));
  }

  /** A refused keyed POST reserves its key and releases it again: exactly two row changes, nothing else. */
  function writeIssues(before: WriteState, after: WriteState, keyed: boolean): string[] {
    const issues: string[] = [];
    if (after.position !== before.position) issues.push(`partial write: the event log moved from ${before.position} to ${after.position}`);
    if (after.rows !== before.rows) issues.push(`partial write: read-model rows went from ${before.rows} to ${after.rows}`);
    const changes = after.changes - before.changes;
    if (changes !== 0 && !(keyed && changes === 2)) issues.push(`partial write: ${changes} read-model row changes`);
    return issues;
  }

  const property = (arbitrary: fc.Arbitrary<HostileRequest>, share: number) =>
    fc.assert(fc.asyncProperty(arbitrary, exercise), { numRuns: runsOf(share), seed: settings.seed, endOnFailure: false });
  const withValid = (arbitrary: fc.Arbitrary<HostileRequest>) => fc.oneof({ weight: 19, arbitrary }, { weight: 1, arbitrary: validCommand(world) });
  /** A refusals-only property: the read models' full checksum and the log head are the same before and after. */
  const refusalsOnly = async (arbitrary: fc.Arbitrary<HostileRequest>, share: number) => {
    await settle();
    quiet ??= { checksum: probe.checksum(), position: (await probe.state()).position };
    const before = probe.checksum();
    await property(arbitrary, share);
    expect(probe.checksum()).toBe(before);
  };
  const raw = () => rawRequest(world, new URL(app.baseUrl).host, auth);

  it(
    'refuses bodies that break a DTO rule, on every command route',
    () => property(withValid(badBody(world)), SHARES.badBody),
    timeoutOf(SHARES.badBody),
  );

  it(
    'stores hostile-but-valid text (and invalid UTF-8) intact and keeps projections running',
    () =>
      property(
        fc.oneof({ weight: 9, arbitrary: edgeBody(world) }, { weight: 1, arbitrary: rawUtf8(new URL(app.baseUrl).host, auth) }),
        SHARES.edgeBody,
      ),
    timeoutOf(SHARES.edgeBody),
  );

  it(
    'answers hostile query strings on every read route without 5xx',
    () => property(withValid(badQuery(world)), SHARES.badQuery),
    timeoutOf(SHARES.badQuery),
  );

  it(
    'reads every deep state (reports in every format, timelines in both languages) without 5xx',
    () => refusalsOnly(validRead(world), SHARES.validRead),
    timeoutOf(SHARES.validRead),
  );

  it('refuses malformed, too deep, too wide and too large JSON', () => refusalsOnly(badJson(), SHARES.badJson), timeoutOf(SHARES.badJson));

  it(
    'answers paths that name nothing, the wrong thing or no id at all with 4xx',
    () => refusalsOnly(badPath(world), SHARES.badPath),
    timeoutOf(SHARES.badPath),
  );

  it(
    'refuses bad If-Match, Idempotency-Key and Content-Type headers',
    () => refusalsOnly(badHeaders(world), SHARES.badHeaders),
    timeoutOf(SHARES.badHeaders),
  );

  it('answers raw, malformed HTTP with problem+json and writes nothing', () => refusalsOnly(raw(), SHARES.raw), timeoutOf(SHARES.raw));

  it('ends, after thousands of refusals, with the log and read models exactly as the accepted requests left them', async () => {
    await settle();
    expect(quiet).toBeDefined();
    expect((await probe.state()).position).toBe(quiet?.position);
    expect(probe.checksum()).toBe(quiet?.checksum);
    const health = await app.get('/health');
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    expect(sent).toBeGreaterThanOrEqual(settings.runs);
    const succeeded = (category: string) =>
      [...(stats.get(category) ?? new Map<number, number>()).entries()].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
    const total = (category: string) => [...(stats.get(category)?.values() ?? [])].reduce((n, c) => n + c, 0);
    // The fuzzer only reaches deep states if most of its valid requests do succeed.
    expect(succeeded('valid')).toBeGreaterThanOrEqual(Math.floor(total('valid') * 0.6));
    expect(succeeded('valid-read')).toBeGreaterThanOrEqual(Math.floor(total('valid-read') * 0.6));
  });
});
