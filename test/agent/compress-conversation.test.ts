import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { SETTLED_AFTER_MS } from '../../agent/compaction.ts';
import { COMPRESSED_NOTE, compressConversation } from '../../agent/compress-conversation.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { totalTokens } from '../../agent/ports/usage-store.ts';
import { ModelError } from '../../tools/errors.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel, textResult } from '../stand-ins/mock-model.ts';

const delivery = { chatId: 1, userId: 'u' };
const HOUR = 3_600_000;

describe('/compress: the conversation folded into its summary now', () => {
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  let prompts: string[];
  let summaryCalls: number;

  afterEach(() => cleanup?.());

  async function chatWith(turns: number, { startedAgo = HOUR, env = {} }: { startedAgo?: number; env?: Record<string, string> } = {}) {
    const model = echoModel();
    prompts = [];
    summaryCalls = 0;
    model.doGenerate = async (options: LanguageModelV4CallOptions) => {
      const prompt = JSON.stringify(options.prompt);
      prompts.push(prompt);
      if (prompt.includes('running summary')) {
        summaryCalls += 1;
        return textResult('The user likes apples and lives in Lyon.');
      }
      return textResult('ok');
    };
    ({ runtime, cleanup } = await makeLocalRuntime({ model, env }));
    const start = Date.now() - startedAgo;
    for (let index = 0; index < turns; index += 1) {
      await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: `message ${index} ${'words '.repeat(50)}`, receivedAt: start + index * 1_000, eventId: `e${index}` });
    }
  }

  it('folds all but the last two exchanges, and the next message sends the summary in their place', async () => {
    await chatWith(6);
    const result = await compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'compress-1' });
    expect(result).toMatchObject({ status: 'compressed', folded: 4, kept: 2 });
    if (result.status !== 'compressed') return;
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore);
    const window = await runtime.sessions.loadWindow('tg:1', 20);
    expect(window.summary?.text).toBe('The user likes apples and lives in Lyon.');
    expect(window.turns.map((turn) => turn.messages[0]!.content)).toEqual([expect.stringMatching(/^message 4/), expect.stringMatching(/^message 5/), '/compress']);

    await runTurn(runtime, { sessionKey: 'tg:1', userId: 'u', delivery, text: 'and now?', receivedAt: Date.now() + 1_000 });
    const next = prompts.at(-1)!;
    expect(next).toContain('The user likes apples and lives in Lyon.');
    expect(next).toContain(COMPRESSED_NOTE);
    expect(next).not.toContain('message 3');
    expect(next).toContain('message 4');
  });

  it('does not summarize twice for the same command delivered again', async () => {
    await chatWith(6);
    const request = { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'compress-1' };
    await compressConversation(runtime, request);
    expect(await compressConversation(runtime, request)).toEqual({ status: 'repeated' });
    expect(summaryCalls).toBe(1);
  });

  it('has nothing to fold in a short conversation, or one whose older exchanges were only just answered', async () => {
    await chatWith(2);
    expect(await compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'c' })).toEqual({ status: 'nothing' });
    await cleanup();
    await chatWith(6, { startedAgo: SETTLED_AFTER_MS / 2 });
    expect(await compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'c' })).toEqual({ status: 'nothing' });
    expect(summaryCalls).toBe(0);
  });

  it('brings the folded exchanges back when the command is undone', async () => {
    await chatWith(6);
    await compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'compress-1' });
    await runtime.sessions.removeLastTurn('tg:1');
    const window = await runtime.sessions.loadWindow('tg:1', 20);
    expect(window.summary).toBeUndefined();
    expect(window.turns).toHaveLength(6);
  });

  it('leaves the conversation as it was when the summary call fails, saying why in its own words', async () => {
    await chatWith(6);
    runtime.model = { ...runtime.model as object, doGenerate: () => Promise.reject(new Error('socket hang up')) } as unknown as Runtime['model'];
    await expect(compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'c' })).rejects.toThrow(
      new ModelError('The summary could not be made: the request failed.'),
    );
    expect((await runtime.sessions.loadWindow('tg:1', 20)).turns).toHaveLength(6);
  });

  it('makes no summary call for a user past the daily token budget, saying so', async () => {
    await chatWith(6, { env: { HERMES_DAILY_TOKEN_BUDGET: '50' } });
    const result = await compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'c' });
    expect(result).toMatchObject({ status: 'over-budget', text: expect.stringMatching(/daily allowance of 50 model tokens/) });
    expect(summaryCalls).toBe(0);
  });

  it('counts the summary against the user’s tokens', async () => {
    await chatWith(6);
    const before = (await runtime.usage.read('u', '2000-01-01', '2999-12-31')).reduce((sum, day) => sum + totalTokens(day), 0);
    await compressConversation(runtime, { sessionKey: 'tg:1', userId: 'u', receivedAt: Date.now(), eventId: 'c' });
    const after = (await runtime.usage.read('u', '2000-01-01', '2999-12-31')).reduce((sum, day) => sum + totalTokens(day), 0);
    expect(after).toBeGreaterThan(before);
  });
});
