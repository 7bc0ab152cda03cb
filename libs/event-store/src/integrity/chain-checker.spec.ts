import { beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../envelope.js';
import { InMemoryEventStore } from '../in-memory/in-memory-event-store.js';
import { testEvent, testEvents } from '../testing/test-event.js';
import { Upcasters } from '../upcasting/upcasters.js';
import { UpcastingEventStore } from '../upcasting/upcasting-event-store.js';
import { eventHash, GENESIS_HASH } from './chain.js';
import { storedEventsOf } from '../read-mapping-event-store.js';
import { ChainChecker, verifyStreams, type IntegrityProblem } from './chain-checker.js';

let store: InMemoryEventStore;
let log: RecordedEvent[];

beforeEach(async () => {
  store = new InMemoryEventStore();
  await store.appendToStream('experiment-a', testEvents(3));
  await store.appendToStream('experiment-b', [testEvent({ data: { title: 'Bydelsmat' } })]);
  await store.appendToStream('experiment-a', [testEvent()]);
  log = [];
  for await (const batch of store.readAll()) log.push(...batch);
});

/** Runs the checker over `events` (a possibly altered copy of the log); the first problem, or null. */
async function check(events: RecordedEvent[], checker = new ChainChecker(store)): Promise<IntegrityProblem | null> {
  for (const event of events) {
    const problem = await checker.check(event);
    if (problem) return problem;
  }
  return null;
}

function altered(index: number, change: (event: RecordedEvent) => RecordedEvent): RecordedEvent[] {
  return log.map((event, i) => (i === index ? change(structuredClone(event)) : event));
}

describe('ChainChecker', () => {
  it('accepts the log as the store wrote it and counts what it saw', async () => {
    const checker = new ChainChecker(store);
    expect(await check(log, checker)).toBeNull();
    expect({ events: checker.events, streams: checker.streams, unchained: checker.unchained }).toEqual({ events: 5, streams: 2, unchained: 0 });
    expect(await verifyStreams(store)).toEqual({ ok: true, streams: 2, events: 5, unchained: 0 });
  });

  it('reports changed data or metadata as a hash mismatch at that event', async () => {
    const data = await check(altered(3, (e) => ({ ...e, data: { title: 'Bydelsmax' } })));
    expect(data).toMatchObject({ kind: 'hash-mismatch', stream: 'experiment-b', position: 4, eventId: log[3].eventId, expected: log[3].integrity.hash });
    const metadata = await check(altered(1, (e) => ({ ...e, metadata: { ...e.metadata, actor: { id: 'mallory', role: 'staff' } } })));
    expect(metadata).toMatchObject({ kind: 'hash-mismatch', stream: 'experiment-a', position: 2, version: 2 });
  });

  it('reports a previous hash that does not link, or a missing own hash, as a chain break', async () => {
    const relinked = await check(altered(2, (e) => ({ ...e, integrity: { ...e.integrity, previousHash: GENESIS_HASH } })));
    expect(relinked).toMatchObject({ kind: 'chain-break', position: 3, expected: log[1].integrity.hash, actual: GENESIS_HASH });
    const half = await check(altered(2, (e) => ({ ...e, integrity: { ...e.integrity, hash: null } })));
    expect(half).toMatchObject({ kind: 'chain-break', position: 3 });
  });

  it('names a missing version, with where it was witnessed when known', async () => {
    const withoutSecond = log.filter((_, i) => i !== 1);
    const witnessed = { position: 2, eventId: log[1].eventId };
    expect(await check(withoutSecond, new ChainChecker(store, { witnessed: () => witnessed }))).toMatchObject({
      kind: 'missing-event',
      stream: 'experiment-a',
      version: 2,
      ...witnessed,
    });
    expect(await check(withoutSecond, new ChainChecker(new InMemoryEventStore()))).toMatchObject({
      kind: 'missing-event',
      position: null,
      eventId: null,
      expected: 'version 2',
      actual: 'version 3',
    });
  });

  it('reports a version that comes later in the log as reordered', async () => {
    const swapped = log.map((e, i) => (i === 0 ? { ...e, version: 2 } : i === 1 ? { ...e, version: 1 } : e));
    expect(await check(swapped, new ChainChecker({ readStream: async () => [swapped[1]] }))).toMatchObject({
      kind: 'reordered',
      position: 1,
      eventId: log[0].eventId,
    });
    const repeated = altered(2, (e) => ({ ...e, version: 2 }));
    expect(await check(repeated)).toMatchObject({ kind: 'reordered', position: 3 });
  });

  it('accepts unchained legacy events as a prefix of the log, chaining from the genesis value after them', async () => {
    const legacy = (e: RecordedEvent): RecordedEvent => ({ ...e, integrity: { previousHash: null, hash: null } });
    const rechained = { ...log[1], integrity: { previousHash: GENESIS_HASH, hash: eventHash(GENESIS_HASH, log[1]) } };
    const checker = new ChainChecker(store);
    expect(await check([legacy(log[0]), rechained], checker)).toBeNull();
    expect(checker.unchained).toBe(1);
    expect(await check(altered(2, legacy))).toMatchObject({ kind: 'chain-break', position: 3, detail: expect.stringMatching(/no hash/) });
  });

  it('checks events as stored, underneath any upcasting', async () => {
    const upcasting = new UpcastingEventStore(store, new Upcasters([{ type: 'TestEventHappened', fromVersion: 1, upcast: () => ({ changed: true }) }]));
    expect(storedEventsOf(new UpcastingEventStore(upcasting, new Upcasters()))).toBe(store);
    expect(await verifyStreams(upcasting)).toMatchObject({ ok: true, events: 5 });
  });
});
