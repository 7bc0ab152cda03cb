/** How many generated requests the hostile-input suite sends, and from which seed. */
export interface FuzzSettings {
  runs: number;
  seed: number;
}

const DEFAULT_RUNS = 10_000;
const DEFAULT_SEED = 0x5eed;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return parsed;
}

/** `FUZZ_RUNS` (default 10,000) and `FUZZ_SEED` (default fixed, so every run is reproducible). */
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const runs = integer('FUZZ_RUNS', env.FUZZ_RUNS, DEFAULT_RUNS);
  if (runs < 1) throw new Error('FUZZ_RUNS must be at least 1');
  return { runs, seed: integer('FUZZ_SEED', env.FUZZ_SEED, DEFAULT_SEED) | 0 };
}
