import { describe, expect, it } from '@jest/globals';
import { event } from '../testing/fixtures.js';
import { recorded } from '../testing/recorded.js';
import { collaborationView } from './collaboration-view.js';

const C = '0192f000-0000-7000-8000-0000000000c1';
const TRONDHEIM = '0192f000-0000-7000-8000-0000000000a1';
const NTNU = '0192f000-0000-7000-8000-0000000000a2';
const E1 = '0192f000-0000-7000-8000-0000000000e1';

const on = (type: string, data: object, at = '2019-01-01T09:00:00.000Z') => event(type, { collaborationId: C, ...data }, at);
const card = { observation: 'Residents came when invited by neighbours', learning: 'Recruit through ambassadors', decision: 'persevere', reliability: 'medium', themes: ['participation'] };

describe('collaboration view', () => {
  const agreed = on(
    'CollaborationAgreed',
    { title: '+CityxChange', partnerOrganisationId: TRONDHEIM, themes: ['energy'], agreedOn: '2018-10-01', description: null },
    '2018-10-01T08:00:00.000Z',
  );

  it('is null until the collaboration is agreed', async () => {
    expect(collaborationView([])).toBeNull();
    expect(collaborationView(await recorded(on('PartyJoined', { organisationId: NTNU, role: null })))).toBeNull();
  });

  it('starts active with the partner as the first party', async () => {
    expect(collaborationView(await recorded(agreed))).toEqual({
      id: C,
      version: 1,
      status: 'active',
      title: '+CityxChange',
      partnerOrganisationId: TRONDHEIM,
      themes: ['energy'],
      agreedOn: '2018-10-01',
      description: null,
      agreedAt: '2018-10-01T08:00:00.000Z',
      concludedAt: null,
      summary: null,
      parties: [{ organisationId: TRONDHEIM, role: null, joinedAt: '2018-10-01T08:00:00.000Z' }],
      activities: [],
      initiatives: [],
      milestones: [],
      learnings: [],
      attachedExperimentIds: [],
    });
  });

  it('follows parties and activities from planned to completed', async () => {
    const view = collaborationView(
      await recorded(
        agreed,
        on('PartyJoined', { organisationId: NTNU, role: 'research partner' }),
        on('ActivityPlanned', { activityId: 'a1', title: 'Innovation camp', description: null, plannedFor: '2019-Q2' }, '2019-01-10T09:00:00.000Z'),
        on('ActivityPlanned', { activityId: 'a2', title: 'Survey', description: 'Door to door', plannedFor: null }),
        on('ActivityStarted', { activityId: 'a1' }, '2019-04-01T09:00:00.000Z'),
        on('ActivityCompleted', { activityId: 'a1', outcome: '40 residents' }, '2019-04-03T09:00:00.000Z'),
      ),
    );
    expect(view?.parties.map((p) => p.organisationId)).toEqual([TRONDHEIM, NTNU]);
    expect(view?.activities).toEqual([
      {
        activityId: 'a1',
        title: 'Innovation camp',
        description: null,
        plannedFor: '2019-Q2',
        status: 'completed',
        plannedAt: '2019-01-10T09:00:00.000Z',
        startedAt: '2019-04-01T09:00:00.000Z',
        completedAt: '2019-04-03T09:00:00.000Z',
        outcome: '40 residents',
      },
      expect.objectContaining({ activityId: 'a2', status: 'planned', startedAt: null }),
    ]);
  });

  it('shows initiative links as tentative, confirmed or dropped with the reason', async () => {
    const linked = (initiativeId: string, name: string) =>
      on('InitiativeLinked', { initiativeId, name, kind: 'eu-project', programme: 'Horizon 2020', confidence: 'tentative' });
    const events = await recorded(
      agreed,
      linked('i1', '+CityxChange'),
      linked('i2', 'Nordic Smart City'),
      on('InitiativeLinkConfirmed', { initiativeId: 'i1' }, '2019-02-01T09:00:00.000Z'),
      on('InitiativeLinkDropped', { initiativeId: 'i2', reason: 'Not funded' }, '2019-03-01T09:00:00.000Z'),
    );
    expect(collaborationView(events.slice(0, 3))?.initiatives.map((i) => i.confidence)).toEqual(['tentative', 'tentative']);
    expect(collaborationView(events)?.initiatives).toEqual([
      expect.objectContaining({ initiativeId: 'i1', programme: 'Horizon 2020', confidence: 'confirmed', confirmedAt: '2019-02-01T09:00:00.000Z', dropReason: null }),
      expect.objectContaining({ initiativeId: 'i2', confidence: 'dropped', droppedAt: '2019-03-01T09:00:00.000Z', dropReason: 'Not funded' }),
    ]);
  });

  it('keeps milestones, learnings with their retraction, experiments and the conclusion', async () => {
    const view = collaborationView(
      await recorded(
        agreed,
        on('MilestoneSet', { milestoneId: 'm1', title: 'Plan agreed', due: '2019-12-31' }),
        on('MilestoneAchieved', { milestoneId: 'm1' }, '2019-11-01T09:00:00.000Z'),
        on('LearningRecorded', { learningId: 'l1', ...card, retrospective: false }),
        on('LearningRecorded', { learningId: 'l2', ...card, retrospective: false }),
        on('LearningRetracted', { learningId: 'l2', reason: 'Duplicate' }),
        on('ExperimentAttached', { experimentId: E1 }),
        on('CollaborationConcluded', { summary: 'Handed over' }, '2020-01-10T09:00:00.000Z'),
        on('LearningRecorded', { learningId: 'l3', ...card, retrospective: true }),
      ),
    );
    expect(view).toMatchObject({ version: 9, status: 'concluded', summary: 'Handed over', concludedAt: '2020-01-10T09:00:00.000Z', attachedExperimentIds: [E1] });
    expect(view?.milestones).toEqual([
      { milestoneId: 'm1', title: 'Plan agreed', due: '2019-12-31', setAt: '2019-01-01T09:00:00.000Z', achieved: true, achievedAt: '2019-11-01T09:00:00.000Z' },
    ]);
    expect(view?.learnings.map((l) => [l.learningId, l.retracted, l.retractionReason, l.retrospective])).toEqual([
      ['l1', false, null, false],
      ['l2', true, 'Duplicate', false],
      ['l3', false, null, true],
    ]);
    expect(view?.learnings[0]).not.toHaveProperty('collaborationId');
  });
});
