/**
 * Users live in `user-<id>` streams. `user` is deliberately not a {@link StreamCategory}: users are not
 * catalogued, listed, timelined or reported like the incubator's entities; only the accounts module reads them.
 */
export const USER_STREAM_CATEGORY = 'user';

/** `user-<id>`. */
export function userStreamName(userId: string): string {
  return `${USER_STREAM_CATEGORY}-${userId}`;
}
