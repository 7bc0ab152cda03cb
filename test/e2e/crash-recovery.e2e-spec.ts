import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess } from '../support/server-process.js';
import { testCard } from '../support/test-app.js';

interface Timeline {
  items: Array<{ type: string; eventId: string; position: number }>;
}

async function post(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('crash recovery (SIGKILL during a burst of appends)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracker-crash-'));
  const env = { TRACKER_DATA_DIR: dataDir, TRACKER_DEMO: '0', TRACKER_DURABILITY: 'full' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loses no acknowledged event and the timeline converges to the store', async () => {
    const first = await ServerProcess.start(env);
    const designed = await post(first.baseUrl, '/api/experiments', testCard());
    const { id } = (await designed.json()) as { id: string };
    expect((await post(first.baseUrl, `/api/experiments/${id}/start`, {})).status).toBe(200);

    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const response = await post(first.baseUrl, `/api/experiments/${id}/steps`, { description: `writer ${w} step ${i}` });
          if (response.status === 200) acknowledged.push(((await response.json()) as { stepId: string }).stepId);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 10));
    await first.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);

    const second = await ServerProcess.start(env);
    try {
      const entity = (await (await fetch(`${second.baseUrl}/api/experiments/${id}`)).json()) as {
        version: number;
        steps: Array<{ stepId: string }>;
      };
      const stored = new Set(entity.steps.map((s) => s.stepId));
      for (const stepId of acknowledged) expect(stored.has(stepId)).toBe(true);

      let timeline: Timeline = { items: [] };
      for (let attempt = 0; attempt < 100; attempt++) {
        timeline = (await (await fetch(`${second.baseUrl}/api/experiments/${id}/timeline`)).json()) as Timeline;
        if (timeline.items.length >= entity.version) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(timeline.items).toHaveLength(entity.version);
      expect(new Set(timeline.items.map((e) => e.eventId)).size).toBe(entity.version);
      expect(new Set(timeline.items.map((e) => e.position)).size).toBe(entity.version);
      expect(timeline.items.filter((e) => e.type === 'StepLogged')).toHaveLength(stored.size);
    } finally {
      await second.kill('SIGTERM');
    }
  }, 90000);
});
