import { Readable } from 'node:stream';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, Get, Module, Param, Post, StreamableFile } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter } from '../../apps/api/src/http/problem-details.filter.js';
import { answerRouterError, installRequestLimits, REQUEST_LIMITS, type RequestLimits } from '../../apps/api/src/http/request-limits.js';
import { TestApp } from '../support/test-app.js';
import { authHeadersOf, KeepAliveClient, type Answer } from './support/http-client.js';
import { sendRaw } from './support/raw-http.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Controller('t')
class LimitsController {
  static finishedLate = 0;

  @Get('fast')
  fast() {
    return { ok: true };
  }

  @Get('slow')
  async slow() {
    await sleep(1200);
    LimitsController.finishedLate++;
    return { ok: 'too late' };
  }

  @Get('stream')
  stream() {
    async function* chunks() {
      for (let i = 0; i < 6; i++) {
        await sleep(120);
        yield `chunk ${i}\n`;
      }
    }
    return new StreamableFile(Readable.from(chunks()), { type: 'text/plain' });
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return { received: typeof body };
  }
}

@Module({ controllers: [LimitsController] })
class LimitsModule {}

@Controller('p')
class ParamController {
  @Get(':id')
  one(@Param('id') id: string) {
    return { id };
  }
}

@Module({ controllers: [ParamController] })
class ParamModule {}

const SHORT: RequestLimits = {
  ...REQUEST_LIMITS,
  handlerTimeoutMs: 300,
  headersTimeoutMs: 400,
  requestTimeoutMs: 800,
  idleSocketTimeoutMs: 5_000,
  timeoutCheckIntervalMs: 100,
};

/** `levels` arrays, one inside the other. */
const nest = (levels: number) => `${'['.repeat(levels)}1${']'.repeat(levels)}`;

function expectProblem(answer: Answer, status: number, slug?: string): Record<string, unknown> {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toContain('application/problem+json');
  const problem = JSON.parse(answer.body) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (slug) expect(problem.type).toBe(`/problems/${slug}`);
  return problem;
}

describe('request limits on the real app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.close();
  });

  it('bounds how long a request may take to arrive and how long a connection may idle', () => {
    const server = app.app.getHttpServer() as Server & { connectionsCheckingInterval: number };
    expect(server.requestTimeout).toBe(REQUEST_LIMITS.requestTimeoutMs);
    expect(server.headersTimeout).toBe(REQUEST_LIMITS.headersTimeoutMs);
    expect(server.timeout).toBe(REQUEST_LIMITS.idleSocketTimeoutMs);
    expect(server.connectionsCheckingInterval).toBe(REQUEST_LIMITS.timeoutCheckIntervalMs);
  });

  it('refuses a body nested deeper than the limit before any DTO sees it', async () => {
    const client = new KeepAliveClient(app.baseUrl, authHeadersOf(app));
    try {
      // The object is level 1, so its arrays reach level 33.
      const body = `{"title":${nest(REQUEST_LIMITS.maxDepth)}}`;
      const problem = expectProblem(await client.send('POST', '/api/experiments', { 'content-type': 'application/json' }, body), 400, 'validation');
      expect(problem.errors).toEqual([{ field: expect.stringMatching(/^title/), message: expect.stringContaining('nested more than 32 levels') }]);
    } finally {
      client.close();
    }
  });
});

describe('request limits (short limits on a small app)', () => {
  let app: NestFastifyApplication;
  let client: KeepAliveClient;
  let baseUrl: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(LimitsModule, new FastifyAdapter({ frameworkErrors: answerRouterError }), {
      logger: false,
    });
    app.useGlobalFilters(new ProblemDetailsFilter());
    installRequestLimits(app, SHORT);
    await app.init();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    client = new KeepAliveClient(baseUrl, {});
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  const post = (body: string, path = '/t/echo') => client.send('POST', path, { 'content-type': 'application/json' }, body);

  it('answers a handler that has not responded in time with 503, and keeps serving', async () => {
    const started = Date.now();
    expectProblem(await client.send('GET', '/t/slow', {}), 503, 'handler-timeout');
    expect(Date.now() - started).toBeLessThan(1100);
    expect((await client.send('GET', '/t/fast', {})).status).toBe(200);
    await sleep(1100);
    expect(LimitsController.finishedLate).toBe(1);
    expect((await client.send('GET', '/t/fast', {})).status).toBe(200);
  });

  it('leaves a response that is already streaming alone', async () => {
    const answer = await client.send('GET', '/t/stream', {});
    expect(answer.status).toBe(200);
    expect(answer.body.split('\n').filter(Boolean)).toHaveLength(6);
  });

  it('closes a connection whose headers trickle in (slowloris) with 408 problem+json', async () => {
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1', () => socket.write('GET /t/fast HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('the server kept the connection open')), 5_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('application/problem+json');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('closes a connection whose body never completes with 408 problem+json', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1', () =>
        socket.write('POST /t/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":'),
      );
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('the server kept the connection open')), 5_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"status":408');
  });

  it('answers what Node cannot parse, and a missing Host, with problem+json', async () => {
    const host = new URL(baseUrl).host;
    for (const raw of [
      `GET /t/fast HTTP/1.1\r\nHost: ${host}\r\nBad Header: 1\r\n\r\n`,
      `GET /t/fast HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`,
      'GET /t/fast HTTP/1.1\r\n\r\n',
    ]) {
      const answer = await sendRaw(baseUrl, Buffer.from(raw, 'latin1'));
      expect([400, 431]).toContain(answer.status);
      expectProblem(answer, answer.status);
    }
  });

  it('answers what the router refuses (bad percent-encoding, over-long parameter) with problem+json when wired', async () => {
    const app2 = await NestFactory.create<NestFastifyApplication>(ParamModule, new FastifyAdapter({ frameworkErrors: answerRouterError }), {
      logger: false,
    });
    await app2.init();
    await app2.listen({ port: 0, host: '127.0.0.1' });
    const address = app2.getHttpServer().address();
    const other = new KeepAliveClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, {});
    try {
      expectProblem(await other.send('GET', '/p/%E0%A4%A', {}), 400, 'bad-url');
      expectProblem(await other.send('GET', `/p/${'a'.repeat(101)}`, {}), 414, 'uri-too-long');
      expect((await other.send('GET', '/p/fine', {})).status).toBe(200);
    } finally {
      other.close();
      await app2.close();
    }
  });

  it.each([
    ['depth', nest(SHORT.maxDepth), nest(SHORT.maxDepth + 1)],
    ['array items', JSON.stringify(Array(SHORT.maxArrayItems).fill(0)), JSON.stringify(Array(SHORT.maxArrayItems + 1).fill(0))],
    [
      'object keys',
      JSON.stringify(Object.fromEntries(Array.from({ length: SHORT.maxObjectKeys }, (_, i) => [`k${i}`, i]))),
      JSON.stringify(Object.fromEntries(Array.from({ length: SHORT.maxObjectKeys + 1 }, (_, i) => [`k${i}`, i]))),
    ],
    [
      'values',
      JSON.stringify(Array.from({ length: 10 }, () => Array(SHORT.maxValues / 10 - 2).fill(0))),
      JSON.stringify(Array.from({ length: 10 }, () => Array(SHORT.maxValues / 10).fill(0))),
    ],
  ])('accepts a body at the %s limit and refuses one over it', async (_limit, atLimit, overLimit) => {
    expect((await post(atLimit)).status).toBe(201);
    expectProblem(await post(overLimit), 400, 'validation');
  });

  it('refuses names that are no field in bodies and queries, at any depth', async () => {
    for (const body of ['{"constructor":1}', '{"a":{"toString":1}}', '[{"prototype":{}}]', '{"a":[{"hasOwnProperty":0}]}', '{"valueOf":null}']) {
      const problem = expectProblem(await post(body), 400, 'validation');
      expect(JSON.stringify(problem.errors)).toContain('reserved name');
    }
    for (const query of ['constructor=1', '__proto__=1', 'toString=x', 'prototype=1']) {
      expectProblem(await client.send('GET', `/t/fast?${query}`, {}), 400, 'validation');
    }
    expect((await post('{"construct":1,"proto":{"type":"x"}}')).status).toBe(201);
  });
});
