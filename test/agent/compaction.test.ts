import { afterEach, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { planCompaction, SETTLED_AFTER_MS } from '../../agent/compaction.ts';
import type { Turn } from '../../agent/ports/session-store.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { turnId } from '../../agent/session-keys.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel, promptChars } from '../helpers/mock-model.ts';

/** Long after every turn below, so all of them have settled. */
const LATER = 10 * SETTLED_AFTER_MS;

function turnOf(at: number, chars: number): Turn {
  return { id: turnId(at), at, messages: [{ role: 'user', content: 'x'.repeat(chars) }, { role: 'assistant', content: [{ type: 'text', text: 'ok' }] }] };
}

describe('planCompaction', () => {
  it('leaves a window within budget alone', () => {
    expect(planCompaction({ turns: [turnOf(1, 100), turnOf(2, 100)], truncated: false }, 1_000, 10, LATER)).toBeUndefined();
  });

  it('keeps the newest turns that fit half the budget and summarizes the rest', () => {
    const turns = Array.from({ length: 10 }, (_, i) => turnOf(i + 1, 400));
    const plan = planCompaction({ turns, truncated: false }, 1_000, 10, LATER)!;
    expect(plan.older.length + plan.tail.length).toBe(10);
    expect(plan.tail.at(-1)).toBe(turns[9]);
    expect(plan.tail.length).toBeLessThanOrEqual(4);
    expect(plan.older[0]).toBe(turns[0]);
  });

  it('compacts a truncated window even when it is small', () => {
    const turns = Array.from({ length: 6 }, (_, i) => turnOf(i + 1, 10));
    const plan = planCompaction({ turns, truncated: true }, 10_000, 6, LATER)!;
    expect(plan.tail).toHaveLength(3);
    expect(plan.older).toHaveLength(3);
  });

  it('always keeps the newest turn, even when it alone is over budget', () => {
    const plan = planCompaction({ turns: [turnOf(1, 100), turnOf(2, 100_000)], truncated: false }, 1_000, 10, LATER)!;
    expect(plan.tail).toHaveLength(1);
    expect(plan.older).toHaveLength(1);
  });

  it('folds only turns received longer ago than a processing attempt can take', () => {
    const now = 1_000_000;
    const settled = Array.from({ length: 3 }, (_, i) => turnOf(now - SETTLED_AFTER_MS - 1_000 + i, 10));
    const recent = Array.from({ length: 7 }, (_, i) => turnOf(now - SETTLED_AFTER_MS + 1 + i, 10));
    const plan = planCompaction({ turns: [...settled, ...recent], truncated: false }, 10_000, 10, now)!;
    expect(plan.older).toEqual(settled);
    expect(plan.tail).toEqual(recent);
  });

  it('waits while the turns it would fold are still settling', () => {
    const now = 1_000_000;
    const burst = Array.from({ length: 10 }, (_, i) => turnOf(now - 5_000 + i, 10));
    expect(planCompaction({ turns: burst, truncated: true }, 10_000, 10, now)).toBeUndefined();
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
});
