import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDedupStore } from '../../agent/local/memory-dedup-store.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { replyLedger, type ReplyLedger } from '../../handlers/reply-ledger.ts';
import { ANSWERED_WITH_NEXT } from '../../agent/deferred-text.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';

const WORKER_TIMEOUT_SECONDS = 300;
/** The turn queue's visibility timeout: the worker's limit and 30 s (infra/turn-queue.ts). */
const VISIBILITY_TIMEOUT_MS = (WORKER_TIMEOUT_SECONDS + 30) * 1000;

describe('the reply ledger, when a retry finds its turn stored', () => {
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  let ledger: ReplyLedger;
  const clock = { now: Date.parse('2026-12-02T10:00:00Z') };

  beforeEach(async () => {
    ({ runtime, cleanup } = await makeLocalRuntime({ env: { HERMES_WORKER_TIMEOUT_SECONDS: String(WORKER_TIMEOUT_SECONDS) } }));
    runtime.dedup = new MemoryDedupStore(() => clock.now);
    ledger = replyLedger(runtime);
  });
  afterEach(() => cleanup());

  const resend = (send: (answer: string) => Promise<void>, attempt: { endsAt?: number } = {}) =>
    ledger.resendStored({
      updateId: 61_001,
      sessionKey: 'tg:61001',
      eventId: '000061001',
      storedAnswer: 'Your train leaves at 9:12.',
      send: (answer) => send(answer),
      ...(attempt.endsAt !== undefined ? { attemptEndsAt: attempt.endsAt } : {}),
    });

  it('sends it on the next attempt when the worker sending it was killed, and never after it went out', async () => {
    const sent: string[] = [];
    // The killed attempt: its send never settles, as a process that died never answers.
    void resend(() => new Promise<never>(() => undefined));
    await new Promise((resolve) => setImmediate(resolve));
    clock.now += VISIBILITY_TIMEOUT_MS;
    await resend(async (answer) => void sent.push(answer));
    expect(sent).toEqual(['Your train leaves at 9:12.']);
    clock.now += 86_400_000;
    await resend(async (answer) => void sent.push(answer));
    expect(sent).toHaveLength(1);
  });

  it('sends it on the next attempt when the killed one reached the resend late in its run (after a slow download, say)', async () => {
    const sent: string[] = [];
    // 250 s into a 300 s invocation: 50 s of it are left when the claim is taken.
    void resend(() => new Promise<never>(() => undefined), { endsAt: Date.now() + 50_000 });
    await new Promise((resolve) => setImmediate(resolve));
    // The next attempt comes once the visibility timeout has run from the first receive: 80 s after that claim.
    clock.now += VISIBILITY_TIMEOUT_MS - 250_000;
    await resend(async (answer) => void sent.push(answer), { endsAt: Date.now() + 300_000 });
    expect(sent).toEqual(['Your train leaves at 9:12.']);
  });

  it('gives the reply back to the next attempt when sending it failed', async () => {
    const sent: string[] = [];
    await expect(resend(() => Promise.reject(new Error('Telegram refused')))).rejects.toThrow('Telegram refused');
    await resend(async (answer) => void sent.push(answer));
    expect(sent).toEqual(['Your train leaves at 9:12.']);
  });

  it('sends nothing for a text the turn after it answered: its stored note is no reply', async () => {
    const sent: string[] = [];
    await ledger.resendStored({ updateId: 61_002, sessionKey: 'tg:61001', eventId: '000061002', storedAnswer: ANSWERED_WITH_NEXT, send: async (answer) => void sent.push(answer) });
    expect(sent).toEqual([]);
  });
});
