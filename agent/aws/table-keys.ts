/**
 * The single table's item kinds and their keys, in one place so that no two kinds' keys can collide (a session's
 * rows share its partition on purpose: one Query reads its window).
 *
 * | kind | pk | sk |
 * |---|---|---|
 * | a session's turns and resets | `SESSION#<session>` | `MSG#<turn id>` |
 * | a session's settings (`/model`) | `SESSION#<session>` | `META` |
 * | a claimed event (dedup) | `DEDUP#<event>` | `DEDUP` |
 * | a stop request | `STOP#<session>` | `STOP` |
 * | what was queued in a session, for text batching | `TEXT#<session>` | `TEXT` |
 * | an album member | `ALBUM#<chat>:<media group>` | `MEMBER#<message id, padded>` |
 * | a user's tokens on one day | `USAGE#<user>` | `DAY#<yyyy-mm-dd>` |
 */
export type TableKey = { pk: string; sk: string };

/** Every window row shares this sort-key prefix, so one begins_with range read returns turns and resets in order. */
export const MESSAGE_SK_PREFIX = 'MSG#';
export const META_SK = 'META';
export const DAY_SK_PREFIX = 'DAY#';

export const sessionPk = (sessionKey: string): string => `SESSION#${sessionKey}`;
export const dedupKey = (eventId: string): TableKey => ({ pk: `DEDUP#${eventId}`, sk: 'DEDUP' });
export const stopKey = (sessionKey: string): TableKey => ({ pk: `STOP#${sessionKey}`, sk: 'STOP' });
export const textArrivalKey = (sessionKey: string): TableKey => ({ pk: `TEXT#${sessionKey}`, sk: 'TEXT' });
export const albumPk = (album: string): string => `ALBUM#${album}`;
export const albumMemberKey = (album: string, messageId: number): TableKey => ({ pk: albumPk(album), sk: `MEMBER#${String(messageId).padStart(12, '0')}` });
export const usagePk = (userId: string): string => `USAGE#${userId}`;
