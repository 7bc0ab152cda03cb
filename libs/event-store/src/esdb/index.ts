export type { ResubscribePolicy } from './catch-up-subscription.js';
export { EsdbTimeout, withTimeout } from './esdb-errors.js';
export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store.js';
export { decodePosition, encodePosition } from './esdb-mapping.js';
