import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runTurn, STOPPED_NOTE, UNFINISHED_AFTER_TOOLS } from '../../agent/agent-loop.ts';
import { DEFAULT_MODELS } from '../../agent/providers.ts';
import { ModelError } from '../../tools/errors.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { makeLocalRuntime, useReplayRuntime } from '../helpers/local-runtime.ts';
import { MockLanguageModelV4 } from 'ai/test';
import type { MemoryStore } from '../../tools/ports/memory-store.ts';
import { echoModel, textResult } from '../stand-ins/mock-model.ts';
import { bedrockConverse, deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer, stubBedrockCredentials } from '../stand-ins/replay-model-server.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'models');
const delivery = { chatId: 4242, userId: '77' };

describe('agent loop with real provider packages against recorded responses', () => {
  let server: ReplayModelServer;
  let runtime: Runtime;

  const runtimeOn = useReplayRuntime();

  it('DeepSeek: calls cronjob, feeds the result back, answers, and stores the whole turn', async () => {
    server = await ReplayModelServer.fromFiles(join(fixtures, 'deepseek-cron-create.json'));
    runtime = await runtimeOn(server, { provider: 'deepseek' });

    const turn = await runTurn(runtime, { sessionKey: 'tg:4242', userId: '77', delivery, text: 'remind me to stretch in 30 minutes', receivedAt: Date.now() });

    expect(server.failures).toEqual([]);
    expect(server.remaining).toBe(0);
    expect(turn.text).toBe("Done — I'll remind you to **stretch** in 30 minutes.");
    expect(turn.toolCalls).toEqual(['cronjob']);
    const jobs = await runtime.scheduler.list(4242);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ name: 'stretch', prompt: 'Remind the user to stretch.', schedule: { kind: 'once' } });

    const first = server.requests[0]!;
    expect(first.path).toBe('/chat/completions');
    expect(first.headers.authorization).toBe('Bearer sk-test-replay');
    const body = first.body as { model: string; tools: Array<{ function: { name: string } }>; messages: Array<{ role: string; content: string }> };
    expect(body.model).toBe('deepseek-flash');
    expect(body.tools.map((t) => t.function.name).sort()).toEqual(['cronjob', 'media_view', 'memory', 'memory_recall', 'skill_manage', 'skill_view', 'skills_list']);
    expect(body.messages[0]!.role).toBe('system');

    const window = await runtime.sessions.loadWindow('tg:4242', 10);
    expect(window.turns).toHaveLength(1);
    expect(window.turns[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
  });

  it('Bedrock: same loop through the Converse API, saving memory for the user', async () => {
    stubBedrockCredentials(vi.stubEnv);
    server = await ReplayModelServer.fromFiles(join(fixtures, 'bedrock-memory-save.json'));
    runtime = await runtimeOn(server, { provider: 'bedrock' });

    const turn = await runTurn(runtime, { sessionKey: 'tg:4242', userId: '77', delivery, text: 'I am vegetarian', receivedAt: Date.now() });

    expect(server.failures).toEqual([]);
    expect(turn.text).toContain("Noted: you're vegetarian.");
    expect((await runtime.memory.list('77', 'user')).map((e) => e.text)).toEqual(['Is vegetarian']);
    const first = server.requests[0]!;
    expect(first.path).toBe(`/model/${encodeURIComponent(DEFAULT_MODELS.bedrock)}/converse`);
    expect(String(first.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDREPLAY\//);
  });

  it('sends the stored history and the memory snapshot with the next turn', async () => {
    server = await ReplayModelServer.fromFiles(join(fixtures, 'deepseek-cron-create.json'));
    server.enqueue([
      {
        requestContains: ['remind me to stretch in 30 minutes', 'call_00_stretch', 'Prefers metric units', 'what did I ask?'],
        response: deepseekThinkingText('You asked for a stretch reminder.'),
      },
    ]);
    runtime = await runtimeOn(server, { provider: 'deepseek' });
    await runtime.memory.add('77', 'user', 'Prefers metric units');
    await runTurn(runtime, { sessionKey: 'tg:4242', userId: '77', delivery, text: 'remind me to stretch in 30 minutes', receivedAt: Date.now() });
    const second = await runTurn(runtime, { sessionKey: 'tg:4242', userId: '77', delivery, text: 'what did I ask?', receivedAt: Date.now() + 1 });
    expect(server.failures).toEqual([]);
    expect(second.text).toBe('You asked for a stretch reminder.');
  });

  it('keeps the user message and raises a ModelError when the provider fails', async () => {
    server = new ReplayModelServer().enqueue([{ status: 500, response: { error: { message: 'upstream exploded', type: 'server_error' } } }]);
    await server.start();
    runtime = await runtimeOn(server, { provider: 'deepseek', env: { HERMES_MODEL_RETRIES: '0' } });

    await expect(runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello?', receivedAt: Date.now() })).rejects.toBeInstanceOf(ModelError);
    const window = await runtime.sessions.loadWindow('tg:1', 10);
    expect(window.turns.map((t) => t.messages)).toEqual([[{ role: 'user', content: 'hello?' }]]);
  });

  it.each([
    ['content_filter', "its provider's content filter withheld the answer"],
    ['stop', 'it returned an empty answer'],
  ] as const)('takes an empty answer ending in %s for no answer: a ModelError, and the request kept', async (finishReason, reason) => {
    server = new ReplayModelServer().enqueue([{ response: deepseekCompletion({ content: '', reasoning: 'Thinking about it.', finishReason }) }]);
    await server.start();
    runtime = await runtimeOn(server, { provider: 'deepseek', env: { HERMES_MODEL_RETRIES: '0' } });

    const sent: string[] = [];
    await expect(runTurn(runtime, { sessionKey: 'tg:2', userId: '77', delivery, text: 'tell me', receivedAt: Date.now(), deliver: async (text) => void sent.push(text) })).rejects.toThrow(
      `The model did not answer: ${reason}.`,
    );
    expect(sent).toEqual([]);
    const window = await runtime.sessions.loadWindow('tg:2', 10);
    expect(window.turns.map((t) => t.messages)).toEqual([[{ role: 'user', content: 'tell me' }]]);
  });

  it.each([
    ['content_filter', STOPPED_NOTE.filtered],
    ['insufficient_system_resource', STOPPED_NOTE.unfinished],
  ] as const)('says an answer ending in %s may be incomplete', async (finishReason, note) => {
    server = new ReplayModelServer().enqueue([{ response: deepseekCompletion({ content: 'The first half of the story', reasoning: 'Writing.', finishReason }) }]);
    await server.start();
    runtime = await runtimeOn(server, { provider: 'deepseek' });

    const turn = await runTurn(runtime, { sessionKey: 'tg:3', userId: '77', delivery, text: 'tell me a story', receivedAt: Date.now() });
    expect(turn.text).toBe(`The first half of the story\n\n${note}`);
  });
});

describe('an answer Bedrock ends as the context window fills', () => {
  const runtimeOn = useReplayRuntime();

  it('says the conversation filled what the model reads, and how to start afresh, not that the provider gave no reason', async () => {
    stubBedrockCredentials(vi.stubEnv);
    const server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ text: 'The first half of the plan', stopReason: 'model_context_window_exceeded' }) }]).start();
    const runtime = await runtimeOn(server, { provider: 'bedrock' });
    const turn = await runTurn(runtime, { sessionKey: 'tg:ctx', userId: '77', delivery, text: 'plan my week', receivedAt: Date.now() });
    expect(turn.stopped).toBe('context-full');
    expect(turn.text).toBe(`The first half of the plan\n\n${STOPPED_NOTE['context-full']}`);
  });

  it('does not ask to try again when the window filled before a word was written, as that fills it again', async () => {
    stubBedrockCredentials(vi.stubEnv);
    const server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ reasoning: { text: 'So much to weigh.', signature: 'sig-ctx' }, stopReason: 'model_context_window_exceeded' }) }]).start();
    const runtime = await runtimeOn(server, { provider: 'bedrock' });
    const failed = await runTurn(runtime, { sessionKey: 'tg:ctx2', userId: '77', delivery, text: 'plan my year', receivedAt: Date.now() }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ModelError);
    expect((failed as ModelError).message).toMatch(/filled what it can read at once; \/compress folds it into a summary, and \/new starts afresh/);
    expect((failed as ModelError).lasting).toBe(true);
  });
});

describe('a model that fails after tools ran', () => {
  it('stores what the tools did with the request, so trying again does not do it twice', async () => {
    let calls = 0;
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        if (calls++ > 0) throw new Error('upstream exploded');
        return {
          content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'memory', input: JSON.stringify({ action: 'add', target: 'user', content: 'Prefers tea' }) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } },
          warnings: [],
        };
      },
    });
    const { runtime, cleanup } = await makeLocalRuntime({ model, env: { HERMES_MODEL_RETRIES: '0' } });
    try {
      await expect(runTurn(runtime, { sessionKey: 'tg:6', userId: '77', delivery, text: 'remember I prefer tea', receivedAt: Date.now() })).rejects.toBeInstanceOf(ModelError);
      const [turn] = (await runtime.sessions.loadWindow('tg:6', 10)).turns;
      expect(turn!.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
      expect(turn!.messages.at(-1)).toEqual({ role: 'assistant', content: UNFINISHED_AFTER_TOOLS });
      expect((await runtime.memory.list('77', 'user')).map((entry) => entry.text)).toEqual(['Prefers tea']);
    } finally {
      await cleanup();
    }
  });
});

describe('a store the turn reads first, failing', () => {
  it('answers without memory and the skills index while their stores fail, and tells the model they are not available', async () => {
    const model = echoModel();
    const { runtime, cleanup } = await makeLocalRuntime({ model });
    try {
      const throttled = () => Promise.reject(new Error('ThrottlingException: Rate exceeded'));
      runtime.memory.list = throttled;
      runtime.skills.offered = throttled;
      const turn = await runTurn(runtime, { sessionKey: 'tg:5', userId: '77', delivery, text: 'what do you know about me?', receivedAt: Date.now() });
      expect(turn.text).toBe('ok');
      const system = JSON.stringify(model.doGenerateCalls[0]!.prompt.find((message) => message.role === 'system'));
      expect(system).toContain('## Not available just now');
      expect(system).toContain('Your memory notes and the user profile could not be read for this answer.');
      expect(system).toContain('The skills index could not be read for this answer');
      expect((await runtime.sessions.loadWindow('tg:5', 10)).turns).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});

describe('agent loop limits', () => {
  let server: ReplayModelServer;
  const runtimeOn = useReplayRuntime();

  it('stops at the soft deadline after the current step and says so', async () => {
    const toolCall = deepseekCompletion({ reasoning: 'Listing the skills answers this.', toolCalls: [{ id: 'c1', name: 'skills_list', arguments: {} }] });
    server = await new ReplayModelServer().enqueue([{ response: toolCall }]).start();
    let runtime: Runtime;
    runtime = await runtimeOn(server);
    const turn = await runTurn(runtime, { sessionKey: 'tg:2', userId: '77', delivery, text: 'list skills', receivedAt: Date.now(), softDeadline: Date.now() - 1 });
    expect(turn.stopped).toBe('deadline');
    expect(turn.text).toMatch(/ran out of time/);
    expect(server.requests).toHaveLength(1);
    const stored = (await runtime.sessions.loadWindow('tg:2', 5)).turns[0]!.messages;
    // Closed with what the chat was sent: a turn ending on tool results would merge with the next message.
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(stored.at(-1)).toEqual({ role: 'assistant', content: turn.text });
  });
});

describe('a stop while the turn runs', () => {
  const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
  const memoryAdd = (id: string, content: string) => ({ type: 'tool-call' as const, toolCallId: id, toolName: 'memory', input: JSON.stringify({ action: 'add', target: 'user', content }) });

  it('lets the tools of a step finish and keeps the step, so what they did stays in the history', async () => {
    let stopPressed = false;
    const model = new MockLanguageModelV4({
      doGenerate: async () => ({ content: [memoryAdd('m1', 'Is vegetarian'), memoryAdd('m2', 'Lives in Lyon')], finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [] }),
    });
    const { runtime, cleanup } = await makeLocalRuntime({ model });
    try {
      const memory = runtime.memory;
      const slowMemory: MemoryStore = Object.assign(Object.create(memory) as MemoryStore, {
        // The user presses stop while the first save is under way, and the stop watch sees it before it ends.
        add: async (...args: Parameters<MemoryStore['add']>) => {
          if (!stopPressed) {
            stopPressed = true;
            await new Promise((resolve) => setTimeout(resolve, 2_500));
          }
          return memory.add(...args);
        },
      });
      const turn = await runTurn({ ...runtime, memory: slowMemory }, { sessionKey: 'tg:stop-tools', userId: '77', delivery, text: 'remember this', receivedAt: Date.now(), shouldStop: () => stopPressed });
      expect(turn.stopped).toBe('stopped');
      expect(turn.toolCalls).toEqual(['memory', 'memory']);
      expect((await memory.list('77', 'user')).map((entry) => entry.text)).toEqual(['Is vegetarian', 'Lives in Lyon']);
      expect((await runtime.sessions.loadWindow('tg:stop-tools', 5)).turns[0]!.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    } finally {
      await cleanup();
    }
  });

  it('records a request stopped before any answer as stopped, so the next turn does not take it as still to do', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: async ({ abortSignal }) => {
        await new Promise<void>((resolve) => abortSignal?.addEventListener('abort', () => resolve(), { once: true }));
        abortSignal?.throwIfAborted();
        return textResult('never');
      },
    });
    const { runtime, cleanup } = await makeLocalRuntime({ model });
    try {
      const turn = await runTurn(runtime, { sessionKey: 'tg:stop-early', userId: '77', delivery, text: 'delete all my reminders', receivedAt: Date.now(), shouldStop: () => true });
      expect(turn.text).toBe('Stopped, as you asked.');
      const [stored] = (await runtime.sessions.loadWindow('tg:stop-early', 5)).turns;
      expect(stored!.messages).toEqual([expect.objectContaining({ role: 'user' }), { role: 'assistant', content: 'Stopped, as you asked.' }]);
    } finally {
      await cleanup();
    }
  });
});
