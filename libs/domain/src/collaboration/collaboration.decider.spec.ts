import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { CollaborationCommand } from './collaboration.commands.js';
import { collaborationDecider } from './collaboration.decider.js';
import {
  COLLABORATION_EVENT_TYPES,
  type CollaborationAgreed,
  type CollaborationEvent,
  type CollaborationLearningRecorded,
} from './collaboration.events.js';

const id = 'collab-1';
const AT = '2019-05-01T10:00:00.000Z';

type Cmd<T extends CollaborationCommand['type']> = Extract<CollaborationCommand, { type: T }>;
const cmd = <T extends CollaborationCommand['type']>(type: T, data: Omit<Cmd<T>['data'], 'collaborationId'>): Cmd<T> =>
  ({ type, data: { collaborationId: id, ...data }, occurredAt: AT }) as unknown as Cmd<T>;

const agreed: CollaborationAgreed = {
  type: 'CollaborationAgreed',
  data: {
    collaborationId: id,
    title: 'Climate-neutral Oslo',
    partnerOrganisationId: 'org-oslo',
    themes: ['climate'],
    agreedOn: null,
    description: null,
  },
};
const e = {
  partyJoined: { type: 'PartyJoined', data: { collaborationId: id, organisationId: 'org-ntnu', role: null } },
  planned: {
    type: 'ActivityPlanned',
    data: { collaborationId: id, activityId: 'act-1', title: 'Kick-off', description: null, plannedFor: '2019' },
  },
  started: { type: 'ActivityStarted', data: { collaborationId: id, activityId: 'act-1' } },
  completed: { type: 'ActivityCompleted', data: { collaborationId: id, activityId: 'act-1', outcome: null } },
  tentative: {
    type: 'InitiativeLinked',
    data: {
      collaborationId: id,
      initiativeId: 'ini-1',
      name: 'Cities4PEDs',
      kind: 'eu-project',
      programme: 'Horizon 2020',
      confidence: 'tentative',
    },
  },
  confirmed: { type: 'InitiativeLinkConfirmed', data: { collaborationId: id, initiativeId: 'ini-1' } },
  dropped: { type: 'InitiativeLinkDropped', data: { collaborationId: id, initiativeId: 'ini-1', reason: 'Not funded' } },
  milestoneSet: { type: 'MilestoneSet', data: { collaborationId: id, milestoneId: 'ms-1', title: 'Pilot running', due: null } },
  milestoneAchieved: { type: 'MilestoneAchieved', data: { collaborationId: id, milestoneId: 'ms-1' } },
  learning: {
    type: 'LearningRecorded',
    data: {
      collaborationId: id,
      learningId: 'l-1',
      observation: 'Procurement is slow',
      learning: 'Start procurement early',
      decision: 'persevere',
      reliability: 'high',
      themes: [],
      retrospective: false,
    },
  },
  learningRetracted: { type: 'LearningRetracted', data: { collaborationId: id, learningId: 'l-1', reason: 'duplicate' } },
  attached: { type: 'ExperimentAttached', data: { collaborationId: id, experimentId: 'exp-1' } },
  concluded: { type: 'CollaborationConcluded', data: { collaborationId: id, summary: 'Pilot delivered' } },
} satisfies Record<string, CollaborationEvent>;

const c = {
  agree: cmd('AgreeCollaboration', { title: ' Climate-neutral Oslo ', partnerOrganisationId: 'org-oslo', themes: ['climate', ' '] }),
  joinParty: cmd('JoinParty', { organisationId: 'org-ntnu' }),
  plan: cmd('PlanActivity', { activityId: 'act-2', title: 'Workshop', plannedFor: '2019-Q3' }),
  start: cmd('StartActivity', { activityId: 'act-1' }),
  complete: cmd('CompleteActivity', { activityId: 'act-1', outcome: 'Well attended' }),
  link: cmd('LinkInitiative', { initiativeId: 'ini-2', name: 'Smart Oslo', kind: 'programme', confidence: 'confirmed' }),
  confirm: cmd('ConfirmInitiativeLink', { initiativeId: 'ini-1' }),
  drop: cmd('DropInitiativeLink', { initiativeId: 'ini-1', reason: 'Not funded' }),
  setMilestone: cmd('SetCollaborationMilestone', { milestoneId: 'ms-2', title: 'Report', due: '2019-12-01' }),
  achieve: cmd('AchieveCollaborationMilestone', { milestoneId: 'ms-1' }),
  learn: cmd('RecordCollaborationLearning', {
    learningId: 'l-2',
    observation: 'Partners want monthly check-ins',
    learning: 'Cadence builds trust',
    decision: 'continue-testing',
    reliability: 'medium',
    themes: ['governance'],
  }),
  retractLearning: cmd('RetractCollaborationLearning', { learningId: 'l-1', reason: 'duplicate' }),
  attach: cmd('AttachExperimentToCollaboration', { experimentId: 'exp-2' }),
  conclude: cmd('ConcludeCollaboration', { summary: 'Pilot delivered' }),
};

const learningEvent = (retrospective: boolean): CollaborationLearningRecorded => ({
  type: 'LearningRecorded',
  data: {
    collaborationId: id,
    learningId: 'l-2',
    observation: 'Partners want monthly check-ins',
    learning: 'Cadence builds trust',
    decision: 'continue-testing',
    reliability: 'medium',
    themes: ['governance'],
    retrospective,
  },
});

describe('collaboration decider', () => {
  describe('initial (no collaboration)', () => {
    it('agrees a collaboration: text trimmed, blank themes dropped, optional fields null', () => {
      given(collaborationDecider, []).when(c.agree).then([agreed]);
      given(collaborationDecider, [])
        .when(cmd('AgreeCollaboration', { ...c.agree.data, agreedOn: '2019-01-01', description: 'Five-year agreement' }))
        .then([{ ...agreed, data: { ...agreed.data, agreedOn: '2019-01-01', description: 'Five-year agreement' } }]);
    });

    it('needs a title and at least one focus theme', () => {
      given(collaborationDecider, []).when(cmd('AgreeCollaboration', { ...c.agree.data, title: '' })).thenThrows('collaboration.title-required');
      given(collaborationDecider, []).when(cmd('AgreeCollaboration', { ...c.agree.data, themes: [] })).thenThrows('collaboration.themes-required');
      given(collaborationDecider, []).when(cmd('AgreeCollaboration', { ...c.agree.data, themes: [' '] })).thenThrows('collaboration.themes-required');
    });

    it.each(Object.values(c).filter((command) => command.type !== 'AgreeCollaboration'))(
      'refuses $type on an unknown collaboration as not found',
      (command) => {
        given(collaborationDecider, []).when(command).thenThrows('collaboration.not-found', NotFoundError);
      },
    );
  });

  describe('active', () => {
    const history: CollaborationEvent[] = [agreed, e.partyJoined, e.planned, e.tentative, e.milestoneSet, e.learning, e.attached];

    it('refuses agreeing again', () => {
      given(collaborationDecider, history).when(c.agree).thenThrows('collaboration.already-exists');
    });

    describe('parties', () => {
      it('lets an organisation join once, with an optional role', () => {
        given(collaborationDecider, [agreed]).when(cmd('JoinParty', { organisationId: 'org-ntnu', role: ' research partner ' })).then([
          { type: 'PartyJoined', data: { collaborationId: id, organisationId: 'org-ntnu', role: 'research partner' } },
        ]);
        given(collaborationDecider, history).when(c.joinParty).thenThrows('collaboration.party-already-joined');
      });

      it('counts the partner organisation as a party from the start', () => {
        given(collaborationDecider, [agreed]).when(cmd('JoinParty', { organisationId: 'org-oslo' })).thenThrows('collaboration.party-already-joined');
      });
    });

    describe('activities', () => {
      it('plans an activity with a new id and a title', () => {
        given(collaborationDecider, history).when(c.plan).then([
          { type: 'ActivityPlanned', data: { collaborationId: id, activityId: 'act-2', title: 'Workshop', description: null, plannedFor: '2019-Q3' } },
        ]);
        given(collaborationDecider, history).when(cmd('PlanActivity', { ...c.plan.data, activityId: 'act-1' })).thenThrows('collaboration.activity-already-exists');
        given(collaborationDecider, history).when(cmd('PlanActivity', { ...c.plan.data, title: ' ' })).thenThrows('collaboration.title-required');
      });

      it('starts, then completes, in that order', () => {
        given(collaborationDecider, history).when(c.start).then([e.started]);
        given(collaborationDecider, history).when(c.complete).thenThrows('collaboration.activity-not-started');
        given(collaborationDecider, [...history, e.started]).when(c.start).thenThrows('collaboration.activity-already-started');
        given(collaborationDecider, [...history, e.started]).when(c.complete).then([
          { type: 'ActivityCompleted', data: { collaborationId: id, activityId: 'act-1', outcome: 'Well attended' } },
        ]);
        given(collaborationDecider, [...history, e.started, e.completed]).when(c.complete).thenThrows('collaboration.activity-already-completed');
        given(collaborationDecider, [...history, e.started, e.completed]).when(c.start).thenThrows('collaboration.activity-already-completed');
      });

      it('refuses unknown activities', () => {
        given(collaborationDecider, history).when(cmd('StartActivity', { activityId: 'nope' })).thenThrows('collaboration.activity-not-found');
        given(collaborationDecider, history).when(cmd('CompleteActivity', { activityId: 'nope' })).thenThrows('collaboration.activity-not-found');
      });
    });

    describe('initiative links', () => {
      it('links an initiative', () => {
        given(collaborationDecider, history).when(c.link).then([
          {
            type: 'InitiativeLinked',
            data: { collaborationId: id, initiativeId: 'ini-2', name: 'Smart Oslo', kind: 'programme', programme: null, confidence: 'confirmed' },
          },
        ]);
      });

      it('refuses a used id, a blank name, or a name already linked', () => {
        given(collaborationDecider, history).when(cmd('LinkInitiative', { ...c.link.data, initiativeId: 'ini-1' })).thenThrows('collaboration.initiative-already-exists');
        given(collaborationDecider, history).when(cmd('LinkInitiative', { ...c.link.data, name: '' })).thenThrows('collaboration.name-required');
        given(collaborationDecider, history).when(cmd('LinkInitiative', { ...c.link.data, name: 'cities4peds ' })).thenThrows('collaboration.initiative-already-linked');
      });

      it('may link a name again once the earlier link was dropped', () => {
        given(collaborationDecider, [...history, e.dropped])
          .when(cmd('LinkInitiative', { ...c.link.data, name: 'Cities4PEDs' }))
          .then([
            {
              type: 'InitiativeLinked',
              data: { collaborationId: id, initiativeId: 'ini-2', name: 'Cities4PEDs', kind: 'programme', programme: null, confidence: 'confirmed' },
            },
          ]);
      });

      it('confirms only a tentative link', () => {
        given(collaborationDecider, history).when(c.confirm).then([e.confirmed]);
        given(collaborationDecider, [...history, e.confirmed]).when(c.confirm).thenThrows('collaboration.initiative-already-confirmed');
        given(collaborationDecider, [...history, e.dropped]).when(c.confirm).thenThrows('collaboration.initiative-already-dropped');
        given(collaborationDecider, history).when(cmd('ConfirmInitiativeLink', { initiativeId: 'nope' })).thenThrows('collaboration.initiative-not-found');
      });

      it('drops a tentative or confirmed link once, with a reason', () => {
        given(collaborationDecider, history).when(c.drop).then([e.dropped]);
        given(collaborationDecider, [...history, e.confirmed]).when(c.drop).then([e.dropped]);
        given(collaborationDecider, [...history, e.dropped]).when(c.drop).thenThrows('collaboration.initiative-already-dropped');
        given(collaborationDecider, history).when(cmd('DropInitiativeLink', { ...c.drop.data, reason: '' })).thenThrows('collaboration.reason-required');
        given(collaborationDecider, history).when(cmd('DropInitiativeLink', { ...c.drop.data, initiativeId: 'nope' })).thenThrows('collaboration.initiative-not-found');
      });
    });

    describe('milestones', () => {
      it('sets a milestone with a new id and a title', () => {
        given(collaborationDecider, history).when(c.setMilestone).then([
          { type: 'MilestoneSet', data: { collaborationId: id, milestoneId: 'ms-2', title: 'Report', due: '2019-12-01' } },
        ]);
        given(collaborationDecider, history).when(cmd('SetCollaborationMilestone', { ...c.setMilestone.data, milestoneId: 'ms-1' })).thenThrows('collaboration.milestone-already-exists');
        given(collaborationDecider, history).when(cmd('SetCollaborationMilestone', { ...c.setMilestone.data, title: '' })).thenThrows('collaboration.title-required');
      });

      it('achieves a milestone once', () => {
        given(collaborationDecider, history).when(c.achieve).then([e.milestoneAchieved]);
        given(collaborationDecider, [...history, e.milestoneAchieved]).when(c.achieve).thenThrows('collaboration.milestone-already-achieved');
        given(collaborationDecider, history).when(cmd('AchieveCollaborationMilestone', { milestoneId: 'nope' })).thenThrows('collaboration.milestone-not-found');
      });
    });

    describe('learnings', () => {
      it('records a learning (not retrospective)', () => {
        given(collaborationDecider, history).when(c.learn).then([learningEvent(false)]);
      });

      it('refuses incomplete or duplicate learnings', () => {
        given(collaborationDecider, history).when(cmd('RecordCollaborationLearning', { ...c.learn.data, learningId: 'l-1' })).thenThrows('collaboration.learning-already-exists');
        given(collaborationDecider, history).when(cmd('RecordCollaborationLearning', { ...c.learn.data, observation: '' })).thenThrows('collaboration.observation-required');
        given(collaborationDecider, history).when(cmd('RecordCollaborationLearning', { ...c.learn.data, learning: '' })).thenThrows('collaboration.learning-required');
      });

      it('retracts a learning once, with a reason', () => {
        given(collaborationDecider, history).when(c.retractLearning).then([e.learningRetracted]);
        given(collaborationDecider, [...history, e.learningRetracted]).when(c.retractLearning).thenThrows('collaboration.learning-already-retracted');
        given(collaborationDecider, history).when(cmd('RetractCollaborationLearning', { learningId: 'nope', reason: 'x' })).thenThrows('collaboration.learning-not-found');
        given(collaborationDecider, history).when(cmd('RetractCollaborationLearning', { learningId: 'l-1', reason: '' })).thenThrows('collaboration.reason-required');
      });
    });

    it('attaches an experiment once', () => {
      given(collaborationDecider, history).when(c.attach).then([{ type: 'ExperimentAttached', data: { collaborationId: id, experimentId: 'exp-2' } }]);
      given(collaborationDecider, history).when(cmd('AttachExperimentToCollaboration', { experimentId: 'exp-1' })).thenThrows('collaboration.experiment-already-attached');
    });

    it('concludes with a summary, open activities notwithstanding', () => {
      given(collaborationDecider, history).when(c.conclude).then([e.concluded]);
      given(collaborationDecider, history).when(cmd('ConcludeCollaboration', { summary: ' ' })).thenThrows('collaboration.summary-required');
    });
  });

  describe('concluded', () => {
    const history: CollaborationEvent[] = [agreed, e.planned, e.tentative, e.milestoneSet, e.learning, e.concluded];

    it.each([c.joinParty, c.plan, c.start, c.complete, c.link, c.confirm, c.drop, c.setMilestone, c.achieve, c.attach, c.conclude])(
      'refuses $type',
      (command) => {
        given(collaborationDecider, history).when(command).thenThrows('collaboration.already-concluded');
      },
    );

    it('still refuses agreeing again as already existing', () => {
      given(collaborationDecider, history).when(c.agree).thenThrows('collaboration.already-exists');
    });

    it('records learnings as retrospective and lets them be retracted', () => {
      given(collaborationDecider, history).when(c.learn).then([learningEvent(true)]);
      given(collaborationDecider, history).when(c.retractLearning).then([e.learningRetracted]);
    });
  });

  describe('evolve', () => {
    it('folds a whole history into state', () => {
      const history: CollaborationEvent[] = [
        agreed,
        e.partyJoined,
        e.planned,
        e.started,
        e.completed,
        e.tentative,
        e.confirmed,
        e.milestoneSet,
        e.milestoneAchieved,
        e.learning,
        e.learningRetracted,
        e.attached,
        e.attached,
        e.concluded,
      ];
      expect(given(collaborationDecider, history).state()).toEqual({
        status: 'concluded',
        collaborationId: id,
        title: 'Climate-neutral Oslo',
        partnerOrganisationId: 'org-oslo',
        partyIds: ['org-oslo', 'org-ntnu'],
        activities: { 'act-1': 'completed' },
        initiatives: { 'ini-1': { name: 'Cities4PEDs', confidence: 'confirmed', dropped: false } },
        milestones: { 'ms-1': { achieved: true } },
        learnings: { 'l-1': { retracted: true } },
        experimentIds: ['exp-1'],
        summary: 'Pilot delivered',
      });
    });

    it('ignores events that cannot apply in the current state', () => {
      expect(given(collaborationDecider, [e.partyJoined, e.concluded]).state()).toEqual({ status: 'initial' });
      expect(given(collaborationDecider, [agreed, e.dropped, e.milestoneAchieved]).state()).toMatchObject({ initiatives: {}, milestones: {} });
      expect(given(collaborationDecider, [agreed, { ...agreed, data: { ...agreed.data, title: 'Other' } }]).state()).toMatchObject({
        title: 'Climate-neutral Oslo',
      });
    });

    it('lists every event type', () => {
      expect([...COLLABORATION_EVENT_TYPES].sort()).toEqual([agreed, ...Object.values(e)].map((event) => event.type).sort());
    });
  });
});
