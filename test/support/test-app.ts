import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory.js';
import { AppConfig } from '../../apps/api/src/config/app-config.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: <T = Record<string, unknown>>() => T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Raw payload; objects are sent as JSON. */
  body?: unknown;
}

/** The real application on a temporary data directory, listening on a loopback port, driven over HTTP. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly dataDir: string,
    private readonly ownsDir: boolean,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}, dataDir?: string): Promise<TestApp> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tracker-e2e-'));
    const config = AppConfig.fromEnvironment({
      TRACKER_DATA_DIR: dir,
      TRACKER_DEMO: '0',
      TRACKER_DURABILITY: 'normal',
      LOG_LEVEL: 'silent',
      ...env,
    });
    const app = await createApp(config, { docsUi: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new TestApp(app, dir, dataDir === undefined, `http://127.0.0.1:${port}`);
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, options: RequestOptions = {}): Promise<Reply> {
    const json = options.body !== undefined && typeof options.body !== 'string' && !Buffer.isBuffer(options.body);
    const response = await fetch(`${this.baseUrl}${url}`, {
      method,
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: json ? JSON.stringify(options.body) : (options.body as string | Buffer | undefined),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body,
      json: <T>() => JSON.parse(body) as T,
    };
  }

  get(url: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', url, { headers });
  }

  post(url: string, body: unknown = {}, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', url, { body, headers });
  }

  async close(): Promise<void> {
    await this.app.close();
    if (this.ownsDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A valid Test Card body. */
export function testCard(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Green living made easy',
    hypothesis: 'We believe that residents will take initiative if the first step is small',
    test: 'To verify that, we will run a street-level pop-up for two weeks',
    metric: 'Households that sign up',
    successCriteria: 'At least 30 households sign up',
    themes: ['sustainable urban development'],
    ...overrides,
  };
}
