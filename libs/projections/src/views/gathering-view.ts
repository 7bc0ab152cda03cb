import type { GatheringEvent, GatheringHeld, InsightRecorded } from '#domain';
import type { RecordedEvent } from '#event-store';
import { foldEntity, updateWhere } from './view-fold.js';

/** An insight gathered at a gathering, with its retraction if any. */
export interface InsightView extends Omit<InsightRecorded['data'], 'gatheringId'> {
  occurredAt: string;
  retracted: boolean;
  retractionReason: string | null;
}

/** One workshop, meeting or seminar as people read it: what was recorded of it, and the insights gathered. */
export interface GatheringView extends Omit<GatheringHeld['data'], 'gatheringId'> {
  id: string;
  version: number;
  insights: InsightView[];
}

/** Folds a gathering stream (possibly cut by asOf/knownAt) into its view; null when nothing is visible. */
export function gatheringView(events: readonly RecordedEvent[]): GatheringView | null {
  return foldEntity<GatheringEvent, GatheringView>(
    events,
    (event) => {
      if (event.type !== 'GatheringHeld') return null;
      const { gatheringId, ...held } = event.data;
      return { id: gatheringId, version: 0, ...held, insights: [] };
    },
    (view, event, at) => {
      if (event.type === 'InsightRecorded') {
        const { gatheringId: _owner, ...insight } = event.data;
        view.insights.push({ ...insight, themes: [...insight.themes], occurredAt: at, retracted: false, retractionReason: null });
      } else if (event.type === 'InsightRetracted') {
        updateWhere(view.insights, 'insightId', event.data.insightId, { retracted: true, retractionReason: event.data.reason });
      }
    },
  );
}
