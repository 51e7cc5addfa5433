import type { TurnInput } from '../../agent/agent-loop.ts';
import type { MediaStore } from '../../agent/ports/media-store.ts';
import { mediaStoreFor } from './media-store-for.ts';
import type { MediaItem, MediaTurnRequest } from './media-file.ts';

/**
 * Telegram sends an album as one message per photo or file, sharing a `media_group_id`, with no count and no end
 * marker (Bot API Message.media_group_id; tdlib/telegram-bot-api#339 and #643): waiting for a quiet moment is the
 * only way to know it is complete. Each message stores its converted item beside the others in the media store
 * (on Lambda every message runs in its own invocation, so memory is not shared), then waits until no new item has
 * arrived for ALBUM_QUIET_MS. The message with the highest id among those not yet answered claims them and runs
 * the one turn; the others end silently. When messages are processed one after another (long polling), each
 * sees only itself and the album is answered message by message, still with every caption.
 */
export const ALBUM_QUIET_MS = 2_000;
/** However slow the stragglers, the turn starts after this long. */
const ALBUM_MAX_WAIT_MS = 8_000;
const POLL_MS = 250;

type StoredPart = { type: 'text'; text: string } | { type: 'file'; key: string; mediaType: string };
interface StoredItem extends Omit<MediaItem, 'result'> {
  result: { ok: { note: string; parts: StoredPart[]; defaultCaption?: string; replyPrefix?: string } } | { error: string };
}

/** The album's items to answer in one turn, or undefined when another message of the album answers them. */
export async function gatherAlbum(request: MediaTurnRequest, item: MediaItem): Promise<MediaItem[] | undefined> {
  const store = await mediaStoreFor(request.runtime.config);
  const folder = `${request.chatId}/albums/${request.action.mediaGroupId!.replace(/[^\w-]/g, '_')}/`;
  const own = String(request.action.messageId).padStart(12, '0');
  await putJson(store, `${folder}items/${own}.json`, toStored(item));

  const started = Date.now();
  let seen = -1;
  let quietSince = Date.now();
  for (;;) {
    const count = (await store.list(`${folder}items/`)).length;
    if (count !== seen) [seen, quietSince] = [count, Date.now()];
    if (Date.now() - quietSince >= ALBUM_QUIET_MS || Date.now() - started >= ALBUM_MAX_WAIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  const [items, claimed] = await Promise.all([store.list(`${folder}items/`), store.list(`${folder}claimed/`)]);
  const claimedIds = new Set(claimed.map(idOf));
  const open = items.filter((key) => !claimedIds.has(idOf(key)));
  if (open.length === 0 || idOf(open.at(-1)!) !== own) return undefined;
  // Claimed before the turn runs, so a straggler arriving meanwhile answers only itself.
  await Promise.all(open.map((key) => putJson(store, `${folder}claimed/${idOf(key)}.json`, { by: own })));
  const stored = await Promise.all(open.map(async (key) => JSON.parse(new TextDecoder().decode((await store.get(key))!.content)) as StoredItem));
  return Promise.all(stored.map((entry) => fromStored(store, entry)));
}

function idOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).replace(/\.json$/, '');
}

async function putJson(store: MediaStore, key: string, value: unknown): Promise<void> {
  await store.put(key, new TextEncoder().encode(JSON.stringify(value)), 'application/json');
}

/** File bytes stay in their own objects; the item refers to them by key. */
function toStored(item: MediaItem): StoredItem {
  if ('error' in item.result) return { caption: item.caption, label: item.label, result: item.result };
  const { note, parts, defaultCaption, replyPrefix, mediaKey } = item.result.ok;
  const storedParts = parts.map((part): StoredPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    return { type: 'file', key: mediaKey!, mediaType: part.mediaType };
  });
  return { caption: item.caption, label: item.label, result: { ok: { note, parts: storedParts, ...(defaultCaption ? { defaultCaption } : {}), ...(replyPrefix ? { replyPrefix } : {}) } } };
}

async function fromStored(store: MediaStore, entry: StoredItem): Promise<MediaItem> {
  const { caption, label } = entry;
  if ('error' in entry.result) return { caption, label, result: entry.result };
  const parts: NonNullable<TurnInput['parts']> = [];
  for (const part of entry.result.ok.parts) {
    if (part.type === 'text') {
      parts.push(part);
      continue;
    }
    const content = (await store.get(part.key))?.content;
    if (!content) return { caption, label, result: { error: `I lost the ${label} of this album before reading it; please send it again.` } };
    parts.push({ type: 'file', data: content, mediaType: part.mediaType });
  }
  return { caption, label, result: { ok: { ...entry.result.ok, parts } } };
}
