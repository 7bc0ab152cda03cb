import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProjectionRunner } from '../projection-runner.js';
import { openReadModelDb, type ReadModelDb } from '../read-model-db.js';
import { event, storeWithClock } from '../testing/fixtures.js';
import { experimentTimeline, experimentTimelineProjection } from './experiment-timeline.js';

const E1 = '0192f000-0000-7000-8000-000000000001';
const E2 = '0192f000-0000-7000-8000-000000000002';
const S1 = 'experiment-' + E1;
const card = {
  title: 'Evening meetings',
  hypothesis: 'More residents come in the evening',
  test: 'Hold three evening meetings',
  metric: 'attendance',
  successCriteria: '20% more attendees',
  leadId: null,
  themes: ['participation'],
  deadline: null,
};

describe('experiment timeline', () => {
  let db: ReadModelDb;
  let runner: ProjectionRunner;
  const designed = event(
    'ExperimentDesigned',
    { experimentId: E1, ...card, collaborationId: null, networkId: null },
    '2024-03-01T09:00:00.000Z',
  );
  const step = event(
    'StepLogged',
    { experimentId: E1, stepId: 'step-1', description: 'Interviewed 12 residents', evidenceUrl: null },
    '2024-03-05T10:00:00.000Z',
  );

  beforeAll(async () => {
    const { store, setNow } = storeWithClock('2024-06-01T12:00:00.000Z');
    await store.appendToStream(S1, [
      designed,
      event('ExperimentStarted', { experimentId: E1 }, '2024-03-02T09:00:00.000Z'),
    ]); // 1, 2
    await store.appendToStream('collaboration-c1', [
      event('LearningRecorded', {
        learningId: 'lc',
        observation: 'o',
        learning: 'not ours',
        decision: 'pivot',
        reliability: 'low',
        themes: [],
      }),
    ]); // 3
    await store.appendToStream('experiment-' + E2, [
      event('ExperimentDesigned', { experimentId: E2, ...card, title: 'Other' }),
    ]); // 4
    setNow('2024-06-02T12:00:00.000Z');
    await store.appendToStream(S1, [
      step, // 5
      event(
        'StepLogged',
        { experimentId: E1, stepId: 'step-2', description: 'Mapped\n  stakeholders', evidenceUrl: null },
        '2024-03-02T09:00:00.000Z',
      ), // 6: backdated, ties with 2
    ]);
    setNow('2024-06-03T12:00:00.000Z');
    await store.appendToStream(S1, [
      event(
        'StepRetracted',
        { experimentId: E1, stepId: 'step-1', reason: 'Duplicate entry' },
        '2024-03-06T10:00:00.000Z',
      ), // 7
      event(
        'MeasurementRecorded',
        { experimentId: E1, measurementId: 'm1', value: 1234.5, unit: 'residents', note: 'first round' },
        '2024-03-07T10:00:00.000Z',
      ), // 8
      event(
        'LearningRecorded',
        {
          experimentId: E1,
          learningId: 'l1',
          observation: 'Evenings were full',
          learning: 'Residents prefer evening meetings',
          decision: 'pivot',
          reliability: 'high',
          themes: [],
          retrospective: false,
        },
        '2024-03-08T10:00:00.000Z',
      ), // 9
      event(
        'LearningRetracted',
        { experimentId: E1, learningId: 'l1', reason: 'Too few data points' },
        '2024-03-09T10:00:00.000Z',
      ), // 10
      event(
        'TestCardRevised',
        { experimentId: E1, changes: { hypothesis: 'h2', successCriteria: 's2' }, reason: 'Sharper' },
        '2024-03-10T10:00:00.000Z',
      ), // 11
      event(
        'ExperimentConcluded',
        { experimentId: E1, outcome: 'validated', summary: 'Evenings work' },
        '2024-03-11T10:00:00.000Z',
      ), // 12
      event('ExperimentAbandoned', null as unknown as object, '2024-03-12T10:00:00.000Z'), // 13: malformed data still renders
    ]);
    db = openReadModelDb(':memory:');
    runner = new ProjectionRunner({ store, db, projections: [experimentTimelineProjection] });
    await runner.start();
    expect(await runner.waitFor(13, 2000)).toBe(true);
  });

  afterAll(async () => {
    await runner.stop();
    db.close();
  });

  it('returns the API entry shape for the experiment, ordered by occurredAt with position as tie-break', () => {
    const entries = experimentTimeline(db, E1, { lang: 'en' });
    expect(entries.map((e) => e.position)).toEqual([1, 2, 6, 5, 7, 8, 9, 10, 11, 12, 13]);
    expect(entries[0]).toEqual({
      occurredAt: '2024-03-01T09:00:00.000Z',
      recordedAt: '2024-06-01T12:00:00.000Z',
      type: 'ExperimentDesigned',
      summary: 'Experiment designed: "Evening meetings"',
      actor: { id: 'user-1', role: 'staff' },
      stream: S1,
      eventId: designed.eventId,
      position: 1,
    });
    expect(experimentTimeline(db, E2, { lang: 'en' }).map((e) => e.position)).toEqual([4]);
    expect(experimentTimeline(db, 'unknown', { lang: 'en' })).toEqual([]);
  });

  it('renders English summaries, with retractions naming what they retract', () => {
    expect(experimentTimeline(db, E1, { lang: 'en' }).map((e) => e.summary)).toEqual([
      'Experiment designed: "Evening meetings"',
      'Experiment started',
      'Step logged: "Mapped stakeholders"',
      'Step logged: "Interviewed 12 residents"',
      'Step retracted: "Interviewed 12 residents" (reason: Duplicate entry)',
      'Measurement recorded: 1,234.5 residents ("first round")',
      'Learning recorded (decision: pivot, reliability: high): "Residents prefer evening meetings"',
      'Learning retracted: "Residents prefer evening meetings" (reason: Too few data points)',
      'Test Card revised: hypothesis, success criteria (reason: Sharper)',
      'Experiment concluded (validated): "Evenings work"',
      'Experiment abandoned',
    ]);
  });

  it('renders Norwegian bokmål summaries', () => {
    expect(experimentTimeline(db, E1, { lang: 'nb' }).map((e) => e.summary)).toEqual([
      'Eksperimentet utformet: «Evening meetings»',
      'Eksperimentet startet',
      'Steg logget: «Mapped stakeholders»',
      'Steg logget: «Interviewed 12 residents»',
      'Steg trukket tilbake: «Interviewed 12 residents» (begrunnelse: Duplicate entry)',
      'Måling registrert: 1\u00a0234,5 residents («first round»)',
      'Læring registrert (beslutning: endre retning, pålitelighet: høy): «Residents prefer evening meetings»',
      'Læring trukket tilbake: «Residents prefer evening meetings» (begrunnelse: Too few data points)',
      'Testkortet revidert: hypotese, suksesskriterier (begrunnelse: Sharper)',
      'Eksperimentet avsluttet (bekreftet): «Evenings work»',
      'Eksperimentet avbrutt',
    ]);
  });

  it('asOf keeps events that occurred at or before the instant, in any offset', () => {
    const positions = (asOf: string) => experimentTimeline(db, E1, { lang: 'en', asOf }).map((e) => e.position);
    expect(positions('2024-03-05T10:00:00.000Z')).toEqual([1, 2, 6, 5]);
    expect(positions('2024-03-05T11:00:00+01:00')).toEqual([1, 2, 6, 5]);
    expect(positions('2024-03-05T09:59:59.999Z')).toEqual([1, 2, 6]);
    expect(positions('2024-02-01T00:00:00Z')).toEqual([]);
  });

  it('knownAt keeps events recorded by an instant, or up to a position', () => {
    const positions = (knownAt: string | number) =>
      experimentTimeline(db, E1, { lang: 'en', knownAt }).map((e) => e.position);
    expect(positions('2024-06-01T23:59:59Z')).toEqual([1, 2]);
    expect(positions('2024-06-02T12:00:00.000Z')).toEqual([1, 2, 6, 5]);
    expect(positions(6)).toEqual([1, 2, 6, 5]);
    expect(positions(5)).toEqual([1, 2, 5]);
    expect(positions(0)).toEqual([]);
    expect(
      experimentTimeline(db, E1, { lang: 'en', asOf: '2024-03-05T12:00:00Z', knownAt: 5 }).map((e) => e.position),
    ).toEqual([1, 2, 5]);
  });

  it('rejects an asOf or knownAt that is not an instant or position', () => {
    expect(() => experimentTimeline(db, E1, { lang: 'en', asOf: 'yesterday' })).toThrow(RangeError);
    expect(() => experimentTimeline(db, E1, { lang: 'en', knownAt: 'soon' })).toThrow(RangeError);
    expect(() => experimentTimeline(db, E1, { lang: 'en', knownAt: -1 })).toThrow(RangeError);
  });

  it('stores type and parameters, not sentences', () => {
    const row = db
      .prepare<[], { type: string; params: string; entity_kind: string; entity_id: string }>(
        `SELECT type, params, entity_kind, entity_id FROM "${experimentTimelineProjection.table}" WHERE position = 5`,
      )
      .get();
    expect(row).toEqual({
      type: 'StepLogged',
      params: JSON.stringify(step.data),
      entity_kind: 'experiment',
      entity_id: E1,
    });
  });
});
