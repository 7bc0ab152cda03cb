import type { CatalogueEntity } from './catalogue.schema.js';

/** A list cursor that is not one this service issued for that list (malformed, tampered, or from another list). */
export class InvalidCursor extends Error {
  constructor(detail = 'the cursor is not valid for this list') {
    super(detail);
    this.name = 'InvalidCursor';
  }
}

/** The sort key of the last row of a page: the list continues after it. */
export interface ListCursorKey {
  /** `created_at` of the row, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  created: string;
  id: string;
}

const MAX_CURSOR_LENGTH = 512;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Encodes a page's last sort key as an opaque base64url token of `{"v":1,"e":<entity>,"c":<created>,"i":<id>}`.
 * The entity binds a cursor to its list.
 */
export function encodeListCursor(entity: CatalogueEntity, key: ListCursorKey): string {
  return Buffer.from(JSON.stringify({ v: 1, e: entity, c: key.created, i: key.id }), 'utf8').toString('base64url');
}

/** Decodes a token from {@link encodeListCursor}; throws {@link InvalidCursor} unless it is one, for `entity`. */
export function decodeListCursor(entity: CatalogueEntity, token: string): ListCursorKey {
  if (token.length === 0 || token.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new InvalidCursor('the cursor is not a token from a previous page');
  }
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) throw new InvalidCursor('the cursor is not a token from a previous page');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidCursor('the cursor is not a token from a previous page');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursor();
  const { v, e, c, i } = value as Record<string, unknown>;
  if (v !== 1 || typeof c !== 'string' || !INSTANT.test(c) || typeof i !== 'string' || i.length === 0 || i.length > 200) {
    throw new InvalidCursor();
  }
  if (e !== entity) throw new InvalidCursor('the cursor belongs to another list');
  return { created: c, id: i };
}
