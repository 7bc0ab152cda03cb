import type { TestApp } from '../../support/test-app.js';
import { testCard } from '../../support/test-app.js';

/** Entities in every interesting state, so hostile requests reach deep code paths. */
export interface World {
  organisationA: string;
  organisationB: string;
  personA: string;
  personB: string;
  roleId: string;
  experimentDesigned: string;
  experimentRunning: string;
  experimentConcluded: string;
  stepId: string;
  experimentLearningId: string;
  collaboration: string;
  activityPlanned: string;
  activityStarted: string;
  initiativeTentative: string;
  initiativeConfirmed: string;
  collaborationMilestoneId: string;
  collaborationLearningId: string;
  network: string;
  networkMilestoneId: string;
  networkLearningId: string;
  gathering: string;
  insightId: string;
  /** A user account (a lead) that only ever receives refused commands. */
  user: string;
  /** Real cursors of each paged read, to be replayed on the wrong list. */
  cursors: string[];
}

const learningCard = {
  observation: 'Residents came when the first step was small',
  learning: 'Small first steps work',
  decision: 'persevere',
  reliability: 'medium',
  themes: ['sustainable urban development'],
};

/** Builds the world through the API, as any client would. */
export async function buildWorld(app: TestApp): Promise<World> {
  const send = async (path: string, body: Record<string, unknown> = {}): Promise<Record<string, string>> => {
    const reply = await app.post(path, body);
    if (reply.status >= 300) throw new Error(`setup ${path} → ${reply.status} ${reply.body}`);
    return reply.json<Record<string, string>>();
  };
  const organisationA = (await send('/api/organisations', { name: 'Trondheim kommune', kind: 'municipality' })).id;
  const organisationB = (await send('/api/organisations', { name: 'SoCentral', kind: 'ngo' })).id;
  const personA = (await send('/api/people', { name: 'Kari Nordmann', background: 'Urban planner' })).id;
  const personB = (await send('/api/people', { name: 'Ola Nordmann' })).id;
  const { roleId } = await send(`/api/people/${personB}/roles`, { organisationId: organisationA, title: 'Project manager', from: '2019-01-01' });

  const experimentDesigned = (await send('/api/experiments', testCard({ leadId: personA, deadline: '2019-06-30' }))).id;
  const experimentRunning = (await send('/api/experiments', testCard({ title: 'Pop-up on one street' }))).id;
  await send(`/api/experiments/${experimentRunning}/start`);
  const { stepId } = await send(`/api/experiments/${experimentRunning}/steps`, {
    description: 'Interviewed 12 residents',
    evidenceUrl: 'https://example.org/notes',
  });
  await send(`/api/experiments/${experimentRunning}/measurements`, { value: 42, unit: 'households' });
  const experimentLearningId = (await send(`/api/experiments/${experimentRunning}/learnings`, learningCard)).learningId;
  const experimentConcluded = (await send('/api/experiments', testCard({ title: 'Concluded one' }))).id;
  await send(`/api/experiments/${experimentConcluded}/start`);
  await send(`/api/experiments/${experimentConcluded}/conclude`, { outcome: 'validated', summary: 'It worked' });

  const collaboration = (
    await send('/api/collaborations', {
      title: '+CityxChange replication',
      partnerOrganisationId: organisationA,
      themes: ['positive energy districts'],
      agreedOn: '2018-10-01',
    })
  ).id;
  await send(`/api/collaborations/${collaboration}/parties`, { organisationId: organisationB, role: 'research partner' });
  const activityPlanned = (await send(`/api/collaborations/${collaboration}/activities`, { title: 'Citizen camp', plannedFor: '2019-Q3' }))
    .activityId;
  const activityStarted = (await send(`/api/collaborations/${collaboration}/activities`, { title: 'Workshop series' })).activityId;
  await send(`/api/collaborations/${collaboration}/activities/${activityStarted}/start`);
  const initiative = { kind: 'eu-project', programme: 'Horizon 2020' };
  const initiativeTentative = (
    await send(`/api/collaborations/${collaboration}/initiatives`, { ...initiative, name: '+CityxChange', confidence: 'tentative' })
  ).initiativeId;
  const initiativeConfirmed = (
    await send(`/api/collaborations/${collaboration}/initiatives`, { ...initiative, name: 'Lighthouse', confidence: 'confirmed' })
  ).initiativeId;
  const collaborationMilestoneId = (await send(`/api/collaborations/${collaboration}/milestones`, { title: 'Replication plan', due: '2019-12-31' }))
    .milestoneId;
  const collaborationLearningId = (await send(`/api/collaborations/${collaboration}/learnings`, learningCard)).learningId;
  await send(`/api/collaborations/${collaboration}/experiments`, { experimentId: experimentRunning });

  const network = (
    await send('/api/networks', { name: 'Pådriv', kind: 'network', area: 'Hovinbyen', ledByOrganisationId: organisationA, ledSince: '2016-01-01' })
  ).id;
  await send(`/api/networks/${network}/partners`, { organisationId: organisationB });
  await send(`/api/networks/${network}/members`, { personId: personA });
  await send(`/api/networks/${network}/headcounts`, { partners: 38, members: 142 });
  await send(`/api/networks/${network}/method-adoptions`, { city: 'Bergen', stage: 'dialogue' });
  const networkMilestoneId = (await send(`/api/networks/${network}/milestones`, { title: 'Charter signed' })).milestoneId;
  const networkLearningId = (await send(`/api/networks/${network}/learnings`, learningCard)).learningId;
  await send(`/api/networks/${network}/experiments`, { experimentId: experimentDesigned });

  const gathering = (await send('/api/gatherings', { title: 'Public heroes workshop', kind: 'workshop', heldOn: '2019-03-14', participantCount: 15 }))
    .id;
  const insightId = (
    await send(`/api/gatherings/${gathering}/insights`, { observation: 'Caseworkers want permission to try', themes: ['public sector'] })
  ).insightId;

  const user = (await send('/api/users', { email: 'fuzz-target@example.org', name: 'Fuzz target', role: 'lead', personId: personA })).id;

  const cursors: string[] = [];
  for (const path of [
    '/api/experiments?limit=1',
    '/api/organisations?limit=1',
    '/api/learnings?limit=1',
    '/api/timeline?limit=1',
    `/api/collaborations/${collaboration}/timeline?limit=1`,
    '/api/audit?limit=1',
  ]) {
    const cursor = (await app.get(path)).json<{ nextCursor?: string | null }>().nextCursor;
    if (typeof cursor === 'string') cursors.push(cursor);
  }

  return {
    organisationA,
    organisationB,
    personA,
    personB,
    roleId,
    experimentDesigned,
    experimentRunning,
    experimentConcluded,
    stepId,
    experimentLearningId,
    collaboration,
    activityPlanned,
    activityStarted,
    initiativeTentative,
    initiativeConfirmed,
    collaborationMilestoneId,
    collaborationLearningId,
    network,
    networkMilestoneId,
    networkLearningId,
    gathering,
    insightId,
    user,
    cursors,
  };
}
