import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { NetworkCommand } from './network.commands.js';
import { networkDecider } from './network.decider.js';
import { NETWORK_EVENT_TYPES, type MethodAdoptionStage, type NetworkEvent, type NetworkFounded } from './network.events.js';

const id = 'net-1';
const AT = '2019-05-01T10:00:00.000Z';

type Cmd<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;
const cmd = <T extends NetworkCommand['type']>(type: T, data: Omit<Cmd<T>['data'], 'networkId'>): Cmd<T> =>
  ({ type, data: { networkId: id, ...data }, occurredAt: AT }) as unknown as Cmd<T>;

const founded: NetworkFounded = {
  type: 'NetworkFounded',
  data: {
    networkId: id,
    name: 'Pådriv',
    kind: 'network',
    area: 'Oslo',
    purpose: null,
    ledByOrganisationId: 'org-lead',
    ledSince: '2016-01-01',
  },
};
const adoption = (city: string, stage: MethodAdoptionStage, previousStage: MethodAdoptionStage | null): NetworkEvent => ({
  type: 'MethodAdoptionUpdated',
  data: { networkId: id, city, stage, previousStage },
});
const e = {
  leadershipChanged: {
    type: 'LeadershipChanged',
    data: { networkId: id, organisationId: 'org-new', since: '2019-01-01', previousOrganisationId: 'org-lead' },
  },
  partnerJoined: { type: 'PartnerJoined', data: { networkId: id, organisationId: 'org-p' } },
  partnerLeft: { type: 'PartnerLeft', data: { networkId: id, organisationId: 'org-p' } },
  memberJoined: { type: 'MemberJoined', data: { networkId: id, personId: 'person-1' } },
  memberLeft: { type: 'MemberLeft', data: { networkId: id, personId: 'person-1' } },
  headcount: { type: 'HeadcountReported', data: { networkId: id, partners: 60, members: null } },
  milestoneSet: { type: 'MilestoneSet', data: { networkId: id, milestoneId: 'ms-1', title: '100 partners', due: null } },
  milestoneAchieved: { type: 'MilestoneAchieved', data: { networkId: id, milestoneId: 'ms-1' } },
  learning: {
    type: 'LearningRecorded',
    data: {
      networkId: id,
      learningId: 'l-1',
      observation: 'Cities ask for a playbook',
      learning: 'Write the method down',
      decision: 'persevere',
      reliability: 'medium',
      themes: [],
      retrospective: false,
    },
  },
  learningRetracted: { type: 'LearningRetracted', data: { networkId: id, learningId: 'l-1', reason: 'wrong network' } },
  attached: { type: 'ExperimentAttached', data: { networkId: id, experimentId: 'exp-1' } },
  adopted: adoption('Bergen', 'dialogue', null),
} satisfies Record<string, NetworkEvent>;

const c = {
  found: cmd('FoundNetwork', { name: ' Pådriv ', kind: 'network', area: 'Oslo', ledByOrganisationId: 'org-lead', ledSince: '2016-01-01' }),
  lead: cmd('ChangeLeadership', { organisationId: 'org-new', since: '2019-01-01' }),
  joinPartner: cmd('JoinAsPartner', { organisationId: 'org-p' }),
  leavePartner: cmd('LeaveAsPartner', { organisationId: 'org-p' }),
  joinMember: cmd('JoinAsMember', { personId: 'person-1' }),
  leaveMember: cmd('LeaveAsMember', { personId: 'person-1' }),
  headcount: cmd('ReportHeadcount', { partners: 60 }),
  setMilestone: cmd('SetNetworkMilestone', { milestoneId: 'ms-2', title: '5 cities' }),
  achieve: cmd('AchieveNetworkMilestone', { milestoneId: 'ms-1' }),
  learn: cmd('RecordNetworkLearning', {
    learningId: 'l-2',
    observation: 'Members come for the food',
    learning: 'Informal meetings work',
    decision: 'persevere',
    reliability: 'low',
  }),
  retractLearning: cmd('RetractNetworkLearning', { learningId: 'l-1', reason: 'wrong network' }),
  attach: cmd('AttachExperimentToNetwork', { experimentId: 'exp-2' }),
  adopt: cmd('UpdateMethodAdoption', { city: 'Trondheim', stage: 'inquiry' }),
};

describe('network decider', () => {
  describe('initial (no network)', () => {
    it('founds a network', () => {
      given(networkDecider, []).when(c.found).then([founded]);
      given(networkDecider, [])
        .when(cmd('FoundNetwork', { name: 'Public heroes', kind: 'community' }))
        .then([
          {
            type: 'NetworkFounded',
            data: { networkId: id, name: 'Public heroes', kind: 'community', area: null, purpose: null, ledByOrganisationId: null, ledSince: null },
          },
        ]);
    });

    it('needs a name, and a leader for a leadership date', () => {
      given(networkDecider, []).when(cmd('FoundNetwork', { ...c.found.data, name: '' })).thenThrows('network.name-required');
      given(networkDecider, [])
        .when(cmd('FoundNetwork', { name: 'X', kind: 'network', ledSince: '2016-01-01' }))
        .thenThrows('network.led-since-without-leader');
    });

    it.each(Object.values(c).filter((command) => command.type !== 'FoundNetwork'))(
      'refuses $type on an unknown network as not found',
      (command) => {
        given(networkDecider, []).when(command).thenThrows('network.not-found', NotFoundError);
      },
    );
  });

  describe('active', () => {
    const history: NetworkEvent[] = [founded, e.partnerJoined, e.memberJoined, e.milestoneSet, e.learning, e.attached, e.adopted];

    it('refuses founding again', () => {
      given(networkDecider, history).when(c.found).thenThrows('network.already-exists');
    });

    describe('leadership', () => {
      it('changes lead, naming the previous one', () => {
        given(networkDecider, history).when(c.lead).then([e.leadershipChanged]);
        given(networkDecider, [{ ...founded, data: { ...founded.data, ledByOrganisationId: null, ledSince: null } }])
          .when(c.lead)
          .then([{ ...e.leadershipChanged, data: { ...e.leadershipChanged.data, previousOrganisationId: null } }]);
      });

      it('refuses the current lead, a change dated before the current lead took over, or no date', () => {
        given(networkDecider, history).when(cmd('ChangeLeadership', { organisationId: 'org-lead', since: '2019-01-01' })).thenThrows('network.already-led-by');
        given(networkDecider, history).when(cmd('ChangeLeadership', { ...c.lead.data, since: '2015-12-31' })).thenThrows('network.leadership-change-before-current');
        given(networkDecider, history).when(cmd('ChangeLeadership', { ...c.lead.data, since: ' ' })).thenThrows('network.since-required');
      });

      it('accepts a change on the day the current lead took over', () => {
        given(networkDecider, history)
          .when(cmd('ChangeLeadership', { ...c.lead.data, since: '2016-01-01' }))
          .then([{ ...e.leadershipChanged, data: { ...e.leadershipChanged.data, since: '2016-01-01' } }]);
      });
    });

    describe('partners and members', () => {
      it('lets partners join once and leave only when they are partners', () => {
        given(networkDecider, [founded]).when(c.joinPartner).then([e.partnerJoined]);
        given(networkDecider, history).when(c.joinPartner).thenThrows('network.partner-already-joined');
        given(networkDecider, history).when(c.leavePartner).then([e.partnerLeft]);
        given(networkDecider, [founded]).when(c.leavePartner).thenThrows('network.not-a-partner');
        given(networkDecider, [...history, e.partnerLeft]).when(c.leavePartner).thenThrows('network.not-a-partner');
        given(networkDecider, [...history, e.partnerLeft]).when(c.joinPartner).then([e.partnerJoined]);
      });

      it('lets members join once and leave only when they are members', () => {
        given(networkDecider, [founded]).when(c.joinMember).then([e.memberJoined]);
        given(networkDecider, history).when(c.joinMember).thenThrows('network.member-already-joined');
        given(networkDecider, history).when(c.leaveMember).then([e.memberLeft]);
        given(networkDecider, [founded]).when(c.leaveMember).thenThrows('network.not-a-member');
        given(networkDecider, [...history, e.memberLeft]).when(c.joinMember).then([e.memberJoined]);
      });
    });

    describe('headcounts', () => {
      it('reports partners and/or members, independent of the listed ones', () => {
        given(networkDecider, history).when(c.headcount).then([e.headcount]);
        given(networkDecider, history)
          .when(cmd('ReportHeadcount', { partners: 0, members: 250 }))
          .then([{ type: 'HeadcountReported', data: { networkId: id, partners: 0, members: 250 } }]);
        given(networkDecider, history)
          .when(cmd('ReportHeadcount', { partners: null, members: 3 }))
          .then([{ type: 'HeadcountReported', data: { networkId: id, partners: null, members: 3 } }]);
      });

      it('refuses an empty report and counts that are not whole numbers of at least 0', () => {
        given(networkDecider, history).when(cmd('ReportHeadcount', {})).thenThrows('network.headcount-empty');
        given(networkDecider, history).when(cmd('ReportHeadcount', { partners: -1 })).thenThrows('network.partners-invalid');
        given(networkDecider, history).when(cmd('ReportHeadcount', { members: 2.5 })).thenThrows('network.members-invalid');
        given(networkDecider, history).when(cmd('ReportHeadcount', { members: Number.NaN })).thenThrows('network.members-invalid');
      });
    });

    describe('milestones, learnings, experiments', () => {
      it('sets and achieves milestones once', () => {
        given(networkDecider, history).when(c.setMilestone).then([
          { type: 'MilestoneSet', data: { networkId: id, milestoneId: 'ms-2', title: '5 cities', due: null } },
        ]);
        given(networkDecider, history).when(cmd('SetNetworkMilestone', { milestoneId: 'ms-1', title: 'x' })).thenThrows('network.milestone-already-exists');
        given(networkDecider, history).when(cmd('SetNetworkMilestone', { milestoneId: 'ms-3', title: '' })).thenThrows('network.title-required');
        given(networkDecider, history).when(c.achieve).then([e.milestoneAchieved]);
        given(networkDecider, [...history, e.milestoneAchieved]).when(c.achieve).thenThrows('network.milestone-already-achieved');
        given(networkDecider, history).when(cmd('AchieveNetworkMilestone', { milestoneId: 'nope' })).thenThrows('network.milestone-not-found');
      });

      it('records learnings (never retrospective) and retracts them once', () => {
        given(networkDecider, history).when(c.learn).then([
          {
            type: 'LearningRecorded',
            data: { ...c.learn.data, themes: [], retrospective: false },
          },
        ]);
        given(networkDecider, history).when(cmd('RecordNetworkLearning', { ...c.learn.data, learningId: 'l-1' })).thenThrows('network.learning-already-exists');
        given(networkDecider, history).when(cmd('RecordNetworkLearning', { ...c.learn.data, observation: '' })).thenThrows('network.observation-required');
        given(networkDecider, history).when(c.retractLearning).then([e.learningRetracted]);
        given(networkDecider, [...history, e.learningRetracted]).when(c.retractLearning).thenThrows('network.learning-already-retracted');
        given(networkDecider, history).when(cmd('RetractNetworkLearning', { learningId: 'nope', reason: 'x' })).thenThrows('network.learning-not-found');
        given(networkDecider, history).when(cmd('RetractNetworkLearning', { learningId: 'l-1', reason: '' })).thenThrows('network.reason-required');
      });

      it('attaches an experiment once', () => {
        given(networkDecider, history).when(c.attach).then([{ type: 'ExperimentAttached', data: { networkId: id, experimentId: 'exp-2' } }]);
        given(networkDecider, history).when(cmd('AttachExperimentToNetwork', { experimentId: 'exp-1' })).thenThrows('network.experiment-already-attached');
      });
    });

    describe('method adoption', () => {
      const update = (city: string, stage: MethodAdoptionStage) => cmd('UpdateMethodAdoption', { city, stage });

      it('starts a city at any stage', () => {
        for (const stage of ['inquiry', 'dialogue', 'adopted', 'declined'] as const) {
          given(networkDecider, history).when(update(' Trondheim ', stage)).then([adoption('Trondheim', stage, null)]);
        }
      });

      it('moves forward, skipping stages if need be, keeping the first spelling of the city', () => {
        given(networkDecider, history).when(update('bergen', 'adopted')).then([adoption('Bergen', 'adopted', 'dialogue')]);
        given(networkDecider, [founded, adoption('Bergen', 'inquiry', null)]).when(update('Bergen', 'dialogue')).then([adoption('Bergen', 'dialogue', 'inquiry')]);
      });

      it.each([
        ['dialogue', 'inquiry'],
        ['adopted', 'dialogue'],
        ['adopted', 'inquiry'],
      ] as const)('refuses going back from %s to %s', (from, to) => {
        given(networkDecider, [founded, adoption('Bergen', from, null)]).when(update('Bergen', to)).thenThrows('network.method-adoption-backwards');
      });

      it.each(['inquiry', 'dialogue', 'adopted'] as const)('lets a city decline from %s', (from) => {
        given(networkDecider, [founded, adoption('Bergen', from, null)]).when(update('Bergen', 'declined')).then([adoption('Bergen', 'declined', from)]);
      });

      it.each(['inquiry', 'dialogue', 'adopted'] as const)('lets a city that declined come back at %s', (to) => {
        given(networkDecider, [founded, adoption('Bergen', 'declined', null)]).when(update('Bergen', to)).then([adoption('Bergen', to, 'declined')]);
      });

      it('refuses an unchanged stage and a blank city', () => {
        given(networkDecider, history).when(update('BERGEN', 'dialogue')).thenThrows('network.method-adoption-unchanged');
        given(networkDecider, history).when(update(' ', 'inquiry')).thenThrows('network.city-required');
      });

      it('treats city names like "constructor" as plain cities', () => {
        given(networkDecider, history).when(update('constructor', 'inquiry')).then([adoption('constructor', 'inquiry', null)]);
      });
    });
  });

  describe('evolve', () => {
    it('folds a whole history into state', () => {
      const history: NetworkEvent[] = [
        founded,
        e.leadershipChanged,
        e.partnerJoined,
        { ...e.partnerJoined, data: { networkId: id, organisationId: 'org-q' } },
        e.partnerLeft,
        e.memberJoined,
        e.headcount,
        e.milestoneSet,
        e.milestoneAchieved,
        e.learning,
        e.learningRetracted,
        e.attached,
        e.adopted,
        adoption('bergen', 'adopted', 'dialogue'),
      ];
      expect(given(networkDecider, history).state()).toEqual({
        status: 'active',
        networkId: id,
        name: 'Pådriv',
        ledByOrganisationId: 'org-new',
        ledSince: '2019-01-01',
        partnerIds: ['org-q'],
        memberIds: ['person-1'],
        milestones: { 'ms-1': { achieved: true } },
        learnings: { 'l-1': { retracted: true } },
        experimentIds: ['exp-1'],
        adoptions: { bergen: { city: 'Bergen', stage: 'adopted' } },
      });
    });

    it('ignores events before the founding and a second founding', () => {
      expect(given(networkDecider, [e.partnerJoined]).state()).toEqual({ status: 'initial' });
      expect(given(networkDecider, [founded, { ...founded, data: { ...founded.data, name: 'Other' } }]).state()).toMatchObject({ name: 'Pådriv' });
    });

    it('lists every event type', () => {
      expect([...NETWORK_EVENT_TYPES].sort()).toEqual([founded, ...Object.values(e)].map((event) => event.type).sort());
    });
  });
});
