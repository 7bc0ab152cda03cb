import { StreamCategory, type NetworkEvent, type NetworkKind } from '#domain';
import type { RecordedEvent } from '#event-store';
import type { Lang } from '../rendering/event-summaries.js';
import { networkView } from '../views/network-view.js';
import { longDate, osloDate } from './format.js';
import { auditHref } from './report-document.js';
import { eventIdsOfType } from './report-common.js';
import type { BuiltFrom, EventRef, ReportSnapshot, VersionedName } from './report-snapshot.js';
import { lineChartSvg, type ChartSeries } from './svg-chart.js';

/** The growth report's model name and version. */
export const NETWORK_GROWTH_REPORT: VersionedName = { name: 'network-growth', version: 1 };

/** Counts at one moment, with the event that gave them. */
export interface GrowthPoint {
  /** Oslo calendar date of the event's business time. */
  date: string;
  occurredAt: string;
  position: number;
  eventIds: string[];
}

/** A headcount the network reported; a count the report left out is null. */
export interface ReportedCounts extends GrowthPoint {
  partners: number | null;
  members: number | null;
}

/** What changed among the partners and members listed one by one. */
export type ListedChange = 'partner-joined' | 'partner-left' | 'member-joined' | 'member-left';

/** Partners and members listed one by one, counted after a join or a leave. */
export interface ListedCounts extends GrowthPoint {
  change: ListedChange;
  partners: number;
  members: number;
}

/** A network's partners and members over time, as plain data (the `json` format; `svg` draws it). */
export interface NetworkGrowthModel {
  report: 'network-growth';
  lang: Lang;
  builtFrom: BuiltFrom;
  network: { id: string; name: string; kind: NetworkKind; eventIds: string[] };
  /** Reported headcounts in business-time order (then position). */
  reported: ReportedCounts[];
  /** Counts after each join or leave, in business-time order (then position). */
  listed: ListedCounts[];
  /** The latest reported counts (a count the latest report left out carried over) and the listed counts now. */
  current: { reported: { partners: number | null; members: number | null }; listed: { partners: number; members: number } };
  events: EventRef[];
}

const CHANGES: Partial<Record<NetworkEvent['type'], ListedChange>> = {
  PartnerJoined: 'partner-joined',
  PartnerLeft: 'partner-left',
  MemberJoined: 'member-joined',
  MemberLeft: 'member-left',
};

function byBusinessTime(a: RecordedEvent, b: RecordedEvent): number {
  const [x, y] = [a.metadata.occurredAt, b.metadata.occurredAt];
  return x !== y ? (x < y ? -1 : 1) : a.position - b.position;
}

/** Builds the growth of one network from a snapshot; null when it does not exist at that position. */
export function networkGrowth(snapshot: ReportSnapshot, id: string, lang: Lang, appVersion: string): NetworkGrowthModel | null {
  const events = snapshot.stream(StreamCategory.network, id);
  const view = networkView(events);
  if (!view) return null;
  const point = (event: RecordedEvent): GrowthPoint => ({
    date: osloDate(event.metadata.occurredAt),
    occurredAt: event.metadata.occurredAt,
    position: event.position,
    eventIds: [event.eventId],
  });
  const reported: ReportedCounts[] = [];
  const listed: ListedCounts[] = [];
  const partners = new Set<string>();
  const members = new Set<string>();
  for (const recorded of [...events].sort(byBusinessTime)) {
    const event = recorded as unknown as NetworkEvent;
    if (event.type === 'HeadcountReported') {
      reported.push({ ...point(recorded), partners: event.data.partners ?? null, members: event.data.members ?? null });
      continue;
    }
    const change = CHANGES[event.type];
    if (change === undefined) continue;
    const data = event.data as { organisationId?: string; personId?: string };
    if (change === 'partner-joined' && data.organisationId) partners.add(data.organisationId);
    if (change === 'partner-left' && data.organisationId) partners.delete(data.organisationId);
    if (change === 'member-joined' && data.personId) members.add(data.personId);
    if (change === 'member-left' && data.personId) members.delete(data.personId);
    listed.push({ ...point(recorded), change, partners: partners.size, members: members.size });
  }
  const networkEventIds = eventIdsOfType(events, 'NetworkFounded');
  return {
    report: 'network-growth',
    lang,
    builtFrom: snapshot.builtFrom(NETWORK_GROWTH_REPORT, appVersion),
    network: { id: view.id, name: view.name, kind: view.kind, eventIds: networkEventIds },
    reported,
    listed,
    current: {
      reported: { partners: view.headcount?.partners ?? null, members: view.headcount?.members ?? null },
      listed: { partners: partners.size, members: members.size },
    },
    events: snapshot.refs([...networkEventIds, ...reported.flatMap((p) => p.eventIds), ...listed.flatMap((p) => p.eventIds)]),
  };
}

const TEXT = {
  en: {
    title: (name: string) => `${name}: partners and members over time`,
    series: ['Partners (reported)', 'Members (reported)', 'Partners (listed one by one)', 'Members (listed one by one)'],
    point: (value: number, what: string, date: string, eventId: string) => `${value} ${what} on ${date} (event ${eventId})`,
    what: ['partners reported', 'members reported', 'partners listed', 'members listed'],
    empty: 'No headcounts, partners or members recorded yet',
    description: (name: string, reported: number, listed: number) =>
      `Partners and members of ${name}: ${reported} reported headcounts and ${listed} joins or leaves.`,
    footer: (b: BuiltFrom) => `Position ${b.position} · ${b.report.name} v${b.report.version} · app ${b.appVersion}`,
  },
  nb: {
    title: (name: string) => `${name}: partnere og medlemmer over tid`,
    series: ['Partnere (rapportert)', 'Medlemmer (rapportert)', 'Partnere (registrert enkeltvis)', 'Medlemmer (registrert enkeltvis)'],
    point: (value: number, what: string, date: string, eventId: string) => `${value} ${what} ${date} (hendelse ${eventId})`,
    what: ['partnere rapportert', 'medlemmer rapportert', 'partnere registrert', 'medlemmer registrert'],
    empty: 'Ingen antall, partnere eller medlemmer registrert ennå',
    description: (name: string, reported: number, listed: number) =>
      `Partnere og medlemmer i ${name}: ${reported} rapporterte antall og ${listed} inn- eller utmeldinger.`,
    footer: (b: BuiltFrom) => `Posisjon ${b.position} · ${b.report.name} v${b.report.version} · app ${b.appVersion}`,
  },
} as const;

const COLORS = ['#1f5fa8', '#c2531b', '#1f5fa8', '#c2531b'];

/** Draws the growth as an SVG line chart: reported counts solid, counts of listed partners and members dashed. */
export function networkGrowthSvg(model: NetworkGrowthModel): string {
  const t = TEXT[model.lang];
  const refOf = (eventId: string) => model.events.find((ref) => ref.eventId === eventId);
  const pointsOf = <P extends GrowthPoint>(items: readonly P[], value: (p: P) => number | null, what: string) =>
    items.flatMap((p) => {
      const v = value(p);
      if (v === null) return [];
      const ref = refOf(p.eventIds[0]);
      return [{ date: p.date, value: v, title: t.point(v, what, longDate(p.date, model.lang), p.eventIds[0]), href: ref ? auditHref(ref) : undefined }];
    });
  const series: ChartSeries[] = [
    { label: t.series[0], color: COLORS[0], labelValues: true, points: pointsOf(model.reported, (p) => p.partners, t.what[0]) },
    { label: t.series[1], color: COLORS[1], labelValues: true, points: pointsOf(model.reported, (p) => p.members, t.what[1]) },
    { label: t.series[2], color: COLORS[2], dashed: true, step: true, points: pointsOf(model.listed, (p) => p.partners, t.what[2]) },
    { label: t.series[3], color: COLORS[3], dashed: true, step: true, points: pointsOf(model.listed, (p) => p.members, t.what[3]) },
  ];
  return lineChartSvg({
    lang: model.lang,
    title: t.title(model.network.name),
    description: t.description(model.network.name, model.reported.length, model.listed.length),
    footer: t.footer(model.builtFrom),
    emptyText: t.empty,
    series,
  });
}
