import type { OrganisationEvent, OrganisationKind } from '#domain';
import type { RecordedEvent } from '#event-store';
import { foldEntity } from './view-fold.js';

/** A name an organisation went by, and when it stopped doing so. */
export interface PreviousNameView {
  name: string;
  until: string;
}

/** One organisation as people read it. */
export interface OrganisationView {
  id: string;
  version: number;
  name: string;
  kind: OrganisationKind;
  registeredAt: string;
  /** Earlier names, oldest first. */
  previousNames: PreviousNameView[];
}

/** Folds an organisation stream (possibly cut by asOf/knownAt) into its view; null when nothing is visible. */
export function organisationView(events: readonly RecordedEvent[]): OrganisationView | null {
  return foldEntity<OrganisationEvent, OrganisationView>(
    events,
    (event, at) =>
      event.type === 'OrganisationRegistered'
        ? { id: event.data.organisationId, version: 0, name: event.data.name, kind: event.data.kind, registeredAt: at, previousNames: [] }
        : null,
    (view, event, at) => {
      if (event.type !== 'OrganisationRenamed') return;
      view.previousNames.push({ name: event.data.previousName, until: at });
      view.name = event.data.name;
    },
  );
}
