/** The events every store and baseline writes: experiment events as the API writes them, UUIDv7 ids. */
import { v7 as uuidv7 } from 'uuid';

const ACTOR = { id: 'anonymous', role: 'staff' };
const BASE_TIME = Date.parse('2019-01-10T09:00:00.000Z');

function metadata(occurredAt, correlationId = uuidv7()) {
  return { correlationId, causationId: correlationId, actor: ACTOR, occurredAt, schemaVersion: 1, source: 'bench' };
}

export function stepLogged(experimentId, n) {
  return {
    eventId: uuidv7(),
    type: 'StepLogged',
    data: {
      experimentId,
      stepId: uuidv7(),
      description: `Interviewed ${n % 40} residents on the street about the pop-up and noted their first reactions`,
      evidenceUrl: null,
    },
    metadata: metadata(new Date(BASE_TIME + n * 60_000).toISOString()),
  };
}

function measurement(experimentId, n) {
  return {
    eventId: uuidv7(),
    type: 'MeasurementRecorded',
    data: { experimentId, measurementId: uuidv7(), value: n % 97, unit: 'households', note: null },
    metadata: metadata(new Date(BASE_TIME + n * 60_000).toISOString()),
  };
}

/** An experiment's stream: designed, started, then steps and measurements (`length` events in all). */
export function experimentHistory(experimentId, length) {
  const at = (n) => new Date(BASE_TIME + n * 60_000).toISOString();
  const events = [
    {
      eventId: uuidv7(),
      type: 'ExperimentDesigned',
      data: {
        experimentId,
        title: 'Green living made easy',
        hypothesis: 'We believe that residents will take initiative if the first step is small',
        test: 'To verify that, we will run a street-level pop-up for two weeks',
        metric: 'Households that sign up',
        successCriteria: 'At least 30 households sign up',
        leadId: null,
        themes: ['sustainable urban development'],
        deadline: null,
        collaborationId: null,
        networkId: null,
      },
      metadata: metadata(at(0)),
    },
    { eventId: uuidv7(), type: 'ExperimentStarted', data: { experimentId, startedAt: at(1) }, metadata: metadata(at(1)) },
  ];
  for (let n = 2; n < length; n++) events.push(n % 4 === 3 ? measurement(experimentId, n) : stepLogged(experimentId, n));
  return events.slice(0, length);
}

export const experimentStream = (experimentId) => `experiment-${experimentId}`;
export const newId = () => uuidv7();

/** Emmett's event shape for the same content (Emmett adds its own message id). */
export const toEmmett = (event) => ({ type: event.type, data: event.data, metadata: { ...event.metadata, eventId: event.eventId } });
