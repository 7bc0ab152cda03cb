export * from './shared/decider.js';
export * from './shared/domain-error.js';
export * from './shared/stream-name.js';
export * from './shared/values.js';
export * from './experiment/experiment.events.js';
