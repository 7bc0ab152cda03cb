import { UsageError } from './tracker-context.js';

/** A whole, non-negative global position given on the command line. */
export function positionOption(value: string, flag: string, minimum = 0): number {
  const position = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(position) || position < minimum) {
    throw new Error(`${flag} must be a whole number of at least ${minimum} (a global position), not "${value}"`);
  }
  return position;
}

/** A count of at least 1 given on the command line. */
export function positiveInteger(value: string, option: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${option} must be a positive whole number`);
  return Number(value);
}
