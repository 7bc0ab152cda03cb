import { resolve } from 'node:path';
import type { AppConfig } from '../../../api/src/config/app-config.js';
import { UsageError } from '../tracker-context.js';

const number = new Intl.NumberFormat('en-US');

/** `12,345`. */
export function formatCount(n: number): string {
  return number.format(n);
}

/** `812 B`, `1.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The embedded store's file; a UsageError when the API is configured for EventStoreDB. */
export function embeddedStoreFile(config: AppConfig, refusal: string): string {
  if (config.eventStore.kind !== 'sqlite') throw new UsageError(refusal);
  return config.eventStore.filename;
}

/** A file argument as an absolute path. */
export function fileArgument(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${name} is required`);
  return resolve(value);
}
