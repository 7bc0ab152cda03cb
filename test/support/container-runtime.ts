import { describe } from '@jest/globals';

/** Whether testcontainers can start containers on this machine. */
export interface ContainerRuntimeStatus {
  available: boolean;
  /** Why not, from testcontainers (e.g. "Could not find a working container runtime strategy"). */
  reason: string;
}

/** Asks testcontainers for a container runtime (Docker, Podman…); never throws. */
export async function detectContainerRuntime(): Promise<ContainerRuntimeStatus> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { available: true, reason: '' };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `describe` when a container runtime is available. Otherwise prints one line saying which suite is skipped
 * and why, and returns `describe.skip`, so its tests count as skipped in Jest's summary instead of passing.
 * Jest registers suites synchronously: detect the runtime with a top-level `await` before calling this.
 */
export function describeWithContainers(suite: string, runtime: ContainerRuntimeStatus): typeof describe | typeof describe.skip {
  if (runtime.available) return describe;
  process.stderr.write(`SKIPPED: ${suite} — no container runtime (${runtime.reason})\n`);
  return describe.skip;
}
