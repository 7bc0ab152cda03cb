import { DomainError } from './domain-error.js';

/** Something recorded inside an aggregate under a caller-made id that may later be retracted. */
export interface RetractableEntry {
  retracted: boolean;
}

/** Entries by id (steps, learnings, insights). Plain JSON, never mutated. */
export type Entries = Readonly<Record<string, RetractableEntry>>;

/** Refuses a caller-made id that is already used: `<prefix>.<kind>-already-exists`. */
export function requireNewId(prefix: string, kind: string, id: string, taken: Readonly<Record<string, unknown>>): void {
  if (Object.hasOwn(taken, id)) {
    throw new DomainError(`${prefix}.${kind}-already-exists`, `${kind} ${id} already exists`);
  }
}

/** Returns the entry or throws `<prefix>.<kind>-not-found`. */
export function requireEntry<T>(prefix: string, kind: string, id: string, entries: Readonly<Record<string, T>>): T {
  if (!Object.hasOwn(entries, id)) throw new DomainError(`${prefix}.${kind}-not-found`, `${kind} ${id} does not exist`);
  return entries[id];
}

/** The entry must exist and not be retracted yet (`<prefix>.<kind>-already-retracted`). */
export function requireRetractable(prefix: string, kind: string, id: string, entries: Entries): void {
  if (requireEntry(prefix, kind, id, entries).retracted) {
    throw new DomainError(`${prefix}.${kind}-already-retracted`, `${kind} ${id} is already retracted`);
  }
}

/** Adds an open entry. */
export function addEntry(entries: Entries, id: string): Entries {
  return { ...entries, [id]: { retracted: false } };
}

/** Marks an entry retracted; unknown ids leave the entries as they are. */
export function retractEntry(entries: Entries, id: string): Entries {
  return Object.hasOwn(entries, id) ? { ...entries, [id]: { retracted: true } } : entries;
}
