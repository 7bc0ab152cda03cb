import { Injectable } from '@nestjs/common';
import { DomainError, NotFoundError, streamName, type StreamCategory } from '#domain';
import { EventStore } from '#event-store';

/** Entities a command names, by category, e.g. `{ organisation: partnerOrganisationId }`; absent ids are skipped. */
export type References = Partial<Record<StreamCategory, string | null | undefined>>;

/**
 * Checks, before a command is sent, that the entities it names exist. A command on an unknown entity is
 * refused as not found (404); naming an unknown entity is refused with the rule `<owner>.unknown-<category>`
 * (422), e.g. `collaboration.unknown-organisation`.
 */
@Injectable()
export class EntityReferences {
  constructor(private readonly store: EventStore) {}

  async exists(category: StreamCategory, id: string): Promise<boolean> {
    const first = await this.store.readStream(streamName(category, id), { maxCount: 1 });
    return first.length > 0;
  }

  /** `ownerId` is the entity the command addresses (null when it creates one). */
  async require(owner: StreamCategory, ownerId: string | null, references: References): Promise<void> {
    const named = Object.entries(references).filter((entry): entry is [StreamCategory, string] => typeof entry[1] === 'string');
    if (named.length === 0) return;
    if (ownerId !== null && !(await this.exists(owner, ownerId))) throw new NotFoundError(owner, ownerId);
    for (const [category, id] of named) {
      if (!(await this.exists(category, id))) {
        throw new DomainError(`${owner}.unknown-${category}`, `${category} ${id} does not exist`);
      }
    }
  }
}
