import { describe, expect, it } from '@jest/globals';
import {
  collaborationDecider,
  gatheringDecider,
  networkDecider,
  organisationDecider,
  personDecider,
  streamName,
  type Decider,
  type DomainEvent,
} from '#domain';
import { demoBusinessTime } from './demo.loader.js';
import { DEMO_IDS, DEMO_STEPS, type DemoStep } from './demo-workspace.js';

/** Runs every step through its pure decider, folding per stream; returns the events by stream, in order. */
function play(steps: readonly DemoStep[]): Array<{ stream: string; event: DomainEvent }> {
  const states = new Map<string, unknown>();
  const out: Array<{ stream: string; event: DomainEvent }> = [];
  const run = <C, E extends DomainEvent, S>(stream: string, decider: Decider<C, E, S>, command: C) => {
    const state = (states.has(stream) ? states.get(stream) : decider.initialState()) as S;
    const events = decider.decide(command, state);
    states.set(stream, events.reduce(decider.evolve, state));
    for (const event of events) out.push({ stream, event });
  };
  for (const step of steps) {
    const stream = streamName(step.aggregate, step.id);
    const occurredAt = demoBusinessTime(step.occurredAt);
    switch (step.aggregate) {
      case 'organisation':
        run(stream, organisationDecider, { ...step.command, occurredAt });
        break;
      case 'person':
        run(stream, personDecider, { ...step.command, occurredAt });
        break;
      case 'collaboration':
        run(stream, collaborationDecider, { ...step.command, occurredAt });
        break;
      case 'network':
        run(stream, networkDecider, { ...step.command, occurredAt });
        break;
      case 'gathering':
        run(stream, gatheringDecider, { ...step.command, occurredAt });
        break;
    }
  }
  return out;
}

describe('demo workspace', () => {
  it('is accepted by the deciders, one event per step', () => {
    const events = play(DEMO_STEPS);
    expect(events).toHaveLength(DEMO_STEPS.length);
    expect(events.map((e) => e.event.type)).toEqual([
      'OrganisationRegistered',
      'NetworkFounded',
      'OrganisationRegistered',
      'NetworkFounded',
      'HeadcountReported',
      'HeadcountReported',
      'MilestoneSet',
      'LearningRecorded',
      'LearningRecorded',
      'CollaborationAgreed',
      'PartyJoined',
      'ActivityPlanned',
      'InitiativeLinked',
      'GatheringHeld',
      'InsightRecorded',
      'PersonRegistered',
      'RoleAssumed',
    ]);
  });

  it('has the same ids on every machine', () => {
    expect(DEMO_IDS.socentral).toBe('3d461148-492b-5d6b-b4e6-37a01f878371');
    const all = Object.values(DEMO_IDS);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('dates bare dates at 00:00 Europe/Oslo and nothing in the future', () => {
    expect(demoBusinessTime('2019-01-01')).toBe('2018-12-31T23:00:00.000Z');
    expect(demoBusinessTime('2018-06-01')).toBe('2018-05-31T22:00:00.000Z');
    for (const step of DEMO_STEPS) expect(Date.parse(demoBusinessTime(step.occurredAt))).toBeLessThan(Date.now());
  });

  it('starts with the step whose stream guards against a double load', () => {
    expect(DEMO_STEPS[0]).toMatchObject({ aggregate: 'organisation', id: DEMO_IDS.socentral });
  });

  it('names no city adopting the method, which the article does not name', () => {
    expect(DEMO_STEPS.some((s) => s.command.type === 'UpdateMethodAdoption')).toBe(false);
  });
});
