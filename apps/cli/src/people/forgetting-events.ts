import { PERSON_FORGETTING_EVENTS } from '#domain';
import type { ForgettingRules, ReapplyForgettingResult } from '#event-store';
import { formatCount } from '../storage/storage-output.js';

/** The events that record a forgetting, as the domain declares them (users cannot be forgotten yet). */
export const FORGETTING_EVENTS: ForgettingRules = PERSON_FORGETTING_EVENTS;

/** One line saying what {@link reapplyForgetting} did to the key store `keysFile`. */
export function forgettingSummary(result: ReapplyForgettingResult, keysFile: string): string {
  const head = `Re-applied ${formatCount(result.forgettings)} forgettings (${formatCount(result.subjects)} subjects) recorded in ` +
    `${formatCount(result.events)} events (up to position ${formatCount(result.headPosition)}) to ${keysFile}: `;
  return (
    head +
    `${formatCount(result.keysDestroyed)} keys destroyed that were still held, ${formatCount(result.markedForgotten)} subjects without a key ` +
    `marked forgotten, ${formatCount(result.alreadyForgotten)} already forgotten`
  );
}
