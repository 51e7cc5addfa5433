import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { afterEach, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel, textResult } from '../stand-ins/mock-model.ts';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
let cleanup: (() => Promise<void>) | undefined;
afterEach(() => cleanup?.());

/** A first step that asks for `calls` tool calls at once, as models do for "remind me of these three things". */
function parallelCalls(calls: Array<{ toolName: string; input: object }>) {
  const model = echoModel();
  let step = 0;
  model.doGenerate = async (_options: LanguageModelV4CallOptions) => {
    if (step++ > 0) return textResult('Done.');
    return {
      content: calls.map((call, index) => ({ type: 'tool-call' as const, toolCallId: `call-${index}`, toolName: call.toolName, input: JSON.stringify(call.input) })),
      finishReason: { unified: 'tool-calls' as const, raw: 'tool_calls' },
      usage,
      warnings: [],
    };
  };
  return model;
}

async function runtimeWith(model: ReturnType<typeof echoModel>, env: Record<string, string>): Promise<Runtime> {
  const made = await makeLocalRuntime({ model, env });
  cleanup = made.cleanup;
  return made.runtime;
}

it('holds the jobs-per-chat limit when one step asks for several jobs at once', async () => {
  const model = parallelCalls(Array.from({ length: 4 }, (_, index) => ({ toolName: 'cronjob', input: { action: 'create', prompt: `task ${index}`, schedule: 'every 1h' } })));
  const runtime = await runtimeWith(model, { HERMES_MAX_JOBS_PER_CHAT: '2' });
  await runTurn(runtime, { sessionKey: 'tg:5', userId: '77', delivery: { chatId: 5, userId: '77' }, text: 'four reminders please', receivedAt: Date.now() });
  expect(await runtime.scheduler.list(5)).toHaveLength(2);
});

it('holds the memory budget when one step saves several entries at once', async () => {
  const entry = (index: number) => ({ toolName: 'memory', input: { action: 'add', target: 'user', content: `${index}: ${'x'.repeat(600)}` } });
  const model = parallelCalls([entry(1), entry(2), entry(3)]);
  const runtime = await runtimeWith(model, {});
  await runTurn(runtime, { sessionKey: 'tg:6', userId: '78', delivery: { chatId: 6, userId: '78' }, text: 'remember all of this', receivedAt: Date.now() });
  expect(await runtime.memory.list('78', 'user')).toHaveLength(2);
});
