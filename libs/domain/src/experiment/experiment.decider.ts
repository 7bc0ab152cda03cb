import { assertNever, type Decider } from '../shared/decider.js';
import { DomainError, NotFoundError } from '../shared/domain-error.js';
import { addEntry, requireNewId, requireRetractable, retractEntry } from '../shared/entries.js';
import { isBefore, normaliseThemes, optionalText, requireText, sameList } from '../shared/guards.js';
import { decideLearningRecorded, decideLearningRetracted, learningRecorded, learningRetracted } from '../shared/learnings.js';
import type {
  AbandonExperiment,
  ConcludeExperiment,
  DesignExperiment,
  ExperimentCommand,
  LogStep,
  RecordLearning,
  RecordMeasurement,
  RetractLearning,
  RetractStep,
  ReviseTestCard,
  StartExperiment,
  TestCardInput,
} from './experiment.commands.js';
import type {
  ExperimentAbandoned,
  ExperimentConcluded,
  ExperimentDesigned,
  ExperimentEvent,
  ExperimentLearningRecorded,
  ExperimentLearningRetracted,
  ExperimentStarted,
  MeasurementRecorded,
  StepLogged,
  StepRetracted,
  TestCard,
  TestCardRevised,
} from './experiment.events.js';
import type { ExistingExperiment, ExperimentRunning, ExperimentState } from './experiment.state.js';

const P = 'experiment';

/**
 * The experiment (Test Card) lifecycle: designed → running → concluded | abandoned (abandon also from designed).
 *
 * Choices: learnings come from testing, so none while designed (`experiment.not-started`); after the end they
 * are still welcome, marked `retrospective`. Retracting a step or learning corrects the record and is allowed
 * in every state where it exists. Work (steps, measurements, learnings, the conclusion) cannot be dated before
 * the start (`experiment.occurred-before-start`).
 */
export const experimentDecider: Decider<ExperimentCommand, ExperimentEvent, ExperimentState> = {
  initialState: () => ({ status: 'initial' }),
  evolve,
  decide,
};

function decide(command: ExperimentCommand, state: ExperimentState): ExperimentEvent[] {
  switch (command.type) {
    case 'DesignExperiment':
      return [design(command, state)];
    case 'ReviseTestCard':
      return [revise(command, state)];
    case 'StartExperiment':
      return [start(command, state)];
    case 'LogStep':
      return [logStep(command, state)];
    case 'RetractStep':
      return [retractStep(command, state)];
    case 'RecordMeasurement':
      return [recordMeasurement(command, state)];
    case 'RecordLearning':
      return [recordLearning(command, state)];
    case 'RetractLearning':
      return [retractLearning(command, state)];
    case 'ConcludeExperiment':
      return [conclude(command, state)];
    case 'AbandonExperiment':
      return [abandon(command, state)];
    default:
      return assertNever(command);
  }
}

function existing(state: ExperimentState, experimentId: string): ExistingExperiment {
  if (state.status === 'initial') throw new NotFoundError(P, experimentId);
  return state;
}

function alreadyEnded(state: ExistingExperiment): DomainError {
  return new DomainError(`${P}.already-ended`, `experiment ${state.experimentId} is already ${state.status}`);
}

/** Steps, measurements and the conclusion need a running experiment. */
function running(state: ExperimentState, experimentId: string): ExperimentRunning {
  const s = existing(state, experimentId);
  switch (s.status) {
    case 'running':
      return s;
    case 'designed':
      throw new DomainError(`${P}.not-running`, `experiment ${experimentId} has not started`);
    case 'concluded':
    case 'abandoned':
      throw alreadyEnded(s);
    default:
      return assertNever(s);
  }
}

function notBeforeStart(state: ExperimentRunning, occurredAt: string): void {
  if (isBefore(occurredAt, state.startedAt)) {
    throw new DomainError(
      `${P}.occurred-before-start`,
      `${occurredAt} lies before the experiment started (${state.startedAt})`,
    );
  }
}

function testCard(input: TestCardInput): TestCard {
  return {
    title: requireText(P, 'title', input.title),
    hypothesis: requireText(P, 'hypothesis', input.hypothesis),
    test: requireText(P, 'test', input.test),
    metric: requireText(P, 'metric', input.metric),
    successCriteria: requireText(P, 'success-criteria', input.successCriteria),
    leadId: input.leadId ?? null,
    themes: normaliseThemes(input.themes),
    deadline: optionalText(input.deadline),
  };
}

function design({ data }: DesignExperiment, state: ExperimentState): ExperimentDesigned {
  if (state.status !== 'initial') {
    throw new DomainError(`${P}.already-exists`, `experiment ${data.experimentId} already exists`);
  }
  return {
    type: 'ExperimentDesigned',
    data: {
      experimentId: data.experimentId,
      ...testCard(data),
      collaborationId: data.collaborationId ?? null,
      networkId: data.networkId ?? null,
    },
  };
}

const TEXT_FIELDS = [
  ['title', 'title'],
  ['hypothesis', 'hypothesis'],
  ['test', 'test'],
  ['metric', 'metric'],
  ['successCriteria', 'success-criteria'],
] as const;

function revise({ data }: ReviseTestCard, state: ExperimentState): TestCardRevised {
  const s = existing(state, data.experimentId);
  if (s.status === 'concluded' || s.status === 'abandoned') throw alreadyEnded(s);
  const changes: Partial<TestCard> = {};
  for (const [field, name] of TEXT_FIELDS) {
    const value = data[field];
    if (value === undefined) continue;
    const text = requireText(P, name, value);
    if (text !== s.card[field]) changes[field] = text;
  }
  if (data.leadId !== undefined && (data.leadId ?? null) !== s.card.leadId) changes.leadId = data.leadId ?? null;
  if (data.themes !== undefined) {
    const themes = normaliseThemes(data.themes);
    if (!sameList(themes, s.card.themes)) changes.themes = themes;
  }
  if (data.deadline !== undefined && optionalText(data.deadline) !== s.card.deadline) {
    changes.deadline = optionalText(data.deadline);
  }
  if (Object.keys(changes).length === 0) {
    throw new DomainError(`${P}.no-changes`, 'the revision changes no Test Card field');
  }
  return {
    type: 'TestCardRevised',
    data: { experimentId: s.experimentId, changes, reason: requireText(P, 'reason', data.reason) },
  };
}

function start({ data, occurredAt }: StartExperiment, state: ExperimentState): ExperimentStarted {
  const s = existing(state, data.experimentId);
  switch (s.status) {
    case 'designed':
      return { type: 'ExperimentStarted', data: { experimentId: s.experimentId, startedAt: occurredAt } };
    case 'running':
      throw new DomainError(`${P}.already-started`, `experiment ${s.experimentId} is already running`);
    case 'concluded':
    case 'abandoned':
      throw alreadyEnded(s);
    default:
      return assertNever(s);
  }
}

function logStep({ data, occurredAt }: LogStep, state: ExperimentState): StepLogged {
  const s = running(state, data.experimentId);
  requireNewId(P, 'step', data.stepId, s.steps);
  notBeforeStart(s, occurredAt);
  return {
    type: 'StepLogged',
    data: {
      experimentId: s.experimentId,
      stepId: data.stepId,
      description: requireText(P, 'description', data.description),
      evidenceUrl: optionalText(data.evidenceUrl),
    },
  };
}

function retractStep({ data }: RetractStep, state: ExperimentState): StepRetracted {
  const s = existing(state, data.experimentId);
  requireRetractable(P, 'step', data.stepId, s.steps);
  return {
    type: 'StepRetracted',
    data: { experimentId: s.experimentId, stepId: data.stepId, reason: requireText(P, 'reason', data.reason) },
  };
}

function recordMeasurement({ data, occurredAt }: RecordMeasurement, state: ExperimentState): MeasurementRecorded {
  const s = running(state, data.experimentId);
  if (s.measurementIds.includes(data.measurementId)) {
    throw new DomainError(`${P}.measurement-already-exists`, `measurement ${data.measurementId} already exists`);
  }
  notBeforeStart(s, occurredAt);
  if (typeof data.value !== 'number' || !Number.isFinite(data.value)) {
    throw new DomainError(`${P}.measurement-value-invalid`, 'a measurement value must be a finite number');
  }
  return {
    type: 'MeasurementRecorded',
    data: {
      experimentId: s.experimentId,
      measurementId: data.measurementId,
      value: data.value,
      unit: optionalText(data.unit),
      note: optionalText(data.note),
    },
  };
}

function recordLearning({ data, occurredAt }: RecordLearning, state: ExperimentState): ExperimentLearningRecorded {
  const s = existing(state, data.experimentId);
  switch (s.status) {
    case 'designed':
      throw new DomainError(`${P}.not-started`, 'learnings come from testing: start the experiment first');
    case 'running':
      notBeforeStart(s, occurredAt);
      break;
    case 'concluded':
    case 'abandoned':
      break;
    default:
      return assertNever(s);
  }
  return decideLearningRecorded(P, { experimentId: s.experimentId }, data, s.learnings, s.status !== 'running');
}

function retractLearning({ data }: RetractLearning, state: ExperimentState): ExperimentLearningRetracted {
  const s = existing(state, data.experimentId);
  return decideLearningRetracted(P, { experimentId: s.experimentId }, data, s.learnings);
}

function conclude({ data, occurredAt }: ConcludeExperiment, state: ExperimentState): ExperimentConcluded {
  const s = running(state, data.experimentId);
  notBeforeStart(s, occurredAt);
  return {
    type: 'ExperimentConcluded',
    data: { experimentId: s.experimentId, outcome: data.outcome, summary: requireText(P, 'summary', data.summary) },
  };
}

function abandon({ data, occurredAt }: AbandonExperiment, state: ExperimentState): ExperimentAbandoned {
  const s = existing(state, data.experimentId);
  switch (s.status) {
    case 'designed':
      break;
    case 'running':
      notBeforeStart(s, occurredAt);
      break;
    case 'concluded':
    case 'abandoned':
      throw alreadyEnded(s);
    default:
      return assertNever(s);
  }
  return { type: 'ExperimentAbandoned', data: { experimentId: s.experimentId, reason: requireText(P, 'reason', data.reason) } };
}

/** Folds one event. An event that cannot apply in the current state (never written by `decide`) is ignored. */
function evolve(state: ExperimentState, event: ExperimentEvent): ExperimentState {
  switch (event.type) {
    case 'ExperimentDesigned': {
      if (state.status !== 'initial') return state;
      const d = event.data;
      return {
        status: 'designed',
        experimentId: d.experimentId,
        card: {
          title: d.title,
          hypothesis: d.hypothesis,
          test: d.test,
          metric: d.metric,
          successCriteria: d.successCriteria,
          leadId: d.leadId,
          themes: d.themes,
          deadline: d.deadline,
        },
        collaborationId: d.collaborationId,
        networkId: d.networkId,
        steps: {},
        measurementIds: [],
        learnings: {},
      };
    }
    case 'TestCardRevised':
      return state.status === 'initial' ? state : { ...state, card: { ...state.card, ...event.data.changes } };
    case 'ExperimentStarted':
      return state.status === 'designed' ? { ...state, status: 'running', startedAt: event.data.startedAt } : state;
    case 'StepLogged':
      return state.status === 'initial' ? state : { ...state, steps: addEntry(state.steps, event.data.stepId) };
    case 'StepRetracted':
      return state.status === 'initial' ? state : { ...state, steps: retractEntry(state.steps, event.data.stepId) };
    case 'MeasurementRecorded':
      return state.status === 'initial'
        ? state
        : { ...state, measurementIds: [...state.measurementIds, event.data.measurementId] };
    case 'LearningRecorded':
      return state.status === 'initial'
        ? state
        : { ...state, learnings: learningRecorded(state.learnings, event.data.learningId) };
    case 'LearningRetracted':
      return state.status === 'initial'
        ? state
        : { ...state, learnings: learningRetracted(state.learnings, event.data.learningId) };
    case 'ExperimentConcluded':
      return state.status === 'running'
        ? { ...state, status: 'concluded', outcome: event.data.outcome, summary: event.data.summary }
        : state;
    case 'ExperimentAbandoned':
      if (state.status === 'designed') return { ...state, status: 'abandoned', startedAt: null, reason: event.data.reason };
      if (state.status === 'running') return { ...state, status: 'abandoned', reason: event.data.reason };
      return state;
    default:
      return assertNever(event);
  }
}
