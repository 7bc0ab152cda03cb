import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { GatheringCommand } from './gathering.commands.js';
import { gatheringDecider } from './gathering.decider.js';
import { GATHERING_EVENT_TYPES, type GatheringEvent, type GatheringHeld, type InsightRecorded, type InsightRetracted } from './gathering.events.js';

const id = 'gathering-1';
const AT = '2019-03-15T10:00:00.000Z';

type Cmd<T extends GatheringCommand['type']> = Extract<GatheringCommand, { type: T }>;
const cmd = <T extends GatheringCommand['type']>(type: T, data: Omit<Cmd<T>['data'], 'gatheringId'>): Cmd<T> =>
  ({ type, data: { gatheringId: id, ...data }, occurredAt: AT }) as unknown as Cmd<T>;

const heldEvent: GatheringHeld = {
  type: 'GatheringHeld',
  data: {
    gatheringId: id,
    title: 'Public heroes',
    kind: 'workshop',
    heldOn: '2019-03-14',
    participantCount: 15,
    organiserOrganisationId: 'org-1',
    purpose: null,
  },
};
const insightRecorded: InsightRecorded = {
  type: 'InsightRecorded',
  data: { gatheringId: id, insightId: 'ins-1', observation: 'Heroes lack time', learning: null, themes: [] },
};
const insightRetracted: InsightRetracted = {
  type: 'InsightRetracted',
  data: { gatheringId: id, insightId: 'ins-1', reason: 'misheard' },
};

const hold = cmd('HoldGathering', {
  title: ' Public heroes ',
  kind: 'workshop',
  heldOn: '2019-03-14',
  participantCount: 15,
  organiserOrganisationId: 'org-1',
  purpose: ' ',
});
const record = cmd('RecordInsight', { insightId: 'ins-2', observation: 'Managers are supportive', learning: ' Involve managers ', themes: ['leadership'] });
const retract = cmd('RetractInsight', { insightId: 'ins-1', reason: 'misheard' });

describe('gathering decider', () => {
  describe('initial (no gathering)', () => {
    it('records a gathering that was held', () => {
      given(gatheringDecider, []).when(hold).then([heldEvent]);
      given(gatheringDecider, [])
        .when(cmd('HoldGathering', { title: 'Board meeting', kind: 'meeting', heldOn: '2019-04-01' }))
        .then([
          {
            type: 'GatheringHeld',
            data: {
              gatheringId: id,
              title: 'Board meeting',
              kind: 'meeting',
              heldOn: '2019-04-01',
              participantCount: null,
              organiserOrganisationId: null,
              purpose: null,
            },
          },
        ]);
    });

    it('accepts zero participants', () => {
      given(gatheringDecider, []).when(cmd('HoldGathering', { ...hold.data, participantCount: 0 })).then([
        { ...heldEvent, data: { ...heldEvent.data, participantCount: 0 } },
      ]);
    });

    it('refuses a blank title or date and a participant count that is not a whole number of at least 0', () => {
      given(gatheringDecider, []).when(cmd('HoldGathering', { ...hold.data, title: '' })).thenThrows('gathering.title-required');
      given(gatheringDecider, []).when(cmd('HoldGathering', { ...hold.data, heldOn: '' })).thenThrows('gathering.held-on-required');
      for (const participantCount of [-1, 1.5]) {
        given(gatheringDecider, []).when(cmd('HoldGathering', { ...hold.data, participantCount })).thenThrows('gathering.participant-count-invalid');
      }
    });

    it.each([record, retract])('refuses $type on an unknown gathering as not found', (command) => {
      given(gatheringDecider, []).when(command).thenThrows('gathering.not-found', NotFoundError);
    });
  });

  describe('held', () => {
    const history: GatheringEvent[] = [heldEvent, insightRecorded];

    it('refuses recording it again', () => {
      given(gatheringDecider, history).when(hold).thenThrows('gathering.already-exists');
    });

    it('records an insight', () => {
      given(gatheringDecider, history).when(record).then([
        {
          type: 'InsightRecorded',
          data: { gatheringId: id, insightId: 'ins-2', observation: 'Managers are supportive', learning: 'Involve managers', themes: ['leadership'] },
        },
      ]);
    });

    it('refuses an insight without observation or with a used id', () => {
      given(gatheringDecider, history).when(cmd('RecordInsight', { ...record.data, observation: ' ' })).thenThrows('gathering.observation-required');
      given(gatheringDecider, history).when(cmd('RecordInsight', { ...record.data, insightId: 'ins-1' })).thenThrows('gathering.insight-already-exists');
    });

    it('retracts an insight once, with a reason', () => {
      given(gatheringDecider, history).when(retract).then([insightRetracted]);
      given(gatheringDecider, [...history, insightRetracted]).when(retract).thenThrows('gathering.insight-already-retracted');
      given(gatheringDecider, history).when(cmd('RetractInsight', { insightId: 'nope', reason: 'x' })).thenThrows('gathering.insight-not-found');
      given(gatheringDecider, history).when(cmd('RetractInsight', { ...retract.data, reason: '' })).thenThrows('gathering.reason-required');
    });
  });

  describe('evolve', () => {
    it('folds insights', () => {
      expect(given(gatheringDecider, [heldEvent, insightRecorded, insightRetracted]).state()).toEqual({
        status: 'held',
        gatheringId: id,
        insights: { 'ins-1': { retracted: true } },
      });
    });

    it('ignores insights before the gathering and a second GatheringHeld', () => {
      expect(given(gatheringDecider, [insightRecorded]).state()).toEqual({ status: 'initial' });
      expect(given(gatheringDecider, [heldEvent, insightRecorded, heldEvent]).state()).toMatchObject({ insights: { 'ins-1': { retracted: false } } });
    });

    it('lists every event type', () => {
      expect([...GATHERING_EVENT_TYPES].sort()).toEqual(['GatheringHeld', 'InsightRecorded', 'InsightRetracted']);
    });
  });
});
