/**
 * Rebuilds the experiment timeline from an existing store into a fresh read-model db, in its own process so
 * that its peak RSS is the rebuild's. Prints one JSON line.
 */
import { experimentTimelineProjection, openOurStore, openReadModelDb, ProjectionRunner } from '../lib/ours.mjs';
import { now } from '../lib/util.mjs';

const { eventsFile, readModelFile } = JSON.parse(process.argv[2]);

const store = openOurStore(eventsFile, 'normal');
const db = openReadModelDb(readModelFile);
const runner = new ProjectionRunner({ store, db, projections: [experimentTimelineProjection] });
const head = await store.headPosition();
// Ticks of a 10 ms timer show how long the event loop (and so an HTTP server in this process) went unserved.
const ticks = [];
const ticker = setInterval(() => ticks.push(now()), 10);
const start = now();
await runner.start();
const caughtUp = await runner.waitFor(head, 30 * 60_000);
const ms = now() - start;
clearInterval(ticker);
const marks = [start, ...ticks, start + ms];
const loopMaxStallMs = Math.max(...marks.slice(1).map((t, i) => t - marks[i]));
await runner.stop();
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
await store.close();
db.close();
process.stdout.write(
  `${JSON.stringify({
    events: head,
    caughtUp,
    ms,
    rate: (head * 1000) / ms,
    maxRssBytes,
    loopMaxStallMs,
    timerTicks: ticks.length,
  })}\n`,
);
