export * from './envelope.js';
export * from './errors.js';
export * from './event-store.port.js';
export * from './expected-version.js';
export * from './handle-command.js';
export * from './in-memory/in-memory-event-store.js';
export * from './subscription.js';
export * from './sqlite/sqlite-event-store.js';
