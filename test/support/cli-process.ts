import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const CLI = resolve('dist/apps/cli/src/main.js');

/** What one run of the command line printed, and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes (reports in pdf). */
  bytes: Buffer;
}

/** Runs the compiled CLI (built by `npm run build`, which `npm test` runs first) with extra environment. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  if (!existsSync(CLI)) return Promise.reject(new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => {
      const bytes = Buffer.concat(out);
      done({ code, stdout: bytes.toString(), stderr, bytes });
    });
  });
}
