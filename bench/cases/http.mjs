import { spawn } from 'node:child_process';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { loadApp, provisionStaffToken } from '../lib/ours.mjs';
import { cleanDir, freshDir } from '../lib/util.mjs';

const LOAD_CHILD = new URL('../lib/load-child.mjs', import.meta.url).pathname;
const STEP_BODY = JSON.stringify({ description: 'Interviewed 12 residents on the street about the pop-up' });
const JSON_HEADERS = { 'content-type': 'application/json' };
const TEST_CARD = {
  title: 'Green living made easy',
  hypothesis: 'We believe that residents will take initiative if the first step is small',
  test: 'To verify that, we will run a street-level pop-up for two weeks',
  metric: 'Households that sign up',
  successCriteria: 'At least 30 households sign up',
  themes: ['sustainable urban development'],
};

/** Runs load phases in a child process, on `loadCpu` when given (taskset); resolves the totals per name. */
function runLoad(targets, phases, loadCpu) {
  const command = loadCpu === null ? [process.execPath, LOAD_CHILD] : ['taskset', '-c', loadCpu, process.execPath, LOAD_CHILD];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin.end(JSON.stringify({ targets, phases }));
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`load generator exited with ${code}`))));
  });
}

const addressOf = (server) => `http://127.0.0.1:${server.address().port}`;

/** H1: bare Fastify, GET / → {hello: 'world'}. */
async function startBareFastify() {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { name: 'H1', target: { url: `${addressOf(app.server)}/` }, close: () => app.close() };
}

class NoopController {
  noop() {
    return { ok: true };
  }
}
Reflect.decorate([Post('noop'), HttpCode(200)], NoopController.prototype, 'noop', Object.getOwnPropertyDescriptor(NoopController.prototype, 'noop'));
Reflect.decorate([Controller()], NoopController);
class NoopModule {}
Reflect.decorate([Module({ controllers: [NoopController] })], NoopModule);

/** N1: Nest on Fastify, POST /noop with the same JSON body as the command, returning {ok: true}. */
async function startNestNoop() {
  const app = await NestFactory.create(NoopModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const target = { url: `${addressOf(app.getHttpServer())}/noop`, method: 'POST', body: STEP_BODY, headers: JSON_HEADERS };
  return { name: 'N1', target, close: () => app.close() };
}

async function post(base, path, body, headers) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const json = await response.json();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Ours: the real application (createApp) on a fresh data directory; POST /api/experiments/:id/steps spread
 * over `experiments` running experiments (each command reads and folds its stream, so one hot stream would
 * measure stream length instead), as a staff user with an API token when the app has accounts.
 */
async function startOurs(root, { experiments }, durability) {
  const dir = freshDir(root, `http-${durability}`);
  const { createApp, AppConfig } = await loadApp();
  const config = AppConfig.fromEnvironment({
    TRACKER_DATA_DIR: dir,
    TRACKER_DEMO: '0',
    TRACKER_DURABILITY: durability,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
  });
  const token = await provisionStaffToken(config);
  const headers = token === null ? JSON_HEADERS : { ...JSON_HEADERS, authorization: `Bearer ${token}` };
  const app = await createApp(config, { docsUi: false });
  const close = async () => {
    await app.close();
    cleanDir(dir);
  };
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = addressOf(app.getHttpServer());
    const paths = [];
    for (let i = 0; i < experiments; i++) {
      const { id } = await post(base, '/api/experiments', TEST_CARD, headers);
      await post(base, `/api/experiments/${id}/start`, {}, headers);
      paths.push(`/api/experiments/${id}/steps`);
    }
    return { name: `ours-${durability}`, target: { url: base, method: 'POST', body: STEP_BODY, headers, paths }, close, authenticated: token !== null };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * H1, N1 and ours listen side by side in this process; the load generator alternates between them in
 * `slices` slices so that every server sees the same machine (others' load on a shared machine varies).
 * First a warm-up, then maximum load (closed loop), then each at half its own maximum (open loop).
 * `around(name, fn)` wraps an extra maximum-load run of our command (the bench's --profile hooks in there).
 */
export async function httpCases(root, cfg) {
  const { connections, httpSec, warmupSec, slices, loadCpu, durableToo, around } = cfg;
  const servers = [];
  try {
    // One at a time, so that a server that fails to start leaves the others in the list to be closed.
    servers.push(await startBareFastify());
    servers.push(await startNestNoop());
    servers.push(await startOurs(root, cfg, 'normal'));
    if (durableToo) servers.push(await startOurs(root, cfg, 'full'));
    const targets = Object.fromEntries(servers.map((s) => [s.name, { ...s.target, connections }]));
    const sliceSec = httpSec / slices;
    const each = (phase) => Array.from({ length: slices }, () => servers.map(phase)).flat();
    const warmups = servers.map((s) => ({ name: s.name, duration: warmupSec, warmup: true }));
    const max = await runLoad(targets, [...warmups, ...each((s) => ({ name: s.name, duration: sliceSec }))], loadCpu);
    const rateOf = (s) => Math.max(1, Math.floor(max[s.name].requestsPerSec / 2));
    const half = await runLoad(targets, each((s) => ({ name: s.name, duration: sliceSec, rate: rateOf(s) })), loadCpu);
    if (around) {
      const { name } = servers[2];
      await around(`http-${name}`, () => runLoad(targets, [{ name, duration: httpSec }], loadCpu));
    }
    return Object.fromEntries(
      servers.map((s) => [s.name, { max: max[s.name], half: half[s.name], halfRate: rateOf(s), connections, authenticated: s.authenticated }]),
    );
  } finally {
    for (const server of servers) await server.close();
  }
}
