import { describe, expect, it, vi } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { loadConfig } from '../../agent/config.ts';
import { JsonLogger } from '../../agent/logger.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { TOOL_GUIDANCE } from '../../agent/system-prompt.ts';
import { timeStamp } from '../../agent/turn-rendering.ts';
import { useReplayRuntime } from '../helpers/local-runtime.ts';
import { bedrockConverse, deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer, stubBedrockCredentials } from '../stand-ins/replay-model-server.ts';

const delivery = { chatId: 7, userId: '77' };
type Message = { role: string; content: unknown; [key: string]: unknown };
type ChatBody = { messages: Message[]; tools: unknown[] };

describe('a request laid out for the provider cache', () => {
  let server: ReplayModelServer;
  let runtime: Runtime;
  const runtimeOn = useReplayRuntime();

  it('keeps every earlier request of the chat a byte-identical prefix, tool steps and later turns alike', async () => {
    server = await new ReplayModelServer()
      .enqueue([
        { response: deepseekCompletion({ reasoning: 'Save it.', toolCalls: [{ id: 'call_00_m', name: 'memory', arguments: { action: 'add', target: 'user', content: 'Lives in Lyon' } }] }) },
        { response: deepseekThinkingText('Noted.') },
        { response: deepseekThinkingText('Lyon.') },
        { response: deepseekThinkingText('Sure.') },
      ])
      .start();
    runtime = await runtimeOn(server, { env: { HERMES_TIMEZONE: 'Europe/Paris' } });
    await runtime.memory.add('77', 'memory', 'User likes short answers');
    const sent = Date.UTC(2026, 11, 1, 21, 5, 42);
    await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'I live in Lyon', receivedAt: sent });
    await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'where do I live?', receivedAt: sent + 60_000 });
    await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'thanks', receivedAt: sent + 120_000 });

    expect(server.failures).toEqual([]);
    const bodies = server.requests.map((request) => request.body as ChatBody);
    // The memory saved in the first turn changes the snapshot once, between turn 1 and turn 2.
    for (const [earlier, later] of [[0, 1], [2, 3]] as const) {
      expect(JSON.stringify(bodies[later]!.tools)).toBe(JSON.stringify(bodies[earlier]!.tools));
      expect(bodies[later]!.messages.slice(0, bodies[earlier]!.messages.length)).toEqual(bodies[earlier]!.messages);
    }
    const system = String(bodies[3]!.messages[0]!.content);
    expect(system).not.toMatch(/\d{2}:\d{2}/);
    expect(system).toContain('Lives in Lyon');
    expect(bodies[0]!.messages.at(-1)).toEqual({ role: 'user', content: '[Tue 2026-12-01 22:05] I live in Lyon' });
    expect(bodies[3]!.messages.at(-1)).toEqual({ role: 'user', content: '[Tue 2026-12-01 22:07] thanks' });
    const stored = (await runtime.sessions.loadWindow('tg:7', 5)).turns.map((turn) => turn.messages[0]);
    expect(stored).toEqual([
      { role: 'user', content: 'I live in Lyon' },
      { role: 'user', content: 'where do I live?' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('puts guidance for memory, recall, skills and scheduling after the persona, before anything that changes', async () => {
    server = await new ReplayModelServer().enqueue([{ response: deepseekThinkingText('Hi.') }]).start();
    runtime = await runtimeOn(server);
    await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'hi', receivedAt: Date.now() });
    const system = String((server.requests[0]!.body as ChatBody).messages[0]!.content);
    expect(system.indexOf(TOOL_GUIDANCE)).toBeGreaterThan(0);
    for (const tool of ['memory(add)', 'memory_recall', 'skill_view', 'cronjob']) expect(TOOL_GUIDANCE).toContain(tool);
  });

  it('marks Bedrock cache points after the system prompt and after the history, and accounts cached tokens per turn', async () => {
    stubBedrockCredentials(vi.stubEnv);
    server = await new ReplayModelServer()
      .enqueue([
        { response: bedrockConverse({ text: 'Hello!', inputTokens: 2100, outputTokens: 12, cacheReadInputTokens: 0 }) },
        { response: bedrockConverse({ text: 'Again.', inputTokens: 300, outputTokens: 9, cacheReadInputTokens: 1900 }) },
      ])
      .start();
    runtime = await runtimeOn(server, { provider: 'bedrock' });
    const lines: string[] = [];
    runtime = { ...runtime, log: new JsonLogger([], (line) => lines.push(line), 'info') };
    await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'hi', receivedAt: 1_000 });
    const second = await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'hi again', receivedAt: 2_000 });

    const body = server.requests[1]!.body as { system: unknown[]; messages: Array<{ content: unknown[] }> };
    // Kept for the hour Claude 4.5 and later offer: a personal chat's messages are often more than 5 minutes apart.
    expect(body.system.at(-1)).toEqual({ cachePoint: { type: 'default', ttl: '1h' } });
    expect(body.messages.at(-2)!.content.at(-1)).toEqual({ cachePoint: { type: 'default', ttl: '1h' } });
    expect(JSON.stringify(body.messages.at(-1)!.content)).not.toContain('cachePoint');
    expect(second.usage).toEqual({ cachedInputTokens: 1900, uncachedInputTokens: 300, outputTokens: 9, reasoningTokens: 0 });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ message: 'turn done', cachedInputTokens: 1900, uncachedInputTokens: 300, outputTokens: 9 });
  });

  it.each([
    ['a model that keeps a cache 5 minutes only (Nova)', { HERMES_MODEL: 'amazon.nova-pro-v1:0' }],
    ['HERMES_PROMPT_CACHE_TTL=5m', { HERMES_PROMPT_CACHE_TTL: '5m' }],
  ])('asks no hour of the cache for %s', async (_case, env) => {
    stubBedrockCredentials(vi.stubEnv);
    server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ text: 'Hello!' }) }]).start();
    runtime = await runtimeOn(server, { provider: 'bedrock', env });
    await runTurn(runtime, { sessionKey: 'tg:8', userId: '77', delivery, text: 'hi', receivedAt: 1_000 });
    expect((server.requests[0]!.body as { system: unknown[] }).system.at(-1)).toEqual({ cachePoint: { type: 'default' } });
  });

  it('accounts DeepSeek cache hits and misses, and the tool steps of a turn together', async () => {
    server = await new ReplayModelServer()
      .enqueue([
        { response: deepseekCompletion({ reasoning: 'List.', toolCalls: [{ id: 'call_00_l', name: 'skills_list', arguments: {} }], promptTokens: 2000, cachedTokens: 1920, completionTokens: 10 }) },
        { response: deepseekCompletion({ content: 'None.', reasoning: 'Done.', promptTokens: 2100, cachedTokens: 1984, completionTokens: 5 }) },
      ])
      .start();
    runtime = await runtimeOn(server);
    const turn = await runTurn(runtime, { sessionKey: 'tg:7', userId: '77', delivery, text: 'skills?', receivedAt: 1_000 });
    expect(turn.usage).toEqual({ cachedInputTokens: 3904, uncachedInputTokens: 196, outputTokens: 10 + 2 + 5 + 2, reasoningTokens: 4 });
  });

  it('keeps at least ten exchanges verbatim by default', () => {
    expect(loadConfig({}).windowTurns).toBe(20);
  });

  it('stamps to the minute in the configured zone', () => {
    expect(timeStamp(Date.UTC(2026, 2, 29, 0, 59, 59), 'Europe/Berlin')).toBe('[Sun 2026-03-29 01:59]');
    expect(timeStamp(Date.UTC(2026, 2, 29, 1, 0, 0), 'Europe/Berlin')).toBe('[Sun 2026-03-29 03:00]');
  });
});
