import { cursorCodec, isInstant, type CursorCodec } from '../paging/cursor.js';
import type { CatalogueEntity } from './catalogue.schema.js';

export { InvalidCursor } from '../paging/cursor.js';

/** The sort key of the last row of a page: the list continues after it. */
export interface ListCursorKey {
  /** `created_at` of the row, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  created: string;
  id: string;
}

/** Cursors of `{"v":1,"e":<entity>,"c":<created>,"i":<id>}`: the entity binds a cursor to its list. */
const listCursor = (entity: CatalogueEntity): CursorCodec<ListCursorKey> =>
  cursorCodec<ListCursorKey>({
    list: ['e', entity],
    write: (key) => ({ c: key.created, i: key.id }),
    read: ({ c, i }) => (isInstant(c) && typeof i === 'string' && i.length > 0 && i.length <= 200 ? { created: c, id: i } : null),
  });

/** Encodes a page's last sort key as an opaque base64url token bound to `entity`'s list. */
export function encodeListCursor(entity: CatalogueEntity, key: ListCursorKey): string {
  return listCursor(entity).encode(key);
}

/** Decodes a token from {@link encodeListCursor}; throws {@link InvalidCursor} unless it is one, for `entity`. */
export function decodeListCursor(entity: CatalogueEntity, token: string): ListCursorKey {
  return listCursor(entity).decode(token);
}
