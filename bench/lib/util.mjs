import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const now = () => performance.now();

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function latencySummary(samplesMs) {
  const sorted = Float64Array.from(samplesMs).sort();
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `op(i)` until `maxOps` calls or `maxMs` elapsed; `perOp` is how many events one call handles. */
export function loopSync(op, { maxOps, maxMs, perOp = 1 }) {
  const start = now();
  const end = start + maxMs;
  let ops = 0;
  while (ops < maxOps && now() < end) op(ops++);
  const ms = now() - start;
  return { ops, events: ops * perOp, ms, rate: (ops * perOp * 1000) / ms };
}

export async function loopAsync(op, { maxOps, maxMs, perOp = 1 }) {
  const start = now();
  const end = start + maxMs;
  let ops = 0;
  while (ops < maxOps && now() < end) await op(ops++);
  const ms = now() - start;
  return { ops, events: ops * perOp, ms, rate: (ops * perOp * 1000) / ms };
}

export function syncDisk() {
  spawnSync('sync', { stdio: 'ignore' });
}

/** A fresh, empty directory for one case. */
export function freshDir(root, name) {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Deletes a case's files and flushes the disk so leftover writes do not slow the next case. */
export function cleanDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  syncDisk();
}

/** The mount that holds `dir` (longest mount-point prefix in /proc/mounts). */
export function fileSystemOf(dir) {
  const real = fs.realpathSync(dir);
  let best = { mountPoint: '/', type: 'unknown', device: 'unknown' };
  try {
    for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const [device, mountPoint, type] = line.split(' ');
      if (!mountPoint) continue;
      const inside = real === mountPoint || real.startsWith(mountPoint.endsWith('/') ? mountPoint : `${mountPoint}/`);
      if (inside && mountPoint.length >= best.mountPoint.length) best = { mountPoint, type, device };
    }
  } catch {
    const stat = spawnSync('stat', ['-f', '-c', '%T', real], { encoding: 'utf8' });
    if (stat.status === 0) best.type = stat.stdout.trim();
  }
  return { ...best, volatile: ['tmpfs', 'ramfs'].includes(best.type) };
}

/** F1: latency of write(4 KiB) + fdatasync on a file in `dir`. */
export function fsyncLatency(dir, { count, maxMs }) {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(4096, 7);
  const samples = [];
  const end = now() + maxMs;
  try {
    for (let i = 0; i < count && now() < end; i++) {
      fs.writeSync(fd, block, 0, block.length, (i % 64) * block.length);
      const t0 = now();
      fs.fdatasyncSync(fd);
      samples.push(now() - t0);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  return latencySummary(samples);
}

export const hasTaskset = () => spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

/** Pins every thread of this process to `cpus` (taskset list syntax); false when not possible. */
export function pinSelf(cpus) {
  if (!hasTaskset()) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' }).status === 0;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU time of the whole machine and of this process with its waited-for children (clock ticks). */
export function cpuSnapshot() {
  try {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = fields.map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3] + (ticks[4] ?? 0);
    const self = fs.readFileSync('/proc/self/stat', 'utf8');
    const [utime, stime, cutime, cstime] = self.slice(self.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
    return { total, busy: total - idle, ours: utime + stime + cutime + cstime };
  } catch {
    return null;
  }
}

/** Share of the machine's CPU (0..1) used by other processes between two snapshots. */
export function othersShare(before, after) {
  if (!before || !after || after.total === before.total) return null;
  const others = after.busy - before.busy - (after.ours - before.ours);
  return Math.max(0, others / (after.total - before.total));
}
