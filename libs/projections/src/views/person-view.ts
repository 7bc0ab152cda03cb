import type { PersonalDetails, PersonEvent, RolePersonalDetails } from '#domain';
import type { RecordedEvent } from '#event-store';
import { foldEntity, updateWhere } from './view-fold.js';

/** A role a person held in an organisation. */
export interface RoleView {
  roleId: string;
  organisationId: string;
  title: string | null;
  responsibility: string | null;
  /** Calendar date the role began. */
  from: string;
  /** Calendar date it ended; null while it lasts. */
  to: string | null;
}

/** One person as people read it; personal fields come flattened out of `data.personal`. */
export interface PersonView {
  id: string;
  version: number;
  /** Null once the person has been forgotten. */
  name: string | null;
  background: string | null;
  roles: RoleView[];
  registeredAt: string;
  forgotten: boolean;
  forgottenAt: string | null;
}

export interface PersonViewOptions {
  /**
   * Withhold every personal field even when the cut-off (asOf/knownAt) lies before the person was forgotten:
   * a forgotten person must not reappear through time travel.
   */
  withholdPersonalData?: boolean;
}

/**
 * Personal fields of an event. Read defensively: once a person is forgotten, the stored personal data may be
 * redacted or unreadable, and the history must still fold.
 */
function personal<T>(data: { personal?: Partial<T> | null }): Partial<T> {
  return data.personal ?? {};
}

/** Folds a person stream (possibly cut by asOf/knownAt) into its view; null when nothing is visible. */
export function personView(events: readonly RecordedEvent[], options: PersonViewOptions = {}): PersonView | null {
  const view = foldEntity<PersonEvent, PersonView>(
    events,
    (event, at) =>
      event.type === 'PersonRegistered'
        ? {
            id: event.data.personId,
            version: 0,
            name: personal<PersonalDetails>(event.data).name ?? null,
            background: personal<PersonalDetails>(event.data).background ?? null,
            roles: [],
            registeredAt: at,
            forgotten: false,
            forgottenAt: null,
          }
        : null,
    (view, event, at) => {
      switch (event.type) {
        case 'PersonRegistered':
          break;
        case 'PersonDetailsRevised': {
          const { name, background } = personal<PersonalDetails>(event.data);
          if (name !== undefined) view.name = name;
          if (background !== undefined) view.background = background;
          break;
        }
        case 'RoleAssumed': {
          const { roleId, organisationId, from } = event.data;
          const { title = null, responsibility = null } = personal<RolePersonalDetails>(event.data);
          view.roles.push({ roleId, organisationId, title, responsibility, from, to: null });
          break;
        }
        case 'RoleEnded':
          updateWhere(view.roles, 'roleId', event.data.roleId, { to: event.data.to });
          break;
        case 'PersonForgotten':
          view.forgotten = true;
          view.forgottenAt = at;
          break;
      }
    },
  );
  if (view && (view.forgotten || options.withholdPersonalData)) {
    return { ...view, name: null, background: null, roles: [] };
  }
  return view;
}

/** True when the (whole) stream says the person was forgotten. */
export function isForgotten(events: readonly RecordedEvent[]): boolean {
  return events.some((event) => event.type === 'PersonForgotten');
}
