import type { MethodAdoptionStage, NetworkEvent, NetworkKind } from '#domain';
import type { RecordedEvent } from '#event-store';
import { applyWorkRecord, emptyWorkRecords, foldEntity, updateWhere, type WorkRecords } from './view-fold.js';

/** A lead organisation's term; the current lead has `until: null`. */
export interface LeadershipTermView {
  organisationId: string;
  /** Calendar date the organisation took over, if known. */
  since: string | null;
  until: string | null;
}

/** One stint of an organisation as partner; current partners have `leftAt: null`. */
export interface PartnerView {
  organisationId: string;
  joinedAt: string;
  leftAt: string | null;
}

/** One stint of a person as member; current members have `leftAt: null`. */
export interface MemberView {
  personId: string;
  joinedAt: string;
  leftAt: string | null;
}

/** Counts as the network reported them, at business time `occurredAt`. */
export interface HeadcountView {
  partners: number | null;
  members: number | null;
  occurredAt: string;
}

export interface MethodAdoptionView {
  city: string;
  stage: MethodAdoptionStage;
  since: string;
  history: Array<{ stage: MethodAdoptionStage; occurredAt: string }>;
}

/** One network or community as people read it. */
export interface NetworkView extends WorkRecords {
  id: string;
  version: number;
  name: string;
  kind: NetworkKind;
  area: string | null;
  purpose: string | null;
  foundedAt: string;
  lead: { organisationId: string; since: string | null } | null;
  leadership: LeadershipTermView[];
  partners: PartnerView[];
  members: MemberView[];
  /**
   * The latest report by business time; a count the latest report left out is carried over from the report
   * before it. Null before the first report.
   */
  headcount: HeadcountView | null;
  /** Every report as sent, in business-time order. */
  headcounts: HeadcountView[];
  methodAdoptions: MethodAdoptionView[];
}

/** Folds a network stream (possibly cut by asOf/knownAt) into its view; null when nothing is visible. */
export function networkView(events: readonly RecordedEvent[]): NetworkView | null {
  const view = foldEntity<NetworkEvent, NetworkView>(events, open, apply);
  if (!view) return null;
  const headcounts = [...view.headcounts].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  const headcount = headcounts.reduce<HeadcountView | null>(
    (latest, report) => ({
      partners: report.partners ?? latest?.partners ?? null,
      members: report.members ?? latest?.members ?? null,
      occurredAt: report.occurredAt,
    }),
    null,
  );
  const last = view.leadership.at(-1);
  return { ...view, headcounts, headcount, lead: last ? { organisationId: last.organisationId, since: last.since } : null };
}

function open(event: NetworkEvent, at: string): NetworkView | null {
  if (event.type !== 'NetworkFounded') return null;
  const d = event.data;
  return {
    id: d.networkId,
    version: 0,
    name: d.name,
    kind: d.kind,
    area: d.area,
    purpose: d.purpose,
    foundedAt: at,
    lead: null,
    leadership: d.ledByOrganisationId ? [{ organisationId: d.ledByOrganisationId, since: d.ledSince, until: null }] : [],
    partners: [],
    members: [],
    headcount: null,
    headcounts: [],
    methodAdoptions: [],
    ...emptyWorkRecords(),
  };
}

function apply(view: NetworkView, event: NetworkEvent, at: string): void {
  switch (event.type) {
    case 'LeadershipChanged': {
      const { organisationId, since } = event.data;
      updateWhere(view.leadership, 'until', null, { until: since });
      view.leadership.push({ organisationId, since, until: null });
      break;
    }
    case 'PartnerJoined':
      view.partners.push({ organisationId: event.data.organisationId, joinedAt: at, leftAt: null });
      break;
    case 'PartnerLeft':
      closeStint(view.partners, 'organisationId', event.data.organisationId, at);
      break;
    case 'MemberJoined':
      view.members.push({ personId: event.data.personId, joinedAt: at, leftAt: null });
      break;
    case 'MemberLeft':
      closeStint(view.members, 'personId', event.data.personId, at);
      break;
    case 'HeadcountReported':
      view.headcounts.push({ partners: event.data.partners, members: event.data.members, occurredAt: at });
      break;
    case 'MethodAdoptionUpdated': {
      const { city, stage } = event.data;
      const adoption = view.methodAdoptions.find((a) => a.city.toLowerCase() === city.toLowerCase());
      if (!adoption) {
        view.methodAdoptions.push({ city, stage, since: at, history: [{ stage, occurredAt: at }] });
        break;
      }
      adoption.stage = stage;
      adoption.since = at;
      adoption.history.push({ stage, occurredAt: at });
      break;
    }
    default:
      applyWorkRecord(view, event, at);
  }
}

/** Ends the open stint of `id`, if there is one. */
function closeStint<T extends { leftAt: string | null }, K extends keyof T>(stints: readonly T[], key: K, id: T[K], at: string): void {
  const stint = stints.find((s) => s[key] === id && s.leftAt === null);
  if (stint) stint.leftAt = at;
}
