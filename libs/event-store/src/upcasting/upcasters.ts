import type { RecordedEvent } from '../envelope.js';
import { EventStoreError } from '../errors.js';

/**
 * Turns an event's data from schema version n into version n + 1. Pure: no I/O, clock or randomness, and it
 * must not mutate its arguments. The envelope is passed for context (e.g. `metadata.occurredAt`).
 */
export type Upcaster = (data: unknown, event: Readonly<RecordedEvent>) => unknown;

/** One step of an event type's schema history: `type` stored at `fromVersion` is read as `fromVersion + 1`. */
export interface UpcasterStep {
  type: string;
  fromVersion: number;
  upcast: Upcaster;
}

/** An event cannot be brought to the schema version this code reads. */
export class UpcastingError extends EventStoreError {}

/** Stored schema versions of events this process has upcast, by the upcast copy. */
const storedVersions = new WeakMap<RecordedEvent, number>();

/** The schema version an event carries, 1 when the metadata has none (the envelope default). */
export function schemaVersionOf(event: Pick<RecordedEvent, 'metadata'>): number {
  const version = event.metadata.schemaVersion;
  return Number.isSafeInteger(version) && version >= 1 ? version : 1;
}

/** The schema version the event was stored with, also after an {@link Upcasters.upcast} (which changes the metadata). */
export function storedSchemaVersion(event: RecordedEvent): number {
  return storedVersions.get(event) ?? schemaVersionOf(event);
}

/**
 * The registry of upcasters, keyed by (event type, stored schema version). Each type's steps must form an
 * unbroken chain (1 → 2 → 3 …), so every stored version from the first step on reaches the current one.
 */
export class Upcasters {
  private readonly chains = new Map<string, Map<number, Upcaster>>();

  constructor(steps: readonly UpcasterStep[] = []) {
    for (const step of steps) {
      if (typeof step.type !== 'string' || step.type.length === 0) throw new UpcastingError('An upcaster needs an event type');
      if (!Number.isSafeInteger(step.fromVersion) || step.fromVersion < 1) {
        throw new UpcastingError(`Upcaster ${step.type}: fromVersion must be a positive integer, got ${String(step.fromVersion)}`);
      }
      const chain = this.chains.get(step.type) ?? new Map<number, Upcaster>();
      if (chain.has(step.fromVersion)) {
        throw new UpcastingError(`Upcaster ${step.type} v${step.fromVersion} → v${step.fromVersion + 1} is registered twice`);
      }
      chain.set(step.fromVersion, step.upcast);
      this.chains.set(step.type, chain);
    }
    for (const [type, chain] of this.chains) {
      const versions = [...chain.keys()].sort((a, b) => a - b);
      const gap = versions.find((version, i) => i > 0 && version !== versions[i - 1] + 1);
      if (gap !== undefined) throw new UpcastingError(`Upcasters of ${type} skip a version before v${gap}: add v${gap - 1} → v${gap}`);
    }
  }

  /** Event types with at least one upcaster. */
  types(): string[] {
    return [...this.chains.keys()].sort();
  }

  /** The schema version this code reads for `type`: one past its newest upcaster, 1 when it has none. */
  currentVersion(type: string): number {
    const chain = this.chains.get(type);
    return chain ? Math.max(...chain.keys()) + 1 : 1;
  }

  /**
   * The event at the current version of its type: a copy with upcast `data` and `metadata.schemaVersion`, or
   * the same object when it is current already or newer (written by newer code; left as stored). Throws
   * {@link UpcastingError} for a stored version older than the type's first upcaster.
   */
  upcast<E extends RecordedEvent>(event: E): E {
    const stored = schemaVersionOf(event);
    const current = this.currentVersion(event.type);
    if (stored >= current) return event;
    const chain = this.chains.get(event.type) as Map<number, Upcaster>;
    let data = event.data;
    for (let version = stored; version < current; version++) {
      const step = chain.get(version);
      if (!step) {
        throw new UpcastingError(`Event ${event.eventId}: no upcaster reads ${event.type} v${version} (current is v${current})`);
      }
      try {
        data = step(data, event);
      } catch (error) {
        throw new UpcastingError(`Event ${event.eventId}: upcasting ${event.type} v${version} → v${version + 1} failed`, { cause: error });
      }
    }
    const upcast: E = { ...event, data, metadata: { ...event.metadata, schemaVersion: current } };
    storedVersions.set(upcast, stored);
    return upcast;
  }
}
