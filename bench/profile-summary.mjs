/**
 * Where the time goes in a .cpuprofile (from `--profile` or `node --cpu-prof`): self time by package or
 * file, self time by function, and inclusive time by function.
 *
 *   node bench/profile-summary.mjs bench/results/profile-http-ours.cpuprofile [rows]
 */
import fs from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [rows]');
const rows = Number(rowsArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const shortUrl = (url) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|bench)\//, '$1/');
const packageOf = (frame) => {
  const match = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (match) return match[1];
  return frame.url ? shortUrl(frame.url) : frame.functionName;
};
const label = (frame) => `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;

const selfTime = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  total += dt;
});

const byPackage = new Map();
const byFunction = new Map();
const inclusive = new Map();
const add = (map, key, t) => map.set(key, (map.get(key) ?? 0) + t);
for (const [id, t] of selfTime) {
  const frame = nodes.get(id).callFrame;
  add(byPackage, packageOf(frame), t);
  add(byFunction, label(frame), t);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parents.get(cur)) {
    const key = label(nodes.get(cur).callFrame);
    if (!seen.has(key)) add(inclusive, key, t), seen.add(key);
  }
}

const top = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(([key, t]) => `${((100 * t) / total).toFixed(1).padStart(6)}%  ${key}`)
    .join('\n');
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log(`\nself time by package / file\n${top(byPackage)}`);
console.log(`\nself time by function\n${top(byFunction)}`);
console.log(`\ninclusive time by function\n${top(inclusive)}`);
