export * from './event-store.contract.js';
export * from './test-event.js';
