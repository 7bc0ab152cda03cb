import { describe, expect, it } from '@jest/globals';
import { event } from '../testing/fixtures.js';
import { recorded } from '../testing/recorded.js';
import { networkView } from './network-view.js';

const N = '0192f000-0000-7000-8000-0000000000d1';
const SOCENTRAL = '0192f000-0000-7000-8000-0000000000a1';
const OBOS = '0192f000-0000-7000-8000-0000000000a2';
const KARI = '0192f000-0000-7000-8000-0000000000b1';

const on = (type: string, data: object, at = '2019-01-01T09:00:00.000Z') => event(type, { networkId: N, ...data }, at);
const founded = (ledByOrganisationId: string | null = null, ledSince: string | null = null) =>
  on('NetworkFounded', { name: 'Pådriv', kind: 'network', area: 'Hovinbyen', purpose: null, ledByOrganisationId, ledSince }, '2016-03-01T09:00:00.000Z');

describe('network view', () => {
  it('is null until the network is founded', async () => {
    expect(networkView([])).toBeNull();
    expect(networkView(await recorded(on('PartnerJoined', { organisationId: OBOS })))).toBeNull();
  });

  it('starts without lead, partners, members or headcount', async () => {
    expect(networkView(await recorded(founded()))).toMatchObject({
      id: N,
      version: 1,
      name: 'Pådriv',
      kind: 'network',
      area: 'Hovinbyen',
      foundedAt: '2016-03-01T09:00:00.000Z',
      lead: null,
      leadership: [],
      partners: [],
      members: [],
      headcount: null,
      headcounts: [],
      methodAdoptions: [],
      milestones: [],
      learnings: [],
      attachedExperimentIds: [],
    });
  });

  it('keeps the leadership history and the current lead', async () => {
    const view = networkView(
      await recorded(founded(SOCENTRAL, '2016-03-01'), on('LeadershipChanged', { organisationId: OBOS, since: '2019-01-01', previousOrganisationId: SOCENTRAL })),
    );
    expect(view?.lead).toEqual({ organisationId: OBOS, since: '2019-01-01' });
    expect(view?.leadership).toEqual([
      { organisationId: SOCENTRAL, since: '2016-03-01', until: '2019-01-01' },
      { organisationId: OBOS, since: '2019-01-01', until: null },
    ]);
  });

  it('lists every stint of partners and members, current ones without leftAt', async () => {
    const view = networkView(
      await recorded(
        founded(),
        on('PartnerJoined', { organisationId: OBOS }, '2017-01-01T09:00:00.000Z'),
        on('PartnerLeft', { organisationId: OBOS }, '2018-01-01T09:00:00.000Z'),
        on('PartnerJoined', { organisationId: OBOS }, '2019-01-01T09:00:00.000Z'),
        on('MemberJoined', { personId: KARI }, '2017-05-01T09:00:00.000Z'),
      ),
    );
    expect(view?.partners).toEqual([
      { organisationId: OBOS, joinedAt: '2017-01-01T09:00:00.000Z', leftAt: '2018-01-01T09:00:00.000Z' },
      { organisationId: OBOS, joinedAt: '2019-01-01T09:00:00.000Z', leftAt: null },
    ]);
    expect(view?.members).toEqual([{ personId: KARI, joinedAt: '2017-05-01T09:00:00.000Z', leftAt: null }]);
  });

  it('takes the latest headcount by business time, carrying over a count the latest report left out', async () => {
    const view = networkView(
      await recorded(
        founded(),
        on('HeadcountReported', { partners: null, members: 150 }, '2019-03-01T00:00:00.000Z'),
        on('HeadcountReported', { partners: 38, members: 142 }, '2018-11-01T00:00:00.000Z'),
      ),
    );
    expect(view?.headcounts).toEqual([
      { partners: 38, members: 142, occurredAt: '2018-11-01T00:00:00.000Z' },
      { partners: null, members: 150, occurredAt: '2019-03-01T00:00:00.000Z' },
    ]);
    expect(view?.headcount).toEqual({ partners: 38, members: 150, occurredAt: '2019-03-01T00:00:00.000Z' });
  });

  it('follows each city through the method adoption stages', async () => {
    const adoption = (city: string, stage: string, previousStage: string | null, at: string) => on('MethodAdoptionUpdated', { city, stage, previousStage }, at);
    const view = networkView(
      await recorded(
        founded(),
        adoption('Bergen', 'inquiry', null, '2019-02-01T00:00:00.000Z'),
        adoption('Trondheim', 'dialogue', null, '2019-03-01T00:00:00.000Z'),
        adoption('Bergen', 'adopted', 'inquiry', '2019-09-01T00:00:00.000Z'),
      ),
    );
    expect(view?.methodAdoptions).toEqual([
      {
        city: 'Bergen',
        stage: 'adopted',
        since: '2019-09-01T00:00:00.000Z',
        history: [
          { stage: 'inquiry', occurredAt: '2019-02-01T00:00:00.000Z' },
          { stage: 'adopted', occurredAt: '2019-09-01T00:00:00.000Z' },
        ],
      },
      { city: 'Trondheim', stage: 'dialogue', since: '2019-03-01T00:00:00.000Z', history: [{ stage: 'dialogue', occurredAt: '2019-03-01T00:00:00.000Z' }] },
    ]);
  });

  it('keeps milestones, learnings and attached experiments as collaborations do', async () => {
    const view = networkView(
      await recorded(
        founded(),
        on('MilestoneSet', { milestoneId: 'm1', title: 'Charter signed', due: null }),
        on('LearningRecorded', { learningId: 'l1', observation: 'o', learning: 'l', decision: 'pivot', reliability: 'low', themes: [], retrospective: false }),
        on('LearningRetracted', { learningId: 'l1', reason: 'Wrong network' }),
        on('ExperimentAttached', { experimentId: 'e1' }),
      ),
    );
    expect(view).toMatchObject({ version: 5, attachedExperimentIds: ['e1'] });
    expect(view?.milestones).toEqual([expect.objectContaining({ milestoneId: 'm1', achieved: false, achievedAt: null })]);
    expect(view?.learnings).toEqual([expect.objectContaining({ learningId: 'l1', retracted: true, retractionReason: 'Wrong network' })]);
  });
});
