import type { UpcasterStep } from './upcasters.js';

/** A test-only schema history: StepLogged v1 `evidenceUrl` → v2 `evidenceUrls[]` → v3 `description` renamed `text`. */
export const STEP_LOGGED_HISTORY: readonly UpcasterStep[] = [
  {
    type: 'StepLogged',
    fromVersion: 1,
    upcast: (data) => {
      const { evidenceUrl, ...rest } = data as { evidenceUrl: string | null };
      return { ...rest, evidenceUrls: evidenceUrl === null ? [] : [evidenceUrl] };
    },
  },
  {
    type: 'StepLogged',
    fromVersion: 2,
    upcast: (data) => {
      const { description, ...rest } = data as { description: string };
      return { ...rest, text: description };
    },
  },
];
