import { parseStreamName } from '#domain';
import { TIMELINES_TABLES, type ReadModelDb } from '#projections';
import type { PartnerScope } from './principal.js';

const T = TIMELINES_TABLES;

/**
 * A partner's scope, from the timelines read model: the collaborations that name their organisation as partner
 * (CollaborationAgreed) or party (PartyJoined), and the experiments attached to those (ExperimentAttached, or
 * designed within one). Read per request, so a new party or attachment counts as soon as it is projected; until
 * then the partner sees less, never more.
 */
export function partnerScope(db: ReadModelDb, organisationId: string | null): PartnerScope {
  if (organisationId === null) return { collaborations: new Set(), experiments: new Set() };
  const streams = db
    .prepare<[string], string>(
      `SELECT DISTINCT e.stream FROM "${T.mentions}" m JOIN "${T.entries}" e ON e.position = m.position
       WHERE m.kind = 'organisation' AND m.id = ? AND e.type IN ('CollaborationAgreed', 'PartyJoined')`,
    )
    .pluck()
    .all(organisationId.toLowerCase());
  const collaborations = streams
    .map(parseStreamName)
    .filter((name) => name.category === 'collaboration' && name.id !== '')
    .map((name) => name.id);
  const experiments = db
    .prepare<[string], string>(
      `SELECT DISTINCT experiment_stream FROM "${T.attachments}"
       WHERE owner_kind = 'collaboration' AND owner_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .all(JSON.stringify(collaborations))
    .map((stream) => parseStreamName(stream).id);
  return { collaborations: new Set(collaborations), experiments: new Set(experiments) };
}
