import { APICallError } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { planCompaction, SETTLED_AFTER_MS, summarize } from '../../agent/compaction.ts';
import { reasoningSettings } from '../../agent/providers.ts';
import type { Turn } from '../../agent/ports/session-store.ts';
import { DuplicateTurnError, ModelError } from '../../tools/errors.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { turnId } from '../../agent/session-keys.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel, promptChars, textResult } from '../stand-ins/mock-model.ts';

/** Long after every turn below, so all of them have settled. */
const LATER = 10 * SETTLED_AFTER_MS;

function turnOf(at: number, chars: number): Turn {
  return { id: turnId(at), at, messages: [{ role: 'user', content: 'x'.repeat(chars) }, { role: 'assistant', content: [{ type: 'text', text: 'ok' }] }] };
}

describe('planCompaction', () => {
  it('leaves a window within budget alone', () => {
    expect(planCompaction({ turns: [turnOf(1, 100), turnOf(2, 100)], truncated: false }, { budgetTokens: 1_000, windowTurns: 10, now: LATER })).toBeUndefined();
  });

  it('keeps the newest turns that fit half the budget and summarizes the rest', () => {
    const turns = Array.from({ length: 10 }, (_, i) => turnOf(i + 1, 400));
    const plan = planCompaction({ turns, truncated: false }, { budgetTokens: 1_000, windowTurns: 10, now: LATER })!;
    expect(plan.older.length + plan.tail.length).toBe(10);
    expect(plan.tail.at(-1)).toBe(turns[9]);
    expect(plan.tail.length).toBeLessThanOrEqual(4);
    expect(plan.older[0]).toBe(turns[0]);
  });

  it('compacts a truncated window even when it is small', () => {
    const turns = Array.from({ length: 6 }, (_, i) => turnOf(i + 1, 10));
    const plan = planCompaction({ turns, truncated: true }, { budgetTokens: 10_000, windowTurns: 6, now: LATER })!;
    expect(plan.tail).toHaveLength(3);
    expect(plan.older).toHaveLength(3);
  });

  it('always keeps the newest turn, even when it alone is over budget', () => {
    const plan = planCompaction({ turns: [turnOf(1, 100), turnOf(2, 100_000)], truncated: false }, { budgetTokens: 1_000, windowTurns: 10, now: LATER })!;
    expect(plan.tail).toHaveLength(1);
    expect(plan.older).toHaveLength(1);
  });

  it('folds only turns received longer ago than a processing attempt can take', () => {
    const now = 1_000_000;
    const settled = Array.from({ length: 3 }, (_, i) => turnOf(now - SETTLED_AFTER_MS - 1_000 + i, 10));
    const recent = Array.from({ length: 7 }, (_, i) => turnOf(now - SETTLED_AFTER_MS + 1 + i, 10));
    const plan = planCompaction({ turns: [...settled, ...recent], truncated: false }, { budgetTokens: 10_000, windowTurns: 10, now: now })!;
    expect(plan.older).toEqual(settled);
    expect(plan.tail).toEqual(recent);
  });

  it('waits until at least half of what it would fold has settled, unless turns already fall outside the window', () => {
    const now = 1_000_000;
    const settled = Array.from({ length: 2 }, (_, i) => turnOf(now - SETTLED_AFTER_MS - 1_000 + i, 10));
    const recent = Array.from({ length: 8 }, (_, i) => turnOf(now - 5_000 + i, 10));
    const turns = [...settled, ...recent];
    expect(planCompaction({ turns, truncated: false }, { budgetTokens: 10_000, windowTurns: 10, now: now })).toBeUndefined();
    expect(planCompaction({ turns, truncated: true }, { budgetTokens: 10_000, windowTurns: 10, now: now })!.older).toEqual(settled);
  });

  it('waits while the turns it would fold are still settling', () => {
    const now = 1_000_000;
    const burst = Array.from({ length: 10 }, (_, i) => turnOf(now - 5_000 + i, 10));
    expect(planCompaction({ turns: burst, truncated: true }, { budgetTokens: 10_000, windowTurns: 10, now: now })).toBeUndefined();
  });
});

describe('history stays bounded however long a chat gets', () => {
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  it('summarizes the middle and keeps prompt size flat over 120 turns', async () => {
    const model = echoModel();
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_CONTEXT_TOKENS: '1500', HERMES_WINDOW_TURNS: '12' } }));
    const delivery = { chatId: 1, userId: 'u' };
    const sizes: number[] = [];
    for (let i = 0; i < 120; i += 1) {
      const calls = model.doGenerateCalls.length;
      await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `message ${i} ${'words '.repeat(40)}`, receivedAt: 1_000_000 + i });
      const chatCall = model.doGenerateCalls.slice(calls).at(-1)!;
      sizes.push(promptChars(chatCall));
    }
    const window = await runtime.sessions.loadWindow('tg:1', 12);
    expect(window.summary?.text).toMatch(/^summary #/);
    expect(window.turns.length).toBeLessThanOrEqual(12);
    const early = Math.max(...sizes.slice(20, 40));
    const late = Math.max(...sizes.slice(100, 120));
    expect(late).toBeLessThanOrEqual(early * 1.2);
    const summaryCalls = model.doGenerateCalls.filter((call) => JSON.stringify(call.prompt).includes('running summary'));
    expect(summaryCalls.length).toBeGreaterThan(3);
    expect(Math.max(...summaryCalls.map(promptChars))).toBeLessThan(1500 * 2 * 1.5 + 2_000);
  });

  it('carries on with the recent turns when the summary call fails', async () => {
    let fail = true;
    const model = echoModel();
    const original = model.doGenerate.bind(model);
    model.doGenerate = async (options) => {
      if (fail && JSON.stringify(options.prompt).includes('running summary')) throw new Error('summary model down');
      return original(options);
    };
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_CONTEXT_TOKENS: '400', HERMES_WINDOW_TURNS: '6' } }));
    const delivery = { chatId: 1, userId: 'u' };
    for (let i = 0; i < 10; i += 1) {
      const turn = await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `m${i} ${'x'.repeat(300)}`, receivedAt: 2_000_000 + i });
      expect(turn.text).toBe('ok');
    }
    expect((await runtime.sessions.loadWindow('tg:1', 6)).summary).toBeUndefined();
    fail = false;
    const turn = await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'after', receivedAt: 3_000_000 });
    expect(turn.compacted).toBe(true);
  });

  it('gives up a summary call the provider holds open, and answers from the recent turns before the turn runs out of time', async () => {
    const model = echoModel();
    const original = model.doGenerate.bind(model);
    let summaryCalls = 0;
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_CONTEXT_TOKENS: '400', HERMES_WINDOW_TURNS: '6' } }));
    const delivery = { chatId: 1, userId: 'u' };
    for (let i = 0; i < 5; i += 1) await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `m${i} ${'x'.repeat(300)}`, receivedAt: 2_000_000 + i });
    // A provider under load keeps the request open without answering; only the abort ends it.
    model.doGenerate = async (options) => {
      if (!JSON.stringify(options.prompt).includes('running summary')) return original(options);
      summaryCalls += 1;
      return new Promise((_, reject) => options.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason)));
    };
    const turn = await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'still there?', receivedAt: 3_000_000, softDeadline: Date.now() + 2_000 });
    expect(turn.text).toBe('ok');
    expect(turn.compacted).toBe(false);
    expect(summaryCalls).toBe(1);
  });

  it('tries a failing summary call only as often as HERMES_MODEL_RETRIES allows', async () => {
    const model = echoModel();
    const original = model.doGenerate.bind(model);
    let summaryCalls = 0;
    model.doGenerate = async (options) => {
      if (!JSON.stringify(options.prompt).includes('running summary')) return original(options);
      summaryCalls += 1;
      throw new APICallError({ message: 'Service Unavailable', url: 'https://api.deepseek.com/chat/completions', requestBodyValues: {}, statusCode: 503, isRetryable: true });
    };
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_CONTEXT_TOKENS: '400', HERMES_WINDOW_TURNS: '6', HERMES_MODEL_RETRIES: '0' } }));
    const delivery = { chatId: 1, userId: 'u' };
    for (let i = 0; i < 6; i += 1) await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `m${i} ${'x'.repeat(300)}`, receivedAt: 2_000_000 + i });
    expect(summaryCalls).toBeGreaterThan(0);
    const before = summaryCalls;
    await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'after', receivedAt: 3_000_000 });
    expect(summaryCalls - before).toBe(1);
  });

  it('clips a turn longer than one summary call reads at a whole character, never half an emoji', async () => {
    const sent: string[] = [];
    const model = echoModel();
    model.doGenerate = async (options) => {
      sent.push(JSON.stringify(options.prompt));
      return textResult('A summary.');
    };
    const long = turnOf(1_000, 0);
    long.messages = [{ role: 'user', content: `x${'😀'.repeat(600)}` }, { role: 'assistant', content: 'ok' }];
    for (const maxChars of [1_000, 1_001]) {
      await summarize(model, { previous: undefined, older: [long], maxChars, leastThinking: reasoningSettings('deepseek', 'off', 'deepseek-flash') });
      expect(JSON.parse(sent.at(-1)!).at(-1).content.at(-1).text.isWellFormed()).toBe(true);
    }
  });

  it('folds a burst that overflowed the window whole once it has settled, and hides nothing meanwhile', async () => {
    const model = echoModel();
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_WINDOW_TURNS: '6' } }));
    const delivery = { chatId: 1, userId: 'u' };
    const burstAt = 5_000_000;
    const during = { ...runtime, now: () => new Date(burstAt + 10_000) };
    for (let i = 0; i < 20; i += 1) {
      const turn = await runTurn(during, { sessionKey: 'tg:1', userId: 'u', delivery, text: `m${i}.`, receivedAt: burstAt + i, eventId: String(i).padStart(12, '0') });
      expect(turn.compacted).toBe(false);
    }
    const later = burstAt + 10 * SETTLED_AFTER_MS;
    const turn = await runTurn({ ...runtime, now: () => new Date(later) }, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'after the burst', receivedAt: later });
    expect(turn.compacted).toBe(true);
    const summaryCall = model.doGenerateCalls.find((call) => JSON.stringify(call.prompt).includes('running summary'))!;
    const transcript = JSON.stringify(summaryCall.prompt);
    const folded = Array.from({ length: 20 }, (_, i) => `m${i}.`).filter((text) => transcript.includes(text));
    const chatPrompt = JSON.stringify(model.doGenerateCalls.at(-1)!.prompt);
    const kept = Array.from({ length: 20 }, (_, i) => `m${i}.`).filter((text) => chatPrompt.includes(text));
    expect([...folded, ...kept].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}.`).sort());
    expect(kept.length).toBeGreaterThan(0);
  });

  const burstTurn = (deps: Runtime, text: string, { at, n, now }: { at: number; n: number; now: number }) =>
    runTurn({ ...deps, now: () => new Date(now) }, { sessionKey: 'tg:1', userId: 'u', delivery: { chatId: 1, userId: 'u' }, text, receivedAt: at, eventId: String(n).padStart(12, '0') });
  const summaryInputs = (model: ReturnType<typeof echoModel>) =>
    model.doGenerateCalls.filter((call) => JSON.stringify(call.prompt).includes('running summary')).map((call) => JSON.stringify(call.prompt));
  /** The texts that are neither in the current window nor in the transcript of any summary call. */
  const lostTexts = async (texts: string[], inputs: string[]) => {
    const shown = JSON.stringify((await runtime.sessions.loadWindow('tg:1', runtime.config.windowTurns)).turns);
    return texts.filter((text) => !shown.includes(text) && !inputs.some((input) => input.includes(text)));
  };

  it('keeps the summary chain and every message when a forwarded burst is far larger than the window', async () => {
    const model = echoModel();
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_WINDOW_TURNS: '6' } }));
    const start = 10_000_000;
    for (let i = 0; i < 30; i += 1) await burstTurn(runtime, `paced ${i}.`, { at: start + i * 60_000, n: i, now: start + i * 60_000 + 1_000 });
    const burstAt = start + 31 * 60_000;
    for (let i = 0; i < 70; i += 1) await burstTurn(runtime, `fwd ${i}.`, { at: burstAt + i * 1_000, n: 100 + i, now: burstAt + 75_000 });
    await burstTurn(runtime, 'an hour later.', { at: burstAt + 3_600_000, n: 200, now: burstAt + 3_600_000 });

    const inputs = summaryInputs(model);
    expect(inputs.at(-1)).toMatch(/Previous summary:\\nsummary #/);
    expect(await lostTexts(Array.from({ length: 70 }, (_, i) => `fwd ${i}.`), inputs)).toEqual([]);
  });

  it('folds a backlog too long for one summary call over the following turns, losing none of it', async () => {
    const model = echoModel();
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_WINDOW_TURNS: '6' } }));
    const maxChars = runtime.config.contextTokens * 2;
    const burstAt = 20_000_000;
    const long = (i: number) => `long ${i}. ${'word '.repeat(400)}`;
    for (let i = 0; i < 40; i += 1) await burstTurn(runtime, long(i), { at: burstAt + i * 1_000, n: i, now: burstAt + 50_000 });
    for (let hour = 1; hour <= 6; hour += 1) await burstTurn(runtime, `later ${hour}.`, { at: burstAt + hour * 3_600_000, n: 100 + hour, now: burstAt + hour * 3_600_000 });

    const inputs = summaryInputs(model);
    expect(inputs.length).toBeGreaterThan(1);
    for (const input of inputs) expect(input.length).toBeLessThan(maxChars * 1.2);
    expect(await lostTexts(Array.from({ length: 40 }, (_, i) => `long ${i}. `), inputs)).toEqual([]);
  });

  it('stores the new summary with the user message when the chat call of a compacting turn fails', async () => {
    const model = echoModel();
    const original = model.doGenerate.bind(model);
    let failChat = false;
    model.doGenerate = async (options) => {
      if (failChat && !JSON.stringify(options.prompt).includes('running summary')) throw new Error('chat model down');
      return original(options);
    };
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_WINDOW_TURNS: '4', HERMES_MODEL_RETRIES: '0' } }));
    const delivery = { chatId: 1, userId: 'u' };
    for (let i = 0; i < 3; i += 1) await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `m${i}`, receivedAt: 6_000_000 + i });
    await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'm3', receivedAt: 6_000_003 });
    failChat = true;
    await expect(runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'm4, unanswered', receivedAt: 6_000_004 })).rejects.toBeInstanceOf(ModelError);
    const window = await runtime.sessions.loadWindow('tg:1', 4);
    expect(window.summary?.text).toMatch(/^summary #/);
    expect(window.turns.at(-1)!.messages).toEqual([{ role: 'user', content: 'm4, unanswered' }]);
  });

  it('treats an empty summary as a failed compaction, keeping the turns it would have replaced', async () => {
    const model = echoModel();
    const original = model.doGenerate.bind(model);
    model.doGenerate = async (options) =>
      JSON.stringify(options.prompt).includes('running summary') ? textResult('   ') : original(options);
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_WINDOW_TURNS: '4' } }));
    const delivery = { chatId: 1, userId: 'u' };
    const turns = [];
    for (let i = 0; i < 6; i += 1) turns.push(await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `m${i}`, receivedAt: 4_000_000 + i }));
    expect(turns.every((turn) => !turn.compacted)).toBe(true);
    expect((await runtime.sessions.loadWindow('tg:1', 4)).summary).toBeUndefined();
  });

  describe('an event redelivered after later turns were summarized', () => {
    const start = 30_000_000;
    const slot = (n: number) => start + n * 60_000;
    async function chatWithGap(model: ReturnType<typeof echoModel>) {
      ({ runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_WINDOW_TURNS: '4' } }));
      // Event 3's first attempt failed: nothing of it was stored.
      for (const n of [0, 1, 2, 4, 5, 6, 7, 8, 9]) await burstTurn(runtime, `m${n}.`, { at: slot(n), n, now: slot(n) + 1_000 });
      const window = await runtime.sessions.loadWindow('tg:1', 4);
      expect(window.summary!.coversThrough > turnId(slot(3), '000000000003')).toBe(true);
    }

    it('is stored where the window shows it, not among the turns the summary covers', async () => {
      const model = echoModel();
      await chatWithGap(model);
      const later = slot(30);
      await burstTurn(runtime, 'm3, late.', { at: slot(3), n: 3, now: later });
      const window = await runtime.sessions.loadWindow('tg:1', 4);
      expect(window.turns.at(-1)!.messages[0]).toEqual({ role: 'user', content: 'm3, late.' });
      expect(window.turns.at(-1)!.at).toBe(later);
    });

    it('is refused without calling the model when its turn was stored before', async () => {
      const model = echoModel();
      await chatWithGap(model);
      const calls = model.doGenerateCalls.length;
      await expect(burstTurn(runtime, 'm1.', { at: slot(1), n: 1, now: slot(30) })).rejects.toBeInstanceOf(DuplicateTurnError);
      expect(model.doGenerateCalls.length).toBe(calls);
    });
  });
});
