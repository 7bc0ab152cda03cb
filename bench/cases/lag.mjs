import { join } from 'node:path';
import { experimentHistory, experimentStream, newId, stepLogged } from '../lib/events.mjs';
import { experimentTimelineProjection, openOurStore, openReadModelDb, ProjectionRunner } from '../lib/ours.mjs';
import { cleanDir, freshDir, latencySummary, loopAsync, now } from '../lib/util.mjs';

const EXPERIMENTS = 100;
const WAIT_MS = 5000;

/**
 * Append → read-model visibility: our store and the runner (experiment timeline) in one process, as in the
 * app. First the highest append rate with the runner following (appends back to back, until all are
 * projected), then appends paced at half that rate. Lag: from the append call until `runner.waitFor` of its
 * position resolves.
 */
export async function appendToVisibleLag(root, { caseMs }) {
  const dir = freshDir(root, 'lag');
  const store = openOurStore(join(dir, 'events.db'), 'normal');
  const db = openReadModelDb(join(dir, 'read-models.db'));
  const runner = new ProjectionRunner({ store, db, projections: [experimentTimelineProjection] });
  try {
    await runner.start();
    const ids = Array.from({ length: EXPERIMENTS }, newId);
    const versions = ids.map(() => 2);
    for (const id of ids) await store.appendToStream(experimentStream(id), experimentHistory(id, 2), { expectedVersion: 0 });
    await runner.waitFor(await store.headPosition(), WAIT_MS);

    const appendOne = async (i) => {
      const k = i % EXPERIMENTS;
      const version = versions[k]++;
      const { position } = await store.appendToStream(experimentStream(ids[k]), [stepLogged(ids[k], version + 1)], {
        expectedVersion: version,
      });
      return position;
    };
    let n = 0;
    // Highest load: appends back to back while the runner follows, timed until everything is projected.
    const maxStart = now();
    const appended = await loopAsync(() => appendOne(n++), { maxOps: 1e9, maxMs: caseMs });
    if (!(await runner.waitFor(await store.headPosition(), WAIT_MS))) throw new Error('projection did not catch up');
    const maxRate = (appended.ops * 1000) / (now() - maxStart);

    const rate = maxRate / 2;
    const interval = 1000 / rate;
    const lags = [];
    const waits = [];
    let missed = 0;
    const start = now();
    for (let sent = 0; now() - start < caseMs; ) {
      while (start + sent * interval <= now()) {
        const t0 = now();
        const position = await appendOne(n++);
        sent++;
        waits.push(runner.waitFor(position, WAIT_MS).then((seen) => (seen ? lags.push(now() - t0) : missed++)));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waits);
    return { maxRate, rate, appended: lags.length + missed, missed, lag: latencySummary(lags) };
  } finally {
    await runner.stop();
    await store.close();
    db.close();
    cleanDir(dir);
  }
}
