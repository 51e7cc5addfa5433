import type { Message } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryAlbumRoster } from '../../../agent/local/memory-album-roster.ts';
import type { Runtime } from '../../../agent/runtime.ts';
import { albumKey } from '../../../handlers/album-member.ts';
import { mediaOf } from '../../../handlers/incoming-message.ts';
import { ALBUM_QUIET_MS, gatherAlbum } from '../../../handlers/media/album.ts';
import type { MediaItem, MediaTurnRequest } from '../../../handlers/media/media-file.ts';
import { albumUpdates } from '../../stand-ins/telegram-updates.ts';

const CHAT = 4242;
const messages = albumUpdates(
  [1, 2, 3, 4].map((n) => ({ fileId: `photo-${n}`, fileUniqueId: `unique-${n}`, ...(n === 1 ? { caption: 'Which one is sharpest?' } : {}) })),
  { chatId: CHAT, firstUpdateId: 501 },
).map((update) => update.message as Message);
const ALBUM = albumKey(CHAT, messages[0]!.media_group_id!);

/** Converting a member only names it, so the tests see which members a leader answered, in order. */
const convert = async (request: MediaTurnRequest): Promise<MediaItem> => ({ caption: request.action.text, label: `photo ${request.action.messageId}`, result: { error: 'not fetched in this test' } });

describe('gathering an album into one turn', () => {
  let roster: MemoryAlbumRoster;
  const requestFor = (message: Message, addressesBot?: (message: Message) => boolean): MediaTurnRequest => ({
    runtime: { albums: roster } as unknown as Runtime,
    api: undefined as never,
    token: 'token',
    chatId: CHAT,
    message,
    action: mediaOf(message)!,
    ...(addressesBot ? { addressesBot } : {}),
  });
  /** What the webhook does as each message arrives in queue mode. */
  const recordAtAck = (message: Message) => roster.add(ALBUM, { messageId: message.message_id, recordedAt: Date.now(), message: JSON.stringify(message) });
  const gather = async (message: Message, addressesBot?: (message: Message) => boolean) => {
    const pending = gatherAlbum(requestFor(message, addressesBot), convert);
    await vi.advanceTimersByTimeAsync(10_000);
    return (await pending)?.map((item) => item.label);
  };

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 1, 9) });
    roster = new MemoryAlbumRoster();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets the first member run by a queue answer every member, and the later ones end at once', async () => {
    for (const message of messages.slice(0, 3)) await recordAtAck(message);
    expect(await gather(messages[0]!)).toEqual(['photo 501', 'photo 502', 'photo 503']);
    const started = Date.now();
    expect(await gatherAlbum(requestFor(messages[1]!), convert)).toBeUndefined();
    expect(await gatherAlbum(requestFor(messages[2]!), convert)).toBeUndefined();
    // Already taken: no waiting for the album to go quiet.
    expect(Date.now() - started).toBe(0);
  });

  it('waits until no member has arrived for the quiet interval', async () => {
    await recordAtAck(messages[0]!);
    const pending = gatherAlbum(requestFor(messages[0]!), convert);
    await vi.advanceTimersByTimeAsync(ALBUM_QUIET_MS - 500);
    await recordAtAck(messages[1]!);
    await vi.advanceTimersByTimeAsync(ALBUM_QUIET_MS - 500);
    await recordAtAck(messages[2]!);
    await vi.advanceTimersByTimeAsync(ALBUM_QUIET_MS + 500);
    expect((await pending)?.map((item) => item.label)).toEqual(['photo 501', 'photo 502', 'photo 503']);
  });

  it('gives a straggler that arrives after the album was taken a turn of its own', async () => {
    for (const message of messages.slice(0, 3)) await recordAtAck(message);
    await gather(messages[0]!);
    await recordAtAck(messages[3]!);
    expect(await gather(messages[3]!)).toEqual(['photo 504']);
  });

  it('lets a retried leader answer only what it took before: a member recorded since answers for itself', async () => {
    for (const message of messages.slice(0, 2)) await recordAtAck(message);
    expect(await gather(messages[0]!)).toEqual(['photo 501', 'photo 502']);
    await recordAtAck(messages[2]!);
    expect(await gather(messages[0]!)).toEqual(['photo 501', 'photo 502']);
    expect(await gather(messages[2]!)).toEqual(['photo 503']);
  });

  describe('in a group that must mention the bot', () => {
    const mentionsBot = (message: Message) => (message.caption ?? '').includes('@hermes_bot');
    const mentioned = (message: Message): Message => ({ ...message, caption: '@hermes_bot which one is sharpest?' });

    it('answers the whole album when any of its messages mentions the bot, led by the first', async () => {
      const album = [messages[0]!, messages[1]!, mentioned(messages[2]!)];
      for (const message of album) await recordAtAck(message);
      expect(await gather(album[0]!, mentionsBot)).toEqual(['photo 501', 'photo 502', 'photo 503']);
      expect(await gather(album[2]!, mentionsBot)).toBeUndefined();
    });

    it('answers nothing of an album that mentions nobody, and a mention arriving after that on its own', async () => {
      for (const message of messages.slice(0, 3)) await recordAtAck(message);
      for (const message of messages.slice(0, 3)) expect(await gather(message, mentionsBot)).toBeUndefined();
      const late = mentioned(messages[3]!);
      await recordAtAck(late);
      expect(await gather(late, mentionsBot)).toEqual(['photo 504']);
    });
  });

  it('completes, when retried, a take that failed halfway: the others had already ended', async () => {
    for (const message of messages.slice(0, 3)) await recordAtAck(message);
    const take = roster.take.bind(roster);
    roster.take = async (album, options) => {
      await take(album, { ...options, messageIds: options.messageIds.slice(0, 1) });
      throw new Error('DynamoDB UpdateItem failed');
    };
    // The members run side by side; the others see the leader open and end before its take fails.
    const others = Promise.all([messages[1]!, messages[2]!].map((message) => gatherAlbum(requestFor(message), convert)));
    const failed = gatherAlbum(requestFor(messages[0]!), convert).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await others).toEqual([undefined, undefined]);
    expect(await failed).toBeInstanceOf(Error);
    roster.take = take;
    expect(await gather(messages[0]!)).toEqual(['photo 501', 'photo 502', 'photo 503']);
  });

  it('answers what a leader won even when another leader won its own message, and again when retried', async () => {
    for (const message of messages.slice(0, 3)) await recordAtAck(message);
    // Another invocation takes the first message between this leader's look at the album and its own take.
    const take = roster.take.bind(roster);
    roster.take = async (album, options) => {
      await take(album, { leader: 999, messageIds: [messages[0]!.message_id] });
      return take(album, options);
    };
    expect(await gather(messages[0]!)).toEqual(['photo 502', 'photo 503']);
    roster.take = take;
    expect(await gather(messages[0]!)).toEqual(['photo 502', 'photo 503']);
  });

  it('answers members run side by side once, by the lowest message id, each recording itself', async () => {
    const results = Promise.all(messages.map((message) => gatherAlbum(requestFor(message), convert)));
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await results).map((items) => items?.map((item) => item.label))).toEqual([['photo 501', 'photo 502', 'photo 503', 'photo 504'], undefined, undefined, undefined]);
  });
});
