import { describe, expect, it } from '@jest/globals';
import { given } from '../shared/decider-spec.js';
import { NotFoundError } from '../shared/domain-error.js';
import type { ExperimentCommand } from './experiment.commands.js';
import { experimentDecider } from './experiment.decider.js';
import {
  EXPERIMENT_EVENT_TYPES,
  type ExperimentDesigned,
  type ExperimentEvent,
  type ExperimentLearningRecorded,
  type TestCard,
} from './experiment.events.js';

const id = 'exp-1';
const DESIGNED_AT = '2019-01-10T08:00:00.000Z';
const STARTED_AT = '2019-01-15T08:00:00.000Z';
const LATER = '2019-02-01T12:00:00.000Z';
const BEFORE_START = '2019-01-14T23:59:59.999Z';

type Cmd<T extends ExperimentCommand['type']> = Extract<ExperimentCommand, { type: T }>;
const cmd = <T extends ExperimentCommand['type']>(type: T, data: Cmd<T>['data'], occurredAt = LATER): Cmd<T> =>
  ({ type, data, occurredAt }) as Cmd<T>;

const card: TestCard = {
  title: 'Green living made easy',
  hypothesis: 'We believe residents will share tools',
  test: 'Open a tool library in Grønland',
  metric: 'loans per week',
  successCriteria: 'at least 20 loans per week',
  leadId: null,
  themes: [],
  deadline: null,
};

const designed: ExperimentDesigned = {
  type: 'ExperimentDesigned',
  data: { experimentId: id, ...card, collaborationId: null, networkId: null },
};
const started: ExperimentEvent = { type: 'ExperimentStarted', data: { experimentId: id, startedAt: STARTED_AT } };
const stepLogged: ExperimentEvent = {
  type: 'StepLogged',
  data: { experimentId: id, stepId: 'step-1', description: 'Interviewed 12 residents', evidenceUrl: null },
};
const stepRetracted: ExperimentEvent = {
  type: 'StepRetracted',
  data: { experimentId: id, stepId: 'step-1', reason: 'wrong experiment' },
};
const learningRecorded: ExperimentEvent = {
  type: 'LearningRecorded',
  data: {
    experimentId: id,
    learningId: 'learning-1',
    observation: 'Few loans on weekdays',
    learning: 'People borrow for weekend projects',
    decision: 'pivot',
    reliability: 'medium',
    themes: [],
    retrospective: false,
  },
};
const learningRetracted: ExperimentEvent = {
  type: 'LearningRetracted',
  data: { experimentId: id, learningId: 'learning-1', reason: 'duplicate' },
};
const measured: ExperimentEvent = {
  type: 'MeasurementRecorded',
  data: { experimentId: id, measurementId: 'm-1', value: 12, unit: 'loans', note: null },
};
const concluded: ExperimentEvent = {
  type: 'ExperimentConcluded',
  data: { experimentId: id, outcome: 'validated', summary: 'Weekend loans carry it' },
};
const abandoned: ExperimentEvent = { type: 'ExperimentAbandoned', data: { experimentId: id, reason: 'No venue' } };

const design = cmd(
  'DesignExperiment',
  {
    experimentId: id,
    title: card.title,
    hypothesis: card.hypothesis,
    test: card.test,
    metric: card.metric,
    successCriteria: card.successCriteria,
  },
  DESIGNED_AT,
);
const start = cmd('StartExperiment', { experimentId: id }, STARTED_AT);
const logStep = cmd('LogStep', { experimentId: id, stepId: 'step-2', description: 'Put up posters' });
const retractStep = cmd('RetractStep', { experimentId: id, stepId: 'step-1', reason: 'wrong experiment' });
const measure = cmd('RecordMeasurement', { experimentId: id, measurementId: 'm-2', value: 7 });
const recordLearning = cmd('RecordLearning', {
  experimentId: id,
  learningId: 'learning-2',
  observation: 'Posters work',
  learning: 'Visibility drives loans',
  decision: 'persevere',
  reliability: 'low',
});
const retractLearning = cmd('RetractLearning', { experimentId: id, learningId: 'learning-1', reason: 'duplicate' });
const conclude = cmd('ConcludeExperiment', { experimentId: id, outcome: 'invalidated', summary: 'Nobody came' });
const abandon = cmd('AbandonExperiment', { experimentId: id, reason: 'Funding stopped' });
const revise = cmd('ReviseTestCard', { experimentId: id, metric: 'loans per month', reason: 'weekly is too noisy' });

const learningEvent = (retrospective: boolean): ExperimentLearningRecorded => ({
  type: 'LearningRecorded',
  data: {
    experimentId: id,
    learningId: 'learning-2',
    observation: 'Posters work',
    learning: 'Visibility drives loans',
    decision: 'persevere',
    reliability: 'low',
    themes: [],
    retrospective,
  },
});

describe('experiment decider', () => {
  describe('initial (no experiment)', () => {
    it('designs an experiment: optional fields become null, text is trimmed, themes are cleaned', () => {
      given(experimentDecider, [])
        .when(
          cmd('DesignExperiment', {
            ...design.data,
            title: `  ${card.title} `,
            themes: [' climate ', 'Climate', '', 'mobility'],
          }),
        )
        .then([{ ...designed, data: { ...designed.data, themes: ['climate', 'mobility'] } }]);
    });

    it('keeps lead, deadline, collaboration and network', () => {
      given(experimentDecider, [])
        .when(
          cmd('DesignExperiment', {
            ...design.data,
            leadId: 'person-1',
            deadline: '2019-06-30',
            collaborationId: 'collab-1',
            networkId: 'net-1',
          }),
        )
        .then([
          {
            type: 'ExperimentDesigned',
            data: {
              ...designed.data,
              leadId: 'person-1',
              deadline: '2019-06-30',
              collaborationId: 'collab-1',
              networkId: 'net-1',
            },
          },
        ]);
    });

    it.each([
      ['title', 'experiment.title-required'],
      ['hypothesis', 'experiment.hypothesis-required'],
      ['test', 'experiment.test-required'],
      ['metric', 'experiment.metric-required'],
      ['successCriteria', 'experiment.success-criteria-required'],
    ] as const)('refuses a blank %s', (field, rule) => {
      given(experimentDecider, [])
        .when(cmd('DesignExperiment', { ...design.data, [field]: '   ' }))
        .thenThrows(rule);
    });

    it.each([revise, start, logStep, retractStep, measure, recordLearning, retractLearning, conclude, abandon])(
      'refuses $type on an unknown experiment as not found',
      (command) => {
        given(experimentDecider, []).when(command).thenThrows('experiment.not-found', NotFoundError);
      },
    );
  });

  describe('designed', () => {
    const history = [designed];

    it('refuses designing it again', () => {
      given(experimentDecider, history).when(design).thenThrows('experiment.already-exists');
    });

    it('revises only the fields that change', () => {
      given(experimentDecider, history)
        .when(
          cmd('ReviseTestCard', {
            experimentId: id,
            title: card.title,
            metric: ' loans per month ',
            themes: ['Climate'],
            leadId: 'person-2',
            deadline: '2019-09-01',
            reason: ' weekly is too noisy ',
          }),
        )
        .then([
          {
            type: 'TestCardRevised',
            data: {
              experimentId: id,
              changes: { metric: 'loans per month', themes: ['Climate'], leadId: 'person-2', deadline: '2019-09-01' },
              reason: 'weekly is too noisy',
            },
          },
        ]);
    });

    it('clears lead and deadline with null', () => {
      given(experimentDecider, [{ ...designed, data: { ...designed.data, leadId: 'p', deadline: '2019-06-30' } }])
        .when(cmd('ReviseTestCard', { experimentId: id, leadId: null, deadline: null, reason: 'open again' }))
        .then([
          { type: 'TestCardRevised', data: { experimentId: id, changes: { leadId: null, deadline: null }, reason: 'open again' } },
        ]);
    });

    it('refuses a revision that changes nothing', () => {
      given(experimentDecider, history)
        .when(cmd('ReviseTestCard', { experimentId: id, title: card.title, themes: [], reason: 'no-op' }))
        .thenThrows('experiment.no-changes');
      given(experimentDecider, history)
        .when(cmd('ReviseTestCard', { experimentId: id, reason: 'nothing at all' }))
        .thenThrows('experiment.no-changes');
    });

    it('refuses a revision without a reason', () => {
      given(experimentDecider, history)
        .when(cmd('ReviseTestCard', { experimentId: id, metric: 'loans per month', reason: ' ' }))
        .thenThrows('experiment.reason-required');
    });

    it('refuses blanking a required Test Card field', () => {
      given(experimentDecider, history)
        .when(cmd('ReviseTestCard', { experimentId: id, hypothesis: '', reason: 'oops' }))
        .thenThrows('experiment.hypothesis-required');
    });

    it('starts, remembering the business time of the start', () => {
      given(experimentDecider, history).when(start).then([started]);
    });

    it.each([logStep, measure, conclude])('refuses $type before the start', (command) => {
      given(experimentDecider, history).when(command).thenThrows('experiment.not-running');
    });

    it('refuses learnings before the start: they come from testing', () => {
      given(experimentDecider, history).when(recordLearning).thenThrows('experiment.not-started');
    });

    it('has no steps or learnings to retract', () => {
      given(experimentDecider, history).when(retractStep).thenThrows('experiment.step-not-found');
      given(experimentDecider, history).when(retractLearning).thenThrows('experiment.learning-not-found');
    });

    it('can be abandoned, with a reason', () => {
      given(experimentDecider, history)
        .when(abandon)
        .then([{ type: 'ExperimentAbandoned', data: { experimentId: id, reason: 'Funding stopped' } }]);
      given(experimentDecider, history)
        .when(cmd('AbandonExperiment', { experimentId: id, reason: '' }))
        .thenThrows('experiment.reason-required');
    });
  });

  describe('running', () => {
    const history = [designed, started, stepLogged, learningRecorded, measured];

    it('refuses starting again', () => {
      given(experimentDecider, history).when(start).thenThrows('experiment.already-started');
    });

    it('still accepts Test Card revisions', () => {
      given(experimentDecider, history)
        .when(revise)
        .then([
          {
            type: 'TestCardRevised',
            data: { experimentId: id, changes: { metric: 'loans per month' }, reason: 'weekly is too noisy' },
          },
        ]);
    });

    it('logs a step, with or without evidence', () => {
      given(experimentDecider, history)
        .when(logStep)
        .then([{ type: 'StepLogged', data: { experimentId: id, stepId: 'step-2', description: 'Put up posters', evidenceUrl: null } }]);
      given(experimentDecider, history)
        .when(cmd('LogStep', { ...logStep.data, evidenceUrl: 'https://example.org/photo' }))
        .then([
          {
            type: 'StepLogged',
            data: { experimentId: id, stepId: 'step-2', description: 'Put up posters', evidenceUrl: 'https://example.org/photo' },
          },
        ]);
    });

    it('logs a step at the very instant of the start', () => {
      given(experimentDecider, history)
        .when(cmd('LogStep', logStep.data, STARTED_AT))
        .then([{ type: 'StepLogged', data: { experimentId: id, stepId: 'step-2', description: 'Put up posters', evidenceUrl: null } }]);
    });

    it('refuses a step dated before the start', () => {
      given(experimentDecider, history).when(cmd('LogStep', logStep.data, BEFORE_START)).thenThrows('experiment.occurred-before-start');
    });

    it('refuses a step without description or with a used id', () => {
      given(experimentDecider, history)
        .when(cmd('LogStep', { ...logStep.data, description: ' ' }))
        .thenThrows('experiment.description-required');
      given(experimentDecider, history)
        .when(cmd('LogStep', { ...logStep.data, stepId: 'step-1' }))
        .thenThrows('experiment.step-already-exists');
    });

    it('retracts a step once, with a reason', () => {
      given(experimentDecider, history).when(retractStep).then([stepRetracted]);
      given(experimentDecider, [...history, stepRetracted]).when(retractStep).thenThrows('experiment.step-already-retracted');
      given(experimentDecider, history)
        .when(cmd('RetractStep', { ...retractStep.data, stepId: 'nope' }))
        .thenThrows('experiment.step-not-found');
      given(experimentDecider, history)
        .when(cmd('RetractStep', { ...retractStep.data, reason: '' }))
        .thenThrows('experiment.reason-required');
    });

    it('records measurements, including zero and negative values', () => {
      for (const value of [7, 0, -3.5]) {
        given(experimentDecider, history)
          .when(cmd('RecordMeasurement', { ...measure.data, value, unit: ' loans ', note: '' }))
          .then([{ type: 'MeasurementRecorded', data: { experimentId: id, measurementId: 'm-2', value, unit: 'loans', note: null } }]);
      }
    });

    it('refuses a measurement that is not a finite number, reuses an id or is dated before the start', () => {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
        given(experimentDecider, history)
          .when(cmd('RecordMeasurement', { ...measure.data, value }))
          .thenThrows('experiment.measurement-value-invalid');
      }
      given(experimentDecider, history)
        .when(cmd('RecordMeasurement', { ...measure.data, measurementId: 'm-1' }))
        .thenThrows('experiment.measurement-already-exists');
      given(experimentDecider, history)
        .when(cmd('RecordMeasurement', measure.data, BEFORE_START))
        .thenThrows('experiment.occurred-before-start');
    });

    it('records a learning (not retrospective)', () => {
      given(experimentDecider, history)
        .when(cmd('RecordLearning', { ...recordLearning.data, themes: ['sharing', ' sharing'] }))
        .then([{ ...learningEvent(false), data: { ...learningEvent(false).data, themes: ['sharing'] } }]);
    });

    it('refuses incomplete, duplicate or too early learnings', () => {
      given(experimentDecider, history)
        .when(cmd('RecordLearning', { ...recordLearning.data, observation: '' }))
        .thenThrows('experiment.observation-required');
      given(experimentDecider, history)
        .when(cmd('RecordLearning', { ...recordLearning.data, learning: '\n' }))
        .thenThrows('experiment.learning-required');
      given(experimentDecider, history)
        .when(cmd('RecordLearning', { ...recordLearning.data, learningId: 'learning-1' }))
        .thenThrows('experiment.learning-already-exists');
      given(experimentDecider, history)
        .when(cmd('RecordLearning', recordLearning.data, BEFORE_START))
        .thenThrows('experiment.occurred-before-start');
    });

    it('retracts a learning once, with a reason', () => {
      given(experimentDecider, history).when(retractLearning).then([learningRetracted]);
      given(experimentDecider, [...history, learningRetracted])
        .when(retractLearning)
        .thenThrows('experiment.learning-already-retracted');
      given(experimentDecider, history)
        .when(cmd('RetractLearning', { ...retractLearning.data, learningId: 'nope' }))
        .thenThrows('experiment.learning-not-found');
      given(experimentDecider, history)
        .when(cmd('RetractLearning', { ...retractLearning.data, reason: ' ' }))
        .thenThrows('experiment.reason-required');
    });

    it('concludes with an outcome and a summary', () => {
      given(experimentDecider, history)
        .when(conclude)
        .then([{ type: 'ExperimentConcluded', data: { experimentId: id, outcome: 'invalidated', summary: 'Nobody came' } }]);
      given(experimentDecider, history)
        .when(cmd('ConcludeExperiment', { ...conclude.data, summary: '' }))
        .thenThrows('experiment.summary-required');
      given(experimentDecider, history)
        .when(cmd('ConcludeExperiment', conclude.data, BEFORE_START))
        .thenThrows('experiment.occurred-before-start');
    });

    it('can be abandoned, but not dated before the start', () => {
      given(experimentDecider, history)
        .when(abandon)
        .then([{ type: 'ExperimentAbandoned', data: { experimentId: id, reason: 'Funding stopped' } }]);
      given(experimentDecider, history)
        .when(cmd('AbandonExperiment', abandon.data, BEFORE_START))
        .thenThrows('experiment.occurred-before-start');
    });
  });

  describe.each([
    ['concluded', [designed, started, stepLogged, learningRecorded, concluded]],
    ['abandoned while running', [designed, started, stepLogged, learningRecorded, abandoned]],
  ])('%s', (_name, history) => {
    it.each([revise, start, logStep, measure, conclude, abandon])('refuses $type: the experiment has ended', (command) => {
      given(experimentDecider, history).when(command).thenThrows('experiment.already-ended');
    });

    it('records learnings as retrospective', () => {
      given(experimentDecider, history).when(recordLearning).then([learningEvent(true)]);
    });

    it('still lets the record be corrected', () => {
      given(experimentDecider, history).when(retractStep).then([stepRetracted]);
      given(experimentDecider, history).when(retractLearning).then([learningRetracted]);
    });
  });

  describe('abandoned before the start', () => {
    const history = [designed, abandoned];

    it.each([revise, start, logStep, measure, conclude, abandon])('refuses $type', (command) => {
      given(experimentDecider, history).when(command).thenThrows('experiment.already-ended');
    });

    it('records learnings as retrospective', () => {
      given(experimentDecider, history).when(recordLearning).then([learningEvent(true)]);
    });
  });

  describe('evolve', () => {
    it('folds a whole history into state', () => {
      const revised: ExperimentEvent = {
        type: 'TestCardRevised',
        data: { experimentId: id, changes: { metric: 'loans per month', leadId: 'person-1' }, reason: 'r' },
      };
      expect(
        given(experimentDecider, [designed, revised, started, stepLogged, stepRetracted, measured, learningRecorded, learningRetracted, concluded]).state(),
      ).toEqual({
        status: 'concluded',
        experimentId: id,
        card: { ...card, metric: 'loans per month', leadId: 'person-1' },
        collaborationId: null,
        networkId: null,
        startedAt: STARTED_AT,
        steps: { 'step-1': { retracted: true } },
        measurementIds: ['m-1'],
        learnings: { 'learning-1': { retracted: true } },
        outcome: 'validated',
        summary: 'Weekend loans carry it',
      });
    });

    it('knows an abandoned-in-design experiment never started', () => {
      expect(given(experimentDecider, [designed, abandoned]).state()).toMatchObject({
        status: 'abandoned',
        startedAt: null,
        reason: 'No venue',
      });
    });

    it('ignores events that cannot apply in the current state', () => {
      const later: ExperimentEvent = { type: 'ExperimentStarted', data: { experimentId: id, startedAt: LATER } };
      expect(given(experimentDecider, [designed, started, later]).state()).toMatchObject({ status: 'running', startedAt: STARTED_AT });
      expect(given(experimentDecider, [stepLogged, started]).state()).toEqual({ status: 'initial' });
      expect(given(experimentDecider, [designed, concluded]).state()).toMatchObject({ status: 'designed' });
    });

    it('lists every event type', () => {
      expect([...EXPERIMENT_EVENT_TYPES].sort()).toEqual(
        [designed, started, stepLogged, stepRetracted, measured, learningRecorded, learningRetracted, concluded, abandoned, { type: 'TestCardRevised' }]
          .map((e) => e.type)
          .sort(),
      );
    });
  });
});
