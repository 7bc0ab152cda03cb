import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventToAppend } from '../envelope.js';

/** What a test may set on an event; everything else gets a valid default. */
export interface TestEventInput {
  type?: string;
  data?: unknown;
  /** Defaults to a fresh random UUID. */
  eventId?: string;
  metadata?: Partial<EventMetadata>;
}

/** Metadata of a system action, as the demo and the CLI write it. */
export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    correlationId: randomUUID(),
    causationId: null,
    actor: { id: 'system', role: 'system' },
    occurredAt: '2019-01-01T00:00:00.000Z',
    schemaVersion: 1,
    source: 'test',
    ...overrides,
  };
}

/** A valid event to append in tests. */
export function testEvent(input: TestEventInput = {}): EventToAppend {
  return {
    eventId: input.eventId ?? randomUUID(),
    type: input.type ?? 'TestEventHappened',
    data: input.data ?? {},
    metadata: testMetadata(input.metadata),
  };
}

/** `count` valid events, numbered in their data as `{ n }` from 1. */
export function testEvents(count: number, type = 'TestEventHappened'): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => testEvent({ type, data: { n: i + 1 } }));
}
