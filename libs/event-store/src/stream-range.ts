import type { ReadStreamOptions } from './event-store.port.js';

/** Applies direction, fromVersion and maxCount to a stream held in version order. */
export function selectStreamRange<T extends { version: number }>(stream: readonly T[], options: ReadStreamOptions): T[] {
  const backwards = options.direction === 'backwards';
  const from = options.fromVersion;
  let selected = backwards
    ? stream.filter((e) => from === undefined || e.version <= from).reverse()
    : stream.filter((e) => from === undefined || e.version >= from);
  if (options.maxCount !== undefined) selected = selected.slice(0, Math.max(0, options.maxCount));
  return selected;
}
