import { Injectable } from '@nestjs/common';
import { Query, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError, streamName, type StreamCategory } from '#domain';
import { EventStore, type RecordedEvent } from '#event-store';
import { isVisible, type TimeTravel } from '../reads/time-travel.js';

/** One entity as it was (asOf) and as it was known (knownAt). Subclass it per entity so the bus can route it. */
export abstract class GetEntity<V> extends Query<V> {
  constructor(
    readonly id: string,
    readonly view: TimeTravel,
  ) {
    super();
  }
}

/** Folds the visible part of a stream into a view; `all` is the whole stream, for what must never travel back. */
export type ViewFold<V> = (visible: readonly RecordedEvent[], all: readonly RecordedEvent[]) => V | null;

/** Reads one entity's stream, keeps what the requested view may see and folds it; nothing visible → 404. */
@Injectable()
export abstract class EntityViewHandler<V> implements IQueryHandler<GetEntity<V>, V> {
  protected abstract readonly category: StreamCategory;
  protected abstract readonly fold: ViewFold<V>;

  constructor(private readonly store: EventStore) {}

  async execute({ id, view }: GetEntity<V>): Promise<V> {
    const events = await this.store.readStream(streamName(this.category, id));
    const entity = this.fold(
      events.filter((e) => isVisible(e, view)),
      events,
    );
    if (!entity) throw new NotFoundError(this.category, id);
    return entity;
  }
}
