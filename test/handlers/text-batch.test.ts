import { describe, expect, it } from 'vitest';
import { MemoryTextArrivals } from '../../agent/local/memory-text-arrivals.ts';
import { isBatchedText, moreTextsQueued } from '../../handlers/text-batch.ts';

describe('batching a sender’s texts', () => {
  it('records plain texts as texts: no command, no edit, none the bot would refuse as too long', () => {
    const message = (text: string) => ({ update_id: 1, message: { text, from: { id: 77 } } });
    expect(isBatchedText(message('book a table'))).toBe(true);
    expect(isBatchedText(message('/status'))).toBe(false);
    expect(isBatchedText(message('x'.repeat(16_001)))).toBe(false);
    expect(isBatchedText({ update_id: 2, edited_message: { text: 'book a table', from: { id: 77 } } })).toBe(false);
    expect(isBatchedText({ update_id: 3, message: { photo: [], from: { id: 77 } } })).toBe(false);
  });

  it('answers a text with the next only when the sender’s next text follows it with nothing else in between', async () => {
    const arrivals = new MemoryTextArrivals();
    const batch = { arrivals, delayMs: 600, splitDelayMs: 2_000 };
    // Queued long ago: no quiet time is left to wait.
    const check = (updateId: number, senderId = 77) => moreTextsQueued(batch, { conversation: 'tg:-100', senderId, updateId, text: 'hi', queuedAt: 0, now: () => 60_000 });
    await arrivals.record('tg:-100', { updateId: 10, textOf: 77 });
    expect(await check(10)).toBe(false);
    await arrivals.record('tg:-100', { updateId: 11, textOf: 77 });
    expect(await check(10)).toBe(true);
    // A command (or a photo, an edit) queued after the text: each is answered on its own.
    await arrivals.record('tg:-100', { updateId: 12 });
    await arrivals.record('tg:-100', { updateId: 13, textOf: 77 });
    expect(await check(11)).toBe(false);
    // Another member's text in a shared conversation stands between too.
    await arrivals.record('tg:-100', { updateId: 14, textOf: 88 });
    await arrivals.record('tg:-100', { updateId: 15, textOf: 77 });
    expect(await check(13)).toBe(false);
    expect(await check(15)).toBe(false);
  });

  it('keeps apart a text that waited over an hour in the queue and the text after the command that followed it', async () => {
    const clock = { now: Date.parse('2026-12-02T12:00:00Z') };
    const arrivals = new MemoryTextArrivals(() => clock.now);
    const queuedAt = clock.now;
    await arrivals.record('tg:77', { updateId: 10, textOf: 77 });
    clock.now += 60_000;
    await arrivals.record('tg:77', { updateId: 11 });
    clock.now += 64 * 60_000;
    await arrivals.record('tg:77', { updateId: 12, textOf: 77 });
    clock.now += 60_000;
    const batch = { arrivals, delayMs: 600, splitDelayMs: 2_000 };
    expect(await moreTextsQueued(batch, { conversation: 'tg:77', senderId: 77, updateId: 10, text: 'hi', queuedAt, now: () => clock.now })).toBe(false);
  });
});
