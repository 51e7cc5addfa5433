import type { Message } from 'grammy/types';
import type { AlbumMember, AlbumRoster } from '../../agent/ports/album-roster.ts';
import { albumKey } from '../album-member.ts';
import { mediaOf } from '../incoming-message.ts';
import type { MediaItem, MediaTurnRequest } from './media-file.ts';

/**
 * Telegram sends an album as one message per photo or file, sharing a `media_group_id`, with no count and no end
 * marker (Bot API Message.media_group_id; tdlib/telegram-bot-api#339 and #643): a quiet moment is the only sign that
 * it is complete. Every member is recorded in the album roster as soon as it arrives: by the webhook when it queues
 * the update, or by the bot when it runs one directly. A member then waits until no new member has been recorded for
 * ALBUM_QUIET_MS; the lowest message id not yet answered takes every open member and answers them in one turn, and
 * the others end silently. So an album is one turn whether its messages run side by side (one Lambda invocation
 * each) or one after another (the chat's FIFO queue, where the first member leads and the rest find themselves taken).
 * In a group that must mention the bot, the album is answered when any of its messages does (the caption may ride on
 * any item), and not at all otherwise; a mention arriving after the album was declined is answered on its own.
 */
export const ALBUM_QUIET_MS = 2_000;
/** However slow the stragglers, the turn starts after this long; a later member answers for itself. */
const ALBUM_MAX_WAIT_MS = 8_000;
const POLL_MS = 250;

/** The album's items to answer in one turn, or undefined when another member of the album answers them. */
export async function gatherAlbum(request: MediaTurnRequest, convert: (request: MediaTurnRequest) => Promise<MediaItem>): Promise<MediaItem[] | undefined> {
  const roster = request.runtime.albums;
  const album = albumKey(request.chatId, request.action.mediaGroupId!);
  const own = request.action.messageId;
  await roster.add(album, { messageId: own, recordedAt: Date.now(), message: JSON.stringify(request.message) });

  const members = await settledMembers(roster, album, own);
  const open = members.filter((member) => member.takenBy === undefined || member.takenBy === own);
  const held = members.filter((member) => member.takenBy === own);
  // A member leads when it is the lowest open one, or when it already led (a retry: what it won stays its own).
  if (held.length === 0 && open[0]?.messageId !== own) return undefined;
  // A retry takes again the members of the burst it saw (each came within the quiet interval of another, so a take
  // that failed halfway is completed) and leaves a straggler, which came after the album went quiet, to itself.
  const burstEnd = Math.max(...held.map((member) => member.recordedAt)) + ALBUM_QUIET_MS;
  const wanted = held.length === 0 ? open : open.filter((member) => member.recordedAt < burstEnd);
  const taken = new Set(await roster.take(album, { leader: own, messageIds: wanted.map((member) => member.messageId) }));
  // Whatever it won is answered here, even should another leader have won this member itself: nothing taken is dropped.
  const answered = wanted.filter((member) => taken.has(member.messageId));
  // Declined only once taken, so the declined members no longer stand in the way of a late one that mentions the bot.
  const { addressesBot } = request;
  if (addressesBot && !answered.some((member) => addressesBot(JSON.parse(member.message) as Message))) return undefined;
  const requests = answered.flatMap((member) => requestFor(request, member));
  if (requests.length === 0) return undefined;
  request.onAlbumLead?.();
  return Promise.all(requests.map(convert));
}

/** The members once the album is quiet, or as soon as this member turns out to be taken by another. */
async function settledMembers(roster: AlbumRoster, album: string, own: number): Promise<AlbumMember[]> {
  const started = Date.now();
  for (;;) {
    const members = await roster.members(album);
    const mine = members.find((member) => member.messageId === own);
    if (mine?.takenBy !== undefined && mine.takenBy !== own) return members;
    const quietFor = Date.now() - Math.max(...members.map((member) => member.recordedAt));
    if (quietFor >= ALBUM_QUIET_MS || Date.now() - started >= ALBUM_MAX_WAIT_MS) return members;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, ALBUM_QUIET_MS - quietFor)));
  }
}

/** A member's own request: its caption and files, read from the message the roster recorded. */
function requestFor(request: MediaTurnRequest, member: AlbumMember): MediaTurnRequest[] {
  if (member.messageId === request.action.messageId) return [request];
  const message = JSON.parse(member.message) as Message;
  const action = mediaOf(message);
  return action ? [{ ...request, message, action }] : [];
}
