import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../envelope.js';
import { testEvent } from '../testing/test-event.js';
import { STEP_LOGGED_HISTORY } from './step-logged-history.testing.js';
import { schemaVersionOf, storedSchemaVersion, Upcasters, UpcastingError } from './upcasters.js';

function recorded(type: string, data: unknown, schemaVersion: number): RecordedEvent {
  return {
    ...testEvent({ type, data, eventId: `event-${type}-${schemaVersion}`, metadata: { schemaVersion } }),
    streamId: 'experiment-1',
    version: 1,
    position: 1,
    recordedAt: '2024-01-01T00:00:00.000Z',
    integrity: { previousHash: null, hash: null },
  };
}

const V1 = { experimentId: 'x', stepId: 's', description: 'Interviewed 12 residents', evidenceUrl: 'https://example.org/notes' };

describe('Upcasters', () => {
  const registry = new Upcasters(STEP_LOGGED_HISTORY);

  it('brings a v1 event through every step to the current version, without touching the stored event', () => {
    const stored = recorded('StepLogged', V1, 1);
    const snapshot = structuredClone(stored);
    const current = registry.upcast(stored);
    expect(current.data).toEqual({ experimentId: 'x', stepId: 's', text: 'Interviewed 12 residents', evidenceUrls: ['https://example.org/notes'] });
    expect(current.metadata).toEqual({ ...stored.metadata, schemaVersion: 3 });
    expect({ ...current, data: stored.data, metadata: stored.metadata }).toEqual(stored);
    expect(stored).toEqual(snapshot);
    expect(storedSchemaVersion(current)).toBe(1);
    expect(storedSchemaVersion(stored)).toBe(1);
  });

  it('starts at the stored version', () => {
    const current = registry.upcast(recorded('StepLogged', { experimentId: 'x', stepId: 's', description: 'd', evidenceUrls: [] }, 2));
    expect(current.data).toEqual({ experimentId: 'x', stepId: 's', text: 'd', evidenceUrls: [] });
    expect(storedSchemaVersion(current)).toBe(2);
  });

  it('returns current, newer and unregistered events as they are', () => {
    for (const event of [recorded('StepLogged', {}, 3), recorded('StepLogged', {}, 4), recorded('ExperimentStarted', {}, 1)]) {
      expect(registry.upcast(event)).toBe(event);
    }
    expect(new Upcasters().upcast(recorded('StepLogged', V1, 1)).data).toBe(V1);
  });

  it('reports the current version per type', () => {
    expect(registry.currentVersion('StepLogged')).toBe(3);
    expect(registry.currentVersion('ExperimentStarted')).toBe(1);
    expect(registry.types()).toEqual(['StepLogged']);
    expect(new Upcasters().types()).toEqual([]);
  });

  it('reads a missing or malformed schemaVersion as 1', () => {
    const event = recorded('StepLogged', V1, 1);
    for (const schemaVersion of [undefined, 0, 1.5, '2']) {
      const odd = { ...event, metadata: { ...event.metadata, schemaVersion } } as unknown as RecordedEvent;
      expect(schemaVersionOf(odd)).toBe(1);
      expect(registry.upcast(odd).metadata.schemaVersion).toBe(3);
    }
  });

  it('refuses a step registered twice, a broken chain or a bad version', () => {
    const [first, second] = STEP_LOGGED_HISTORY;
    expect(() => new Upcasters([first, first])).toThrow(/registered twice/);
    expect(() => new Upcasters([first, { ...second, fromVersion: 3 }])).toThrow(/skip a version before v3/);
    for (const fromVersion of [0, -1, 1.5, Number.NaN]) {
      expect(() => new Upcasters([{ ...first, fromVersion }])).toThrow(UpcastingError);
    }
    expect(() => new Upcasters([{ ...first, type: '' }])).toThrow(UpcastingError);
  });

  it('fails loudly for a stored version older than the first step, and when a step throws', () => {
    const fromTwo = new Upcasters([STEP_LOGGED_HISTORY[1]]);
    expect(() => fromTwo.upcast(recorded('StepLogged', V1, 1))).toThrow(/no upcaster reads StepLogged v1/);
    const broken = new Upcasters([{ type: 'StepLogged', fromVersion: 1, upcast: () => { throw new Error('boom'); } }]);
    const error = (() => {
      try {
        broken.upcast(recorded('StepLogged', V1, 1));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UpcastingError);
    expect((error as UpcastingError).message).toMatch(/StepLogged v1 → v2 failed/);
    expect((error as UpcastingError).cause).toEqual(new Error('boom'));
  });
});
