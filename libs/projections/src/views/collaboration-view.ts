import type { ActivityStatus, CollaborationEvent, InitiativeKind } from '#domain';
import type { RecordedEvent } from '#event-store';
import { applyWorkRecord, emptyWorkRecords, foldEntity, updateWhere, type WorkRecords } from './view-fold.js';

export type { MilestoneView, WorkRecords } from './view-fold.js';

/** An organisation taking part; the partner organisation is listed first, from the agreement on. */
export interface PartyView {
  organisationId: string;
  role: string | null;
  joinedAt: string;
}

export interface ActivityView {
  activityId: string;
  title: string;
  description: string | null;
  /** A period such as `2019`, `2019-Q3`, `2019-09` or a date. */
  plannedFor: string | null;
  status: ActivityStatus;
  plannedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  outcome: string | null;
}

/** A link to an initiative such as an EU project; `confidence` becomes `dropped` when the link is dropped. */
export interface InitiativeLinkView {
  initiativeId: string;
  name: string;
  kind: InitiativeKind;
  programme: string | null;
  confidence: 'tentative' | 'confirmed' | 'dropped';
  linkedAt: string;
  confirmedAt: string | null;
  droppedAt: string | null;
  dropReason: string | null;
}

/** One collaboration as people read it. */
export interface CollaborationView extends WorkRecords {
  id: string;
  version: number;
  status: 'active' | 'concluded';
  title: string;
  partnerOrganisationId: string;
  themes: string[];
  /** Calendar date of the agreement, if known. */
  agreedOn: string | null;
  description: string | null;
  agreedAt: string;
  concludedAt: string | null;
  summary: string | null;
  parties: PartyView[];
  activities: ActivityView[];
  initiatives: InitiativeLinkView[];
}

/** Folds a collaboration stream (possibly cut by asOf/knownAt) into its view; null when nothing is visible. */
export function collaborationView(events: readonly RecordedEvent[]): CollaborationView | null {
  return foldEntity<CollaborationEvent, CollaborationView>(events, open, apply);
}

function open(event: CollaborationEvent, at: string): CollaborationView | null {
  if (event.type !== 'CollaborationAgreed') return null;
  const d = event.data;
  return {
    id: d.collaborationId,
    version: 0,
    status: 'active',
    title: d.title,
    partnerOrganisationId: d.partnerOrganisationId,
    themes: [...d.themes],
    agreedOn: d.agreedOn,
    description: d.description,
    agreedAt: at,
    concludedAt: null,
    summary: null,
    parties: [{ organisationId: d.partnerOrganisationId, role: null, joinedAt: at }],
    activities: [],
    initiatives: [],
    ...emptyWorkRecords(),
  };
}

function apply(view: CollaborationView, event: CollaborationEvent, at: string): void {
  switch (event.type) {
    case 'PartyJoined':
      view.parties.push({ organisationId: event.data.organisationId, role: event.data.role, joinedAt: at });
      break;
    case 'ActivityPlanned': {
      const { activityId, title, description, plannedFor } = event.data;
      view.activities.push({ activityId, title, description, plannedFor, status: 'planned', plannedAt: at, startedAt: null, completedAt: null, outcome: null });
      break;
    }
    case 'ActivityStarted':
      updateWhere(view.activities, 'activityId', event.data.activityId, { status: 'started', startedAt: at });
      break;
    case 'ActivityCompleted':
      updateWhere(view.activities, 'activityId', event.data.activityId, { status: 'completed', completedAt: at, outcome: event.data.outcome });
      break;
    case 'InitiativeLinked': {
      const { initiativeId, name, kind, programme, confidence } = event.data;
      view.initiatives.push({ initiativeId, name, kind, programme, confidence, linkedAt: at, confirmedAt: null, droppedAt: null, dropReason: null });
      break;
    }
    case 'InitiativeLinkConfirmed':
      updateWhere(view.initiatives, 'initiativeId', event.data.initiativeId, { confidence: 'confirmed', confirmedAt: at });
      break;
    case 'InitiativeLinkDropped':
      updateWhere(view.initiatives, 'initiativeId', event.data.initiativeId, { confidence: 'dropped', droppedAt: at, dropReason: event.data.reason });
      break;
    case 'CollaborationConcluded':
      Object.assign(view, { status: 'concluded', concludedAt: at, summary: event.data.summary } satisfies Partial<CollaborationView>);
      break;
    default:
      applyWorkRecord(view, event, at);
  }
}
