import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseStreamName, StreamCategory } from '#domain';
import {
  EVENT_UPCASTERS,
  InMemoryEventStore,
  schemaVersionOf,
  Upcasters,
  UpcastingEventStore,
  type EventToAppend,
  type RecordedEvent,
} from '#event-store';
import { STEP_LOGGED_HISTORY } from '../../libs/event-store/src/upcasting/step-logged-history.testing.js';
import { AGGREGATES, playScenario } from '../fixtures/events/scenario.js';

/**
 * Historical event fixtures (test/fixtures/events/<category>/<Type>.v<N>.json) must stay readable: loaded
 * through the upcasting store with the production upcasters, each must reach the schema version today's deciders
 * write, with the same data shape, and fold (decider and view) to what today's events of the same facts fold to.
 * A schema change without an upcaster fails here. `UPDATE_EVENT_FIXTURES=1` records fixtures for event types and
 * versions that have none yet; existing fixtures are never rewritten.
 */

type Category = keyof typeof AGGREGATES;

interface EventFixture {
  about: string;
  category: Category;
  type: string;
  schemaVersion: number;
  /** The stream up to and including the first event of `type` at `schemaVersion`, as stored. */
  events: RecordedEvent[];
}

const DIR = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
const RECORDED_AT = new Date('2024-06-01T12:00:00.000Z');
const ABOUT = 'Recorded from test/fixtures/events/scenario.ts by the deciders of its time. History: never edit.';
const CATEGORIES = Object.values(StreamCategory);

const fixtureFile = (category: string, type: string, version: number) => join(DIR, category, `${type}.v${version}.json`);
const categoryOf = (stream: string) => parseStreamName(stream).category as Category;

/** Stores `events` in a fresh store (fixed clock) and reads the stream back through the upcasters. */
async function throughStore(stream: string, events: readonly EventToAppend[], upcasters: Upcasters): Promise<RecordedEvent[]> {
  const store = new UpcastingEventStore(new InMemoryEventStore(() => RECORDED_AT), upcasters);
  const toAppend = events.map(({ eventId, type, data, metadata }) => ({ eventId, type, data, metadata }));
  await store.appendToStream(stream, toAppend, { expectedVersion: 'no_stream' });
  const read = await store.readStream(stream);
  const all: RecordedEvent[] = [];
  for await (const batch of store.readAll({ batchSize: 3 })) all.push(...batch);
  expect(all).toEqual(read);
  await store.close();
  return read;
}

/** Where the shapes of two JSON values differ (null matches anything; arrays by their first items). */
function shapeDifferences(actual: unknown, expected: unknown, path: string): string[] {
  if (actual === null || expected === null) return [];
  const kind = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);
  if (kind(actual) !== kind(expected)) return [`${path} is ${kind(actual)}, today ${kind(expected)}`];
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length > 0 && expected.length > 0 ? shapeDifferences(actual[0], expected[0], `${path}[0]`) : [];
  }
  if (typeof actual !== 'object' || typeof expected !== 'object') return [];
  const [a, e] = [actual as Record<string, unknown>, expected as Record<string, unknown>];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(e)])].sort();
  return keys.flatMap((key) => {
    if (!(key in a)) return [`${path}.${key} is missing`];
    if (!(key in e)) return [`${path}.${key} is no longer written`];
    return shapeDifferences(a[key], e[key], `${path}.${key}`);
  });
}

/** What keeps `fixture` from reading as today's events of the same facts (empty when it reads fine). */
async function problemsOf(fixture: EventFixture, upcasters: Upcasters, today: ReadonlyMap<string, RecordedEvent[]>): Promise<string[]> {
  const stream = fixture.events[0]?.streamId ?? '';
  const last = fixture.events.at(-1);
  const wellFormed =
    last?.type === fixture.type &&
    schemaVersionOf(last) === fixture.schemaVersion &&
    categoryOf(stream) === fixture.category &&
    fixture.events.every((e, i) => e.streamId === stream && e.version === i + 1);
  if (!wellFormed) return ['the fixture is not one stream from version 1 ending with an event of its type and version'];
  const expected = today.get(stream)?.slice(0, fixture.events.length) ?? [];
  if (expected.length < fixture.events.length || expected.some((e, i) => e.type !== fixture.events[i].type)) {
    return [`the scenario no longer writes ${stream} as recorded: scenario steps may be appended, never changed`];
  }
  const { fold, view } = AGGREGATES[fixture.category];
  let read: RecordedEvent[];
  try {
    read = await throughStore(stream, fixture.events, upcasters);
  } catch (error) {
    return [`reading through the upcasters fails: ${String(error)}`];
  }
  const problems = read.flatMap((event, i) => {
    const [stored, reads, written] = [schemaVersionOf(fixture.events[i]), schemaVersionOf(event), schemaVersionOf(expected[i])];
    const versions =
      reads === written ? [] : [`${event.type} v${stored} reads as v${reads}, but deciders write v${written}: register an upcaster`];
    return [...versions, ...shapeDifferences(event.data, expected[i].data, `${event.type} v${stored} data`)];
  });
  for (const [what, readable] of [
    ['decider state', fold],
    ['view', view],
  ] as const) {
    try {
      if (!isDeepStrictEqual(readable(read), readable(expected))) problems.push(`the ${what} differs from today's`);
    } catch (error) {
      problems.push(`the ${what} cannot fold it: ${String(error)}`);
    }
  }
  return problems;
}

function loadFixtures(): EventFixture[] {
  return CATEGORIES.flatMap((category) =>
    existsSync(join(DIR, category))
      ? readdirSync(join(DIR, category))
          .filter((file) => file.endsWith('.json'))
          .sort()
          .map((file) => JSON.parse(readFileSync(join(DIR, category, file), 'utf8')) as EventFixture)
      : [],
  );
}

/** Today's events of the scenario, per stream, read back from a store. */
async function todaysStreams(upcasters = EVENT_UPCASTERS): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const [stream, events] of playScenario()) streams.set(stream, await throughStore(stream, events, upcasters));
  return streams;
}

/** Writes a fixture for every (category, type, version) of today's events that has none. */
function recordMissingFixtures(streams: ReadonlyMap<string, RecordedEvent[]>): void {
  for (const [stream, events] of streams) {
    const category = categoryOf(stream);
    events.forEach((event, i) => {
      const file = fixtureFile(category, event.type, schemaVersionOf(event));
      if (existsSync(file)) return;
      const fixture: EventFixture = { about: ABOUT, category, type: event.type, schemaVersion: schemaVersionOf(event), events: events.slice(0, i + 1) };
      mkdirSync(join(DIR, category), { recursive: true });
      writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
    });
  }
}

const today = await todaysStreams();
if (process.env.UPDATE_EVENT_FIXTURES === '1') recordMissingFixtures(today);

describe('historical event fixtures read through the upcasters', () => {
  /** Per category and type, the schema version today's deciders write. */
  function writtenVersions(): Map<string, number> {
    const versions = new Map<string, number>();
    for (const [stream, events] of today) for (const e of events) versions.set(`${categoryOf(stream)}/${e.type}`, schemaVersionOf(e));
    return versions;
  }

  it('the scenario makes today’s deciders write every event type of every aggregate', () => {
    const written = writtenVersions();
    const missing = CATEGORIES.flatMap((category) => AGGREGATES[category].types.map((type) => `${category}/${type}`)).filter((key) => !written.has(key));
    expect(missing).toEqual([]);
  });

  it('the production upcasters read every type at the version deciders write', () => {
    const behind = [...writtenVersions()].filter(([key, version]) => EVENT_UPCASTERS.currentVersion(key.split('/')[1]) !== version);
    expect(behind).toEqual([]);
  });

  it('a fixture is kept for every event type and every schema version up to today’s', () => {
    const missing = [...writtenVersions()].flatMap(([key, version]) => {
      const [category, type] = key.split('/');
      return Array.from({ length: version }, (_, i) => fixtureFile(category, type, i + 1)).filter((file) => !existsSync(file));
    });
    // Record new ones with UPDATE_EVENT_FIXTURES=1, and commit them.
    expect(missing).toEqual([]);
  });

  it.each(loadFixtures().map((fixture) => [`${fixture.category}/${fixture.type}.v${fixture.schemaVersion}`, fixture] as const))(
    '%s reads as today’s events (version, data shape, decider state, view)',
    async (_, fixture) => {
      expect(fixture.about).toBe(ABOUT);
      expect(AGGREGATES[fixture.category].types).toContain(fixture.type);
      expect(await problemsOf(fixture, EVENT_UPCASTERS, today)).toEqual([]);
    },
  );

  it('fails a schema change without an upcaster, and passes once one is registered', async () => {
    const fixture = loadFixtures().find((f) => f.type === 'StepLogged' && f.schemaVersion === 1) as EventFixture;
    // As if deciders now wrote StepLogged v2 (`evidenceUrl` became `evidenceUrls`), and views read it.
    const v2 = new Upcasters([STEP_LOGGED_HISTORY[0]]);
    const todayV2 = await todaysStreams(v2);
    expect(await problemsOf(fixture, EVENT_UPCASTERS, todayV2)).toEqual([
      'StepLogged v1 reads as v1, but deciders write v2: register an upcaster',
      'StepLogged v1 data.evidenceUrl is no longer written',
      'StepLogged v1 data.evidenceUrls is missing',
      'the view differs from today\'s',
    ]);
    expect(await problemsOf(fixture, v2, todayV2)).toEqual([]);
  });
});
