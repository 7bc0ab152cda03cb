import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EventStore } from '#event-store';
import { ProjectionRunner, type ProjectionStatus } from '#projections';
import { Public } from '../auth/access.decorators.js';

export interface Health {
  status: 'ok' | 'degraded';
  store: { kind: string; lastPosition: number | null; reachable: boolean };
  projections: ProjectionStatus[];
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  /** Store kind and last position, and each projection's state and lag. Degraded when anything is parked. */
  @Get()
  @ApiOkResponse({ description: 'Store and projection health' })
  async health(): Promise<Health> {
    let lastPosition: number | null = null;
    try {
      lastPosition = await this.store.headPosition();
    } catch {
      lastPosition = null;
    }
    const projections = await this.runner.status();
    const healthy = lastPosition !== null && projections.every((p) => p.state === 'running');
    return {
      status: healthy ? 'ok' : 'degraded',
      store: { kind: this.store.kind, lastPosition, reachable: lastPosition !== null },
      projections,
    };
  }
}
