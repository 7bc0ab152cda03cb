import { Upcasters } from './upcasters.js';

/**
 * The production registry: one step per schema change of a stored event type, e.g.
 * `{ type: 'StepLogged', fromVersion: 1, upcast: (data) => ({ ...(data as StepLoggedV1), evidence: [] }) }`
 * once deciders write StepLogged v2. Empty while every event type is at v1. The historical fixtures in
 * `test/fixtures/events/` (checked by `test/int/upcasters.int-spec.ts`) fail until a changed shape has its step.
 */
export const EVENT_UPCASTERS = new Upcasters([]);
