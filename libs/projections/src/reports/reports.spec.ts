import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventToAppend, InMemoryEventStore, RecordedEvent } from '#event-store';
import { event, storeWithClock } from '../testing/fixtures.js';
import { collaborationReport, collaborationReportDocument } from './collaboration-report.js';
import { learningSummary, learningSummaryDocument, type LearningSummaryInput } from './learning-summary.js';
import { networkGrowth, networkGrowthSvg } from './network-growth.js';
import { renderDocumentReport } from './render-report.js';
import { PositionBeyondHead, ReportSnapshot } from './report-snapshot.js';

const id = (n: number) => `0192f000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const [TRONDHEIM, SOCENTRAL, COLLAB, NET, GATH] = [id(1), id(2), id(3), id(4), id(5)];
const [E_RUNNING, E_INCONCLUSIVE, E_VALIDATED, E_DESIGNED] = [id(11), id(12), id(13), id(14)];
const APP = '9.9.9';

const designed = (experimentId: string, title: string, extra: Record<string, unknown> = {}) => ({
  experimentId,
  title,
  hypothesis: 'h',
  test: 't',
  metric: 'm',
  successCriteria: 's',
  leadId: null,
  themes: ['Mobility'],
  deadline: null,
  collaborationId: null,
  networkId: null,
  ...extra,
});

const card = (owner: Record<string, string>, learningId: string, learning: string, decision: string, reliability: string, themes: string[] = []) => ({
  ...owner,
  learningId,
  observation: `Observed for ${learning}`,
  learning,
  decision,
  reliability,
  themes,
  retrospective: false,
});

const summaryInput = (filters: Partial<LearningSummaryInput['filters']> = {}, extra: Partial<LearningSummaryInput> = {}): LearningSummaryInput => ({
  filters: { from: null, to: null, theme: null, collaborationId: null, ...filters },
  lang: 'en',
  appVersion: APP,
  ...extra,
});

describe('reports', () => {
  let store: InMemoryEventStore;
  const open: ReportSnapshot[] = [];
  let beforeRetraction = 0;

  async function append(stream: string, ...events: EventToAppend[]): Promise<RecordedEvent[]> {
    await store.appendToStream(stream, events);
    return (await store.readStream(stream)).slice(-events.length);
  }
  async function snapshot(atPosition?: number): Promise<ReportSnapshot> {
    const s = await ReportSnapshot.load(store, atPosition);
    open.push(s);
    return s;
  }

  beforeAll(async () => {
    store = storeWithClock().store;
    const at = (day: number) => `2019-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
    await append(`organisation-${TRONDHEIM}`, event('OrganisationRegistered', { organisationId: TRONDHEIM, name: 'Trondheim kommune', kind: 'municipality' }, at(1)));
    await append(`organisation-${SOCENTRAL}`, event('OrganisationRegistered', { organisationId: SOCENTRAL, name: 'SoCentral', kind: 'other' }, at(1)));
    await append(
      `collaboration-${COLLAB}`,
      event('CollaborationAgreed', { collaborationId: COLLAB, title: 'Green living', partnerOrganisationId: TRONDHEIM, themes: ['Green living'], agreedOn: '2019-01-15', description: 'Citizens take initiative' }, at(2)),
      event('PartyJoined', { collaborationId: COLLAB, organisationId: SOCENTRAL, role: 'facilitator' }, at(2)),
      event('ActivityPlanned', { collaborationId: COLLAB, activityId: 'a1', title: 'Street pop-up', description: null, plannedFor: '2019' }, at(2)),
      event('ActivityStarted', { collaborationId: COLLAB, activityId: 'a1' }, at(3)),
      event('ActivityCompleted', { collaborationId: COLLAB, activityId: 'a1', outcome: '40 households signed up' }, at(4)),
      event('ActivityPlanned', { collaborationId: COLLAB, activityId: 'a2', title: 'Second round', description: null, plannedFor: null }, at(4)),
      event('InitiativeLinked', { collaborationId: COLLAB, initiativeId: 'i1', name: '+CityxChange', kind: 'eu-project', programme: 'Horizon 2020', confidence: 'tentative' }, at(2)),
      event('InitiativeLinkConfirmed', { collaborationId: COLLAB, initiativeId: 'i1' }, at(5)),
      event('InitiativeLinked', { collaborationId: COLLAB, initiativeId: 'i2', name: 'Other fund', kind: 'programme', programme: null, confidence: 'tentative' }, at(2)),
      event('InitiativeLinkDropped', { collaborationId: COLLAB, initiativeId: 'i2', reason: 'Not eligible' }, at(6)),
      event('MilestoneSet', { collaborationId: COLLAB, milestoneId: 'm1', title: 'First pilot', due: '2019-06-30' }, at(2)),
      event('MilestoneAchieved', { collaborationId: COLLAB, milestoneId: 'm1' }, at(7)),
      event('MilestoneSet', { collaborationId: COLLAB, milestoneId: 'm2', title: 'Scale up', due: null }, at(2)),
      event('LearningRecorded', card({ collaborationId: COLLAB }, 'l-collab', 'Citizens need a small first step', 'pivot', 'high'), at(8)),
    );
    await append(`experiment-${E_RUNNING}`, event('ExperimentDesigned', designed(E_RUNNING, 'Pop-up', { collaborationId: COLLAB }), at(3)));
    await append(`collaboration-${COLLAB}`, event('ExperimentAttached', { collaborationId: COLLAB, experimentId: E_RUNNING }, at(3)));
    await append(
      `experiment-${E_RUNNING}`,
      event('ExperimentStarted', { experimentId: E_RUNNING, startedAt: at(4) }, at(4)),
      event('LearningRecorded', card({ experimentId: E_RUNNING }, 'l-run-1', 'Evenings work', 'persevere', 'medium', ['Participation']), at(9)),
      event('LearningRecorded', card({ experimentId: E_RUNNING }, 'l-run-2', 'Unsure about weekends', 'continue-testing', 'low'), at(10)),
    );
    await append(
      `experiment-${E_INCONCLUSIVE}`,
      event('ExperimentDesigned', designed(E_INCONCLUSIVE, 'Bike library'), at(3)),
      event('ExperimentStarted', { experimentId: E_INCONCLUSIVE, startedAt: at(4) }, at(4)),
      event('ExperimentConcluded', { experimentId: E_INCONCLUSIVE, outcome: 'inconclusive', summary: 'Too few users' }, at(11)),
    );
    await append(
      `experiment-${E_VALIDATED}`,
      event('ExperimentDesigned', designed(E_VALIDATED, 'Tool shed'), at(3)),
      event('ExperimentStarted', { experimentId: E_VALIDATED, startedAt: at(4) }, at(4)),
      event('ExperimentConcluded', { experimentId: E_VALIDATED, outcome: 'validated', summary: 'Works' }, at(11)),
    );
    await append(`experiment-${E_DESIGNED}`, event('ExperimentDesigned', designed(E_DESIGNED, 'Not started'), at(3)));
    await append(
      `network-${NET}`,
      event('NetworkFounded', { networkId: NET, name: 'Pådriv', kind: 'network', area: null, purpose: null, ledByOrganisationId: SOCENTRAL, ledSince: null }, at(1)),
      event('HeadcountReported', { networkId: NET, partners: 38, members: 142 }, at(12)),
      event('PartnerJoined', { networkId: NET, organisationId: TRONDHEIM }, at(13)),
      event('PartnerJoined', { networkId: NET, organisationId: SOCENTRAL }, at(14)),
      event('MemberJoined', { networkId: NET, personId: id(99) }, at(14)),
      event('PartnerLeft', { networkId: NET, organisationId: TRONDHEIM }, at(15)),
      event('HeadcountReported', { networkId: NET, partners: 40, members: null }, at(16)),
      // same business time and reliability: the later position comes first
      event('LearningRecorded', card({ networkId: NET }, 'l-net-a', 'Governance must firm up', 'retire', 'high'), at(17)),
      event('LearningRecorded', card({ networkId: NET }, 'l-net-b', 'Partners want a legal entity', 'persevere', 'high'), at(17)),
    );
    await append(
      `gathering-${GATH}`,
      event('GatheringHeld', { gatheringId: GATH, title: 'Public heroes', kind: 'workshop', heldOn: '2019-03-18', participantCount: 15, organiserOrganisationId: SOCENTRAL, purpose: null }, at(18)),
      event('InsightRecorded', { gatheringId: GATH, insightId: 'ins-1', observation: 'Barriers were named', learning: null, themes: ['Public sector'] }, at(18)),
    );
    await append(`experiment-${E_RUNNING}`, event('LearningRecorded', card({ experimentId: E_RUNNING }, 'l-wrong', 'A mistake', 'retire', 'high'), at(19)));
    beforeRetraction = await store.headPosition();
    await append(`experiment-${E_RUNNING}`, event('LearningRetracted', { experimentId: E_RUNNING, learningId: 'l-wrong', reason: 'Wrong experiment' }, at(20)));
  });

  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });

  describe('learning summary', () => {
    it('orders key learnings by reliability, then recency, then position; leaves out retracted ones', async () => {
      const model = learningSummary(await snapshot(), summaryInput());
      expect(model?.keyLearnings.map((l) => l.id)).toEqual(['l-net-b', 'l-net-a', 'l-collab', 'l-run-1']);
      expect(model?.totals.counts).toEqual({ learnings: 5, insights: 1, persevere: 2, pivot: 1, retire: 1, 'continue-testing': 1 });
      expect(JSON.stringify(model)).not.toContain('l-wrong');
    });

    it('lists continue-testing learnings and running or inconclusive experiments as open questions', async () => {
      const s = await snapshot();
      const model = learningSummary(s, summaryInput());
      expect(model?.openQuestions.learnings.map((l) => l.id)).toEqual(['l-run-2']);
      expect(model?.openQuestions.experiments.map((e) => [e.title, e.status, e.outcome])).toEqual([
        ['Bike library', 'concluded', 'inconclusive'],
        ['Pop-up', 'running', null],
      ]);
      const stream = await store.readStream(`experiment-${E_INCONCLUSIVE}`);
      expect(model?.openQuestions.experiments[0].eventIds).toEqual(stream.map((e) => e.eventId));
    });

    it('groups by theme (inherited themes included) and by source, counting decisions', async () => {
      const model = learningSummary(await snapshot(), summaryInput());
      expect(model?.byTheme.map((g) => [g.theme, g.items.map((i) => i.id)])).toEqual([
        // equal counts: by name
        ['Green living', ['l-collab']],
        ['Mobility', ['l-run-2']],
        ['Participation', ['l-run-1']],
        ['Public sector', ['ins-1']],
        [null, ['l-net-b', 'l-net-a']],
      ]);
      expect(model?.bySource.map((g) => [g.source.kind, g.source.title, g.counts.learnings + g.counts.insights])).toEqual([
        ['experiment', 'Pop-up', 2],
        ['collaboration', 'Green living', 1],
        ['network', 'Pådriv', 2],
        ['gathering', 'Public heroes', 1],
      ]);
      expect(model?.bySource[2].counts).toMatchObject({ retire: 1, persevere: 1 });
    });

    it('filters by collaboration (with its experiments), theme and business-time range', async () => {
      const s = await snapshot();
      const scoped = learningSummary(s, summaryInput({ collaborationId: COLLAB }));
      expect(scoped?.bySource.flatMap((g) => g.items.map((i) => i.id))).toEqual(['l-run-2', 'l-run-1', 'l-collab']);
      expect(scoped?.openQuestions.experiments.map((e) => e.id)).toEqual([E_RUNNING]);
      expect(scoped?.collaboration?.title).toBe('Green living');
      expect(learningSummary(s, summaryInput({ collaborationId: id(777) }))).toBeNull();

      const themed = learningSummary(s, summaryInput({ theme: 'GREEN LIVING' }));
      expect(themed?.bySource.flatMap((g) => g.items.map((i) => i.id))).toEqual(['l-collab']);
      expect(themed?.openQuestions.experiments).toEqual([]);

      const ranged = learningSummary(s, summaryInput({ from: '2019-03-09', to: '2019-03-10' }, { occurredFrom: '2019-03-08T23:00:00.000Z', occurredTo: '2019-03-10T22:59:59.999Z' }));
      expect(ranged?.bySource.flatMap((g) => g.items.map((i) => i.id))).toEqual(['l-run-2', 'l-run-1']);
      // running since before `to`: still open; concluded after `to`: not in range
      expect(ranged?.openQuestions.experiments.map((e) => e.id)).toEqual([E_RUNNING]);
    });

    it('renders md, html and json with every line linked to its events, identically from the same position', async () => {
      const position = await store.headPosition();
      const render = async (format: 'md' | 'html' | 'json' | 'pdf', lang: 'en' | 'nb' = 'en') => {
        const model = learningSummary(await snapshot(position), summaryInput({}, { lang }));
        if (!model) throw new Error('no model');
        return (await renderDocumentReport(model, learningSummaryDocument, format, 'learning-summary')).body;
      };
      const md = String(await render('md'));
      const events = await store.readStream(`network-${NET}`);
      const netB = events.find((e) => (e.data as { learningId?: string }).learningId === 'l-net-b');
      expect(md).toContain('1. **Partners want a legal entity** — Observed for Partners want a legal entity (Network “Pådriv”, 17 March 2019; decision: persevere, reliability: high) [^');
      expect(md).toContain(`: event ${netB?.eventId}: LearningRecorded in stream network-${NET}`);
      expect(md).toContain(`Built from the events up to global position ${position}`);
      expect(md).toContain(`app version ${APP}`);
      for (const content of md.split('\n').filter((l) => /^(- |\d+\. |### )/.test(l))) expect(content).toMatch(/\[\^\d+\]$/);
      for (const format of ['md', 'html', 'json'] as const) expect(await render(format)).toEqual(await render(format));
      expect(await render('md', 'nb')).toContain('Nettverk «Pådriv», 17. mars 2019; beslutning: fortsette, pålitelighet: høy');
      const [pdfA, pdfB] = [await render('pdf'), await render('pdf')];
      expect(Buffer.isBuffer(pdfA) && pdfA.equals(pdfB as Buffer)).toBe(true);
      const json = JSON.parse(String(await render('json'))) as { keyLearnings: Array<{ eventIds: string[] }>; events: Array<{ eventId: string }> };
      expect(json.keyLearnings[0].eventIds).toEqual([netB?.eventId]);
      expect(json.events.map((e) => e.eventId)).toContain(netB?.eventId);
    });

    it('rebuilds an earlier position from the events at or below it', async () => {
      const earlier = learningSummary(await snapshot(beforeRetraction), summaryInput());
      expect(earlier?.builtFrom.position).toBe(beforeRetraction);
      expect(earlier?.keyLearnings.map((l) => l.id)).toContain('l-wrong');
      const empty = learningSummary(await snapshot(0), summaryInput());
      expect(empty?.bySource).toEqual([]);
      expect(empty?.builtFrom.lastRecordedAt).toBeNull();
      await expect(ReportSnapshot.load(store, (await store.headPosition()) + 1)).rejects.toThrow(PositionBeyondHead);
    });
  });

  describe('collaboration status', () => {
    it('reports activities, initiatives, milestones, learnings and experiments with their events', async () => {
      const s = await snapshot();
      const model = collaborationReport(s, COLLAB, 'en', APP);
      expect(model?.collaboration).toMatchObject({ title: 'Green living', status: 'active', agreedOn: '2019-01-15', partner: { id: TRONDHEIM, name: 'Trondheim kommune' } });
      expect(model?.parties.map((p) => [p.organisation.name, p.role])).toEqual([
        ['Trondheim kommune', null],
        ['SoCentral', 'facilitator'],
      ]);
      expect(model?.activities.map((a) => [a.title, a.status, a.completedOn, a.eventIds.length])).toEqual([
        ['Street pop-up', 'completed', '2019-03-04', 3],
        ['Second round', 'planned', null, 1],
      ]);
      expect(model?.initiatives.map((i) => [i.name, i.confidence, i.dropReason])).toEqual([
        ['+CityxChange', 'confirmed', null],
        ['Other fund', 'dropped', 'Not eligible'],
      ]);
      expect(model?.milestones.map((m) => [m.title, m.achieved, m.achievedOn])).toEqual([
        ['First pilot', true, '2019-03-07'],
        ['Scale up', false, null],
      ]);
      expect(model?.learnings.map((l) => l.id)).toEqual(['l-run-2', 'l-run-1', 'l-collab']);
      expect(model?.experiments.map((e) => [e.title, e.status])).toEqual([['Pop-up', 'running']]);
      const md = collaborationReportDocument(model ?? ((): never => { throw new Error('no model'); })());
      expect(md.title).toBe('Status report: Green living');
      expect(collaborationReport(s, id(777), 'en', APP)).toBeNull();
      expect(collaborationReport(s, NET, 'en', APP)).toBeNull();
    });
  });

  describe('network growth', () => {
    it('reports headcounts as reported and partners and members as listed, and draws them', async () => {
      const model = networkGrowth(await snapshot(), NET, 'en', APP);
      expect(model?.reported.map((p) => [p.date, p.partners, p.members])).toEqual([
        ['2019-03-12', 38, 142],
        ['2019-03-16', 40, null],
      ]);
      expect(model?.listed.map((p) => [p.change, p.partners, p.members])).toEqual([
        ['partner-joined', 1, 0],
        ['partner-joined', 2, 0],
        ['member-joined', 2, 1],
        ['partner-left', 1, 1],
      ]);
      expect(model?.current).toEqual({ reported: { partners: 40, members: 142 }, listed: { partners: 1, members: 1 } });
      const svg = networkGrowthSvg(model ?? ((): never => { throw new Error('no model'); })());
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain('>38</text>');
      expect(svg).toContain('>142</text>');
      expect(svg).toContain('stroke-dasharray');
      const again = networkGrowth(await snapshot(), NET, 'en', APP);
      expect(again && networkGrowthSvg(again)).toBe(svg);
      expect(networkGrowth(await snapshot(), COLLAB, 'en', APP)).toBeNull();
    });
  });
});
