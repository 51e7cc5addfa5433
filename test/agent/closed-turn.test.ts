import type { ModelMessage } from 'ai';
import { describe, expect, it, vi } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { closedTurn, ENDED_AFTER_TOOLS, NOT_RUN_RESULT, withResultForEveryCall } from '../../agent/closed-turn.ts';
import { useReplayRuntime } from '../helpers/local-runtime.ts';
import { bedrockConverse, deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer, stubBedrockCredentials } from '../stand-ins/replay-model-server.ts';

const delivery = { chatId: 4242, userId: '77' };

describe('a step that wrote a tool call and ended before it could run', () => {
  const runtimeOn = useReplayRuntime();

  // DeepSeek's finish reasons (Chat Completion API reference, checked 2026-12-03): the SDK runs tools only after
  // "stop" or "tool_calls".
  it.each(['insufficient_system_resource', 'content_filter', 'length'] as const)('leaves the chat working after DeepSeek ends one with %s', async (finishReason) => {
    const server = await new ReplayModelServer()
      .enqueue([
        { response: deepseekCompletion({ content: 'Let me look.', reasoning: 'check the skills', toolCalls: [{ id: 'call_00_x', name: 'skills_list', arguments: {} }], finishReason }) },
        { response: deepseekThinkingText('You have no skills yet.') },
      ])
      .start();
    const runtime = await runtimeOn(server, { env: { HERMES_MODEL_RETRIES: '0' } });
    await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'which skills?', receivedAt: 1_000 });
    const next = await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello again', receivedAt: 200_000 });
    expect(next.text).toBe('You have no skills yet.');
    // The call goes back with its reasoning (DeepSeek refuses it without) and a result saying it never ran.
    const messages = (server.requests[1]!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages.find((message) => message.tool_calls)).toMatchObject({ reasoning_content: 'check the skills' });
    expect(messages.find((message) => message.role === 'tool')).toMatchObject({ tool_call_id: 'call_00_x', content: expect.stringContaining(NOT_RUN_RESULT) });
  });

  it('leaves the chat working after Bedrock ends one at max_tokens', async () => {
    stubBedrockCredentials(vi.stubEnv);
    const server = await new ReplayModelServer()
      .enqueue([
        { response: bedrockConverse({ text: 'Let me look.', toolUses: [{ toolUseId: 'tooluse_1', name: 'skills_list', input: {} }], stopReason: 'max_tokens' }) },
        { response: bedrockConverse({ text: 'You have no skills yet.' }) },
      ])
      .start();
    const runtime = await runtimeOn(server, { provider: 'bedrock', env: { HERMES_MODEL_RETRIES: '0' } });
    await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'which skills?', receivedAt: 1_000 });
    const next = await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello again', receivedAt: 200_000 });
    expect(next.text).toBe('You have no skills yet.');
    expect(JSON.stringify(server.requests[1]!.body)).toContain(NOT_RUN_RESULT);
  });

  it('closes a turn cut off at the step limit after a tool step with the words the chat was sent, so Claude with thinking takes the next', async () => {
    stubBedrockCredentials(vi.stubEnv);
    const server = await new ReplayModelServer()
      .enqueue([
        { response: bedrockConverse({ reasoning: { text: 'look', signature: 'sig-1' }, text: 'Let me look.', toolUses: [{ toolUseId: 'tooluse_1', name: 'skills_list', input: {} }], stopReason: 'tool_use' }) },
        { response: bedrockConverse({ reasoning: { text: 'greet', signature: 'sig-2' }, text: 'Hello.' }) },
      ])
      .start();
    const runtime = await runtimeOn(server, { provider: 'bedrock', env: { HERMES_MODEL_RETRIES: '0', HERMES_MAX_STEPS: '1' } });
    const first = await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'which skills?', receivedAt: 1_000 });
    const [stored] = (await runtime.sessions.loadWindow('tg:1', 5)).turns;
    expect(stored!.messages.at(-1)).toEqual({ role: 'assistant', content: first.text });
    expect((await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello again', receivedAt: 200_000 })).text).toBe('Hello.');
  });

  it('mends a turn an earlier version stored with such a call, so its chat answers again', async () => {
    const server = await new ReplayModelServer().enqueue([{ response: deepseekThinkingText('Hello!') }]).start();
    const runtime = await runtimeOn(server, { env: { HERMES_MODEL_RETRIES: '0' } });
    await runtime.sessions.appendTurn('tg:1', {
      id: '000000000001000#old',
      at: 1_000,
      messages: [
        { role: 'user', content: 'which skills?' },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'check the skills' }, { type: 'tool-call', toolCallId: 'call_00_x', toolName: 'skills_list', input: {} }] },
      ],
    });
    expect((await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello again', receivedAt: 200_000 })).text).toBe('Hello!');
  });

  it('closes a turn an earlier version stored ending on tool results, so Claude with thinking takes the next', async () => {
    stubBedrockCredentials(vi.stubEnv);
    const server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ reasoning: { text: 'greet', signature: 'sig-2' }, text: 'Hello.' }) }]).start();
    const runtime = await runtimeOn(server, { provider: 'bedrock', env: { HERMES_MODEL_RETRIES: '0' } });
    await runtime.sessions.appendTurn('tg:1', {
      id: '000000000001000#old',
      at: 1_000,
      messages: [
        { role: 'user', content: 'which skills?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'skills_list', input: {} }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_1', toolName: 'skills_list', output: { type: 'json', value: [] } }] },
      ],
    });
    expect((await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello again', receivedAt: 200_000 })).text).toBe('Hello.');
    expect(JSON.stringify(server.requests[0]!.body)).toContain(ENDED_AFTER_TOOLS);
  });
});

describe('withResultForEveryCall', () => {
  it('leaves a history whose calls all have results as it is', () => {
    const complete: ModelMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'a', toolName: 'skills_list', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'skills_list', output: { type: 'json', value: [] } }] },
      { role: 'assistant', content: 'none' },
    ];
    expect(withResultForEveryCall(complete)).toBe(complete);
  });

  it('gives the calls a step left without results theirs, before the message that follows them', () => {
    const partial: ModelMessage[] = [
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'a', toolName: 'memory', input: {} }, { type: 'tool-call', toolCallId: 'b', toolName: 'cronjob', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'memory', output: { type: 'text', value: 'saved' } }] },
      { role: 'assistant', content: 'done' },
    ];
    const mended = withResultForEveryCall(partial);
    expect(mended.map((message) => message.role)).toEqual(['assistant', 'tool', 'tool', 'assistant']);
    expect(mended[2]).toEqual({ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', toolName: 'cronjob', output: { type: 'error-text', value: NOT_RUN_RESULT } }] });
  });
});

describe('closedTurn', () => {
  it('ends a turn that ends on tool results with the words given, and leaves one the assistant ends as it is', () => {
    const open: ModelMessage[] = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'a', toolName: 'skills_list', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'skills_list', output: { type: 'json', value: [] } }] },
    ];
    expect(closedTurn(open, 'Stopped after one step.').at(-1)).toEqual({ role: 'assistant', content: 'Stopped after one step.' });
    const closed: ModelMessage[] = [...open, { role: 'assistant', content: 'none' }];
    expect(closedTurn(closed)).toBe(closed);
  });
});
