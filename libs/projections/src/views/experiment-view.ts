import type { ExperimentEvent, ExperimentOutcome, LearningDecision, Reliability } from '#domain';
import type { RecordedEvent } from '#event-store';

/** A step as shown to people, with its correction if any. */
export interface StepView {
  stepId: string;
  description: string;
  evidenceUrl: string | null;
  occurredAt: string;
  retracted: boolean;
  retractionReason: string | null;
}

export interface MeasurementView {
  measurementId: string;
  value: number;
  unit: string | null;
  note: string | null;
  occurredAt: string;
}

export interface LearningView {
  learningId: string;
  observation: string;
  learning: string;
  decision: LearningDecision;
  reliability: Reliability;
  themes: string[];
  retrospective: boolean;
  occurredAt: string;
  retracted: boolean;
  retractionReason: string | null;
}

/** Everything known about one experiment, as read by people (not the decider's minimal state). */
export interface ExperimentView {
  id: string;
  version: number;
  status: 'designed' | 'running' | 'concluded' | 'abandoned';
  title: string;
  hypothesis: string;
  test: string;
  metric: string;
  successCriteria: string;
  leadId: string | null;
  themes: string[];
  deadline: string | null;
  collaborationId: string | null;
  networkId: string | null;
  designedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  outcome: ExperimentOutcome | null;
  summary: string | null;
  abandonReason: string | null;
  revisions: number;
  steps: StepView[];
  measurements: MeasurementView[];
  learnings: LearningView[];
}

/** Folds an experiment stream (possibly cut by asOf/knownAt) into its view; null when nothing is visible. */
export function experimentView(events: readonly RecordedEvent[]): ExperimentView | null {
  let view: ExperimentView | null = null;
  for (const recorded of events) {
    const event = recorded as unknown as ExperimentEvent & { metadata: RecordedEvent['metadata'] };
    const at = recorded.metadata.occurredAt;
    if (event.type === 'ExperimentDesigned') {
      const d = event.data;
      view = {
        id: d.experimentId,
        version: 0,
        status: 'designed',
        title: d.title,
        hypothesis: d.hypothesis,
        test: d.test,
        metric: d.metric,
        successCriteria: d.successCriteria,
        leadId: d.leadId,
        themes: [...d.themes],
        deadline: d.deadline,
        collaborationId: d.collaborationId,
        networkId: d.networkId,
        designedAt: at,
        startedAt: null,
        endedAt: null,
        outcome: null,
        summary: null,
        abandonReason: null,
        revisions: 0,
        steps: [],
        measurements: [],
        learnings: [],
      };
    }
    if (!view) continue;
    view.version++;
    switch (event.type) {
      case 'ExperimentDesigned':
        break;
      case 'TestCardRevised':
        Object.assign(view, event.data.changes);
        view.revisions++;
        break;
      case 'ExperimentStarted':
        view.status = 'running';
        view.startedAt = at;
        break;
      case 'StepLogged':
        view.steps.push({
          stepId: event.data.stepId,
          description: event.data.description,
          evidenceUrl: event.data.evidenceUrl,
          occurredAt: at,
          retracted: false,
          retractionReason: null,
        });
        break;
      case 'StepRetracted':
        for (const step of view.steps.filter((s) => s.stepId === event.data.stepId)) {
          step.retracted = true;
          step.retractionReason = event.data.reason;
        }
        break;
      case 'MeasurementRecorded':
        view.measurements.push({
          measurementId: event.data.measurementId,
          value: event.data.value,
          unit: event.data.unit,
          note: event.data.note,
          occurredAt: at,
        });
        break;
      case 'LearningRecorded': {
        const { experimentId: _owner, ...card } = event.data;
        view.learnings.push({ ...card, themes: [...card.themes], occurredAt: at, retracted: false, retractionReason: null });
        break;
      }
      case 'LearningRetracted':
        for (const learning of view.learnings.filter((l) => l.learningId === event.data.learningId)) {
          learning.retracted = true;
          learning.retractionReason = event.data.reason;
        }
        break;
      case 'ExperimentConcluded':
        view.status = 'concluded';
        view.endedAt = at;
        view.outcome = event.data.outcome;
        view.summary = event.data.summary;
        break;
      case 'ExperimentAbandoned':
        view.status = 'abandoned';
        view.endedAt = at;
        view.abandonReason = event.data.reason;
        break;
    }
  }
  return view;
}
