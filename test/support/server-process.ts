import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { AppConfig } from '../../apps/api/src/config/app-config.js';
import { provisionTestStaff } from './accounts-fixture.js';
import { rawFetch, signFetchesTo } from './signed-in-fetch.js';

const MAIN = resolve('dist/apps/api/src/main.js');

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The compiled API server as a child process (built by `npm run build`, which `npm test` runs first). Before it
 * starts, the test staff user is provisioned in its accounts file; direct `fetch` calls to `baseUrl` act as them.
 */
export class ServerProcess {
  private output = '';
  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
    /** The test staff user's API token. */
    readonly staffToken: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
    if (env.TRACKER_DATA_DIR === undefined && env.TRACKER_ACCOUNTS_FILE === undefined) {
      throw new Error('ServerProcess.start needs TRACKER_DATA_DIR (a temporary directory), where it signs the test staff user up');
    }
    const config = AppConfig.fromEnvironment(env);
    const staffToken = provisionTestStaff(config.accountsFile, config.durability);
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`, staffToken);
    signFetchesTo(server.baseUrl, staffToken);
    await server.waitUntilHealthy();
    return server;
  }

  get logs(): string {
    return this.output;
  }

  async waitUntilHealthy(timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited with ${this.child.exitCode}:\n${this.output}`);
      try {
        const response = await rawFetch(`${this.baseUrl}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not become healthy:\n${this.output}`);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }
}
