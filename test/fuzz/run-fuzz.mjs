#!/usr/bin/env node
/**
 * The long hostile-input run: `npm run fuzz` (100,000 generated requests by default). FUZZ_RUNS and FUZZ_SEED
 * override; further arguments go to Jest (e.g. `-t "raw"` for one property). `npm test` runs the same suite at
 * its default of 10,000.
 */
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '100000' };
const specs = ['hostile-input.e2e-spec.ts', 'request-limits.e2e-spec.ts'].map((name) => relative(root, join(root, 'test', 'fuzz', name)));
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const args = ['--experimental-vm-modules', jest, '--selectProjects', 'e2e', '--runTestsByPath', ...specs, ...process.argv.slice(2)];

process.stdout.write(`fuzz: FUZZ_RUNS=${env.FUZZ_RUNS}${env.FUZZ_SEED ? ` FUZZ_SEED=${env.FUZZ_SEED}` : ''}\n`);
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
