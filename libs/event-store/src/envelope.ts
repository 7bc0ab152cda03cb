/** Who caused an event. `system` is used by the demo workspace, the CLI and background jobs. */
export type ActorRole = 'staff' | 'lead' | 'partner' | 'system';

/** The principal recorded on every event; never taken from a request body. */
export interface Actor {
  id: string;
  role: ActorRole;
}

/** Metadata carried by every event, fixed for all adapters. */
export interface EventMetadata {
  /** Groups every event caused by one user action (defaults to the first command's id). */
  correlationId: string;
  /** The command or event that directly caused this one; null for a root command without id. */
  causationId: string | null;
  actor: Actor;
  /** Business (valid) time, ISO 8601 UTC; may lie in the past. */
  occurredAt: string;
  /** Version of the event's data schema, for upcasting on read. */
  schemaVersion: number;
  /** Where the event came from: `api`, `web`, `cli`, `demo`, `migration`... */
  source: string;
}

/** Per-stream hash chain. Filled by the store at write time once tamper evidence is enabled. */
export interface IntegrityFields {
  previousHash: string | null;
  hash: string | null;
}

/** An event as handed to the store. */
export interface EventToAppend<Type extends string = string, Data = unknown> {
  /** UUID; appending an id that is already stored is an idempotent no-op. */
  eventId: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

/** An event as read back from the store. */
export interface RecordedEvent<Type extends string = string, Data = unknown> extends EventToAppend<Type, Data> {
  streamId: string;
  /** Events in the stream up to and including this one (the first event has version 1). */
  version: number;
  /** Position in the global log: strictly increasing in `readAll` order, never reused. */
  position: number;
  /** Store (transaction) time, ISO 8601 UTC. */
  recordedAt: string;
  integrity: IntegrityFields;
}
