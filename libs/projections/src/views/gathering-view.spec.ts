import { describe, expect, it } from '@jest/globals';
import { event } from '../testing/fixtures.js';
import { recorded } from '../testing/recorded.js';
import { gatheringView } from './gathering-view.js';

const G = '0192f000-0000-7000-8000-0000000000f1';
const TRONDHEIM = '0192f000-0000-7000-8000-0000000000a1';

describe('gathering view', () => {
  const held = event(
    'GatheringHeld',
    { gatheringId: G, title: 'Public heroes', kind: 'workshop', heldOn: '2019-03-14', participantCount: 15, organiserOrganisationId: TRONDHEIM, purpose: null },
    '2019-03-14T09:00:00.000Z',
  );
  const insight = (insightId: string, at: string) =>
    event('InsightRecorded', { gatheringId: G, insightId, observation: 'Caseworkers want permission to try', learning: null, themes: ['public sector'] }, at);

  it('is null until the gathering is recorded', async () => {
    expect(gatheringView([])).toBeNull();
    expect(gatheringView(await recorded(insight('i1', '2019-03-15T09:00:00.000Z')))).toBeNull();
  });

  it('shows the gathering and its insights, retracted ones with the reason', async () => {
    const view = gatheringView(
      await recorded(
        held,
        insight('i1', '2019-03-15T09:00:00.000Z'),
        insight('i2', '2019-03-16T09:00:00.000Z'),
        event('InsightRetracted', { gatheringId: G, insightId: 'i2', reason: 'Wrong gathering' }),
      ),
    );
    expect(view).toEqual({
      id: G,
      version: 4,
      title: 'Public heroes',
      kind: 'workshop',
      heldOn: '2019-03-14',
      participantCount: 15,
      organiserOrganisationId: TRONDHEIM,
      purpose: null,
      insights: [
        {
          insightId: 'i1',
          observation: 'Caseworkers want permission to try',
          learning: null,
          themes: ['public sector'],
          occurredAt: '2019-03-15T09:00:00.000Z',
          retracted: false,
          retractionReason: null,
        },
        expect.objectContaining({ insightId: 'i2', retracted: true, retractionReason: 'Wrong gathering' }),
      ],
    });
  });
});
