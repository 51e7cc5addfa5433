import { describe, expect, it } from 'vitest';
import { MemoryTextArrivals } from '../../agent/local/memory-text-arrivals.ts';
import { batchedText, moreTextsQueued } from '../../handlers/text-batch.ts';

describe('batching a sender’s texts', () => {
  it('records plain texts only: no command, no edit, none the bot would refuse as too long', () => {
    const message = (text: string) => ({ update_id: 1, message: { text, from: { id: 77 } } });
    expect(batchedText(message('book a table'))).toEqual({ text: 'book a table', senderId: 77 });
    expect(batchedText(message('/status'))).toBeUndefined();
    expect(batchedText(message('x'.repeat(16_001)))).toBeUndefined();
    expect(batchedText({ update_id: 2, edited_message: { text: 'book a table', from: { id: 77 } } })).toBeUndefined();
    expect(batchedText({ update_id: 3, message: { photo: [], from: { id: 77 } } })).toBeUndefined();
  });

  it('answers a text with the next when the sender queued another after it, and only then', async () => {
    const arrivals = new MemoryTextArrivals();
    const batch = { arrivals, delayMs: 600, splitDelayMs: 2_000 };
    // Queued long ago: no quiet time is left to wait.
    const longAgo = { queuedAt: 0, now: () => 60_000 };
    await arrivals.record('tg:77#77', 10);
    expect(await moreTextsQueued(batch, { key: 'tg:77#77', updateId: 10, text: 'hi', ...longAgo })).toBe(false);
    await arrivals.record('tg:77#77', 11);
    expect(await moreTextsQueued(batch, { key: 'tg:77#77', updateId: 10, text: 'hi', ...longAgo })).toBe(true);
    expect(await moreTextsQueued(batch, { key: 'tg:77#88', updateId: 10, text: 'hi', ...longAgo })).toBe(false);
  });
});
