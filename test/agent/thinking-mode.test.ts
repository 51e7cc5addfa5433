import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it, vi } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { summarize } from '../../agent/compaction.ts';
import { reasoningSettings } from '../../agent/providers.ts';
import { ModelError } from '../../tools/errors.ts';
import { JsonLogger } from '../../agent/logger.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { turnId } from '../../agent/session-keys.ts';
import { useReplayRuntime } from '../helpers/local-runtime.ts';
import { textResult } from '../stand-ins/mock-model.ts';
import { bedrockConverse, deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer, stubBedrockCredentials } from '../stand-ins/replay-model-server.ts';

const delivery = { chatId: 4242, userId: '77' };
const REASONING = 'PRIVATE-CHAIN-OF-THOUGHT: the user wants the list of skills, so call skills_list.';

type ChatBody = { thinking?: { type: string }; reasoning_effort?: string; max_tokens?: number; messages: Array<Record<string, unknown>> };

describe('thinking mode with DeepSeek V4', () => {
  let server: ReplayModelServer;
  let runtime: Runtime;
  const runtimeOn = useReplayRuntime();

  const turn = (text: string, at: number) => runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text, receivedAt: at });

  it('sends a tool call back with its reasoning in the same turn and in later turns, and shows the reasoning to nobody', async () => {
    server = await new ReplayModelServer()
      .enqueue([
        { response: deepseekCompletion({ reasoning: REASONING, toolCalls: [{ id: 'call_00_list', name: 'skills_list', arguments: {} }] }) },
        { requestContains: ['call_00_list'], response: deepseekThinkingText('You have no skills yet.', 'PRIVATE: no skills came back.') },
        { requestContains: ['and now?'], response: deepseekThinkingText('Still none.', 'PRIVATE: nothing changed.') },
      ])
      .start();
    runtime = await runtimeOn(server);
    const lines: string[] = [];
    runtime = { ...runtime, log: new JsonLogger([], (line) => lines.push(line), 'info') };

    const first = await turn('which skills do I have?', 1_000);
    const second = await turn('and now?', 2_000);

    expect(server.failures).toEqual([]);
    const bodies = server.requests.map((request) => request.body as ChatBody);
    expect(bodies.map((body) => [body.thinking?.type, body.reasoning_effort, body.max_tokens])).toEqual(Array(3).fill(['enabled', 'low', 8192]));
    const toolCalling = (body: ChatBody) => body.messages.find((message) => message.role === 'assistant' && message.tool_calls);
    expect(toolCalling(bodies[1]!)?.reasoning_content).toBe(REASONING);
    expect(toolCalling(bodies[2]!)?.reasoning_content).toBe(REASONING);
    for (const text of [first.text, second.text, ...lines]) expect(text).not.toContain('PRIVATE');
  });

  it('is refused by the stand-in, as by DeepSeek, when a stored tool call lost its reasoning', async () => {
    server = await new ReplayModelServer()
      .enqueue([
        { response: deepseekCompletion({ reasoning: REASONING, toolCalls: [{ id: 'call_00_list', name: 'skills_list', arguments: {} }] }) },
        { response: deepseekThinkingText('No skills yet.') },
        { response: deepseekThinkingText('never sent') },
      ])
      .start();
    runtime = await runtimeOn(server, { env: { HERMES_MODEL_RETRIES: '0' } });
    await turn('which skills do I have?', 1_000);
    const [stored] = (await runtime.sessions.loadWindow('tg:1', 5)).turns;
    const stripped = stored!.messages.map((message) =>
      message.role === 'assistant' && Array.isArray(message.content) ? { ...message, content: message.content.filter((part) => part.type !== 'reasoning') } : message,
    );
    const other = 'tg:2';
    await runtime.sessions.appendTurn(other, { id: turnId(1_000), at: 1_000, messages: stripped });

    await expect(runTurn(runtime, { sessionKey: other, userId: '77', delivery, text: 'and now?', receivedAt: 2_000 })).rejects.toThrow(/HTTP 400/);
    expect(server.failures.join('\n')).toMatch(/reasoning_content in the thinking mode must be passed back/);
  });

  it.each([
    ['off', { type: 'disabled' }, undefined],
    ['high', { type: 'enabled' }, 'high'],
    ['max', { type: 'enabled' }, 'max'],
  ])('maps HERMES_REASONING=%s to the request', async (level, thinking, effort) => {
    server = await new ReplayModelServer().enqueue([{ response: deepseekThinkingText('ok') }]).start();
    runtime = await runtimeOn(server, { env: { HERMES_REASONING: level } });
    await turn('hi', 1_000);
    const body = server.requests[0]!.body as ChatBody;
    expect(body.thinking).toEqual(thinking);
    expect(body.reasoning_effort).toBe(effort);
  });

  it('never delivers an answer cut off by the output limit as complete', async () => {
    server = await new ReplayModelServer()
      .enqueue([{ response: deepseekCompletion({ content: 'Step 1: preheat the oven. Step 2:', reasoning: 'Long recipe.', finishReason: 'length' }) }])
      .start();
    runtime = await runtimeOn(server, { env: { HERMES_MAX_OUTPUT_TOKENS: '64' } });
    const warnings: string[] = [];
    runtime = { ...runtime, log: new JsonLogger([], (line) => warnings.push(line), 'warn') };
    const result = await turn('give me a long recipe', 1_000);
    expect(result.stopped).toBe('length');
    expect(result.text).toBe('Step 1: preheat the oven. Step 2:\n\nMy answer was cut off here by its length limit. Ask me to continue.');
    expect(warnings.join('\n')).toMatch(/cut off by the output-token limit.*"maxOutputTokens":64/);
    expect((server.requests[0]!.body as ChatBody).max_tokens).toBe(64);
  });

  it("says the provider's answer could not be read when it cannot be parsed", async () => {
    server = await new ReplayModelServer().enqueue([{ response: '<html>502 Bad Gateway</html>' }]).start();
    runtime = await runtimeOn(server, { env: { HERMES_MODEL_RETRIES: '0' } });
    const failure = turn('hi', 1_000);
    await expect(failure).rejects.toBeInstanceOf(ModelError);
    await expect(failure).rejects.toThrow("The model did not answer: the provider's answer could not be read.");
  });
});

describe('thinking mode with Bedrock Claude', () => {
  let server: ReplayModelServer;
  let runtime: Runtime;
  const runtimeOn = useReplayRuntime();

  it('sends the signed reasoning block back with the tool result, and leaves it out of later turns, which preserved thinking would refuse', async () => {
    stubBedrockCredentials(vi.stubEnv);
    const reasoning = { text: 'A lasting preference: save it.', signature: 'EqQBCkYIBxgCKkBsigned-by-the-model' };
    server = await new ReplayModelServer()
      .enqueue([
        { response: bedrockConverse({ reasoning, toolUses: [{ toolUseId: 'tooluse_veg', name: 'memory', input: { action: 'add', target: 'user', content: 'Is vegetarian' } }] }) },
        { requestContains: [reasoning.signature], response: bedrockConverse({ reasoning: { text: 'Saved.', signature: 'sig-2' }, text: 'Noted.' }) },
        { requestContains: ['Is vegetarian', 'I am vegetarian', 'what do you know'], response: bedrockConverse({ text: 'That you are vegetarian.' }) },
      ])
      .start();
    runtime = await runtimeOn(server, { provider: 'bedrock' });
    await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'I am vegetarian', receivedAt: 1_000 });
    const next = await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'what do you know about me?', receivedAt: 2_000 });
    expect(server.failures).toEqual([]);
    expect(next.text).toBe('That you are vegetarian.');
    // The memory saved since then changed the system prompt the earlier blocks were written after.
    expect(JSON.stringify(server.requests[2]!.body)).not.toContain(reasoning.signature);
    expect(JSON.stringify(server.requests[2]!.body)).not.toContain('sig-2');
    const fields = (server.requests[0]!.body as { additionalModelRequestFields: unknown }).additionalModelRequestFields;
    expect(fields).toEqual({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
  });

  it.each([
    ['us.anthropic.claude-sonnet-5-5', { thinking: { type: 'between_tools' }, output_config: { effort: 'low' } }],
    ['us.anthropic.claude-opus-5-5', { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } }],
    ['us.anthropic.claude-sonnet-5', { thinking: { type: 'disabled' } }],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', undefined],
  ])('asks %s for its least thinking when HERMES_REASONING=off, which the model takes', async (model, fields) => {
    stubBedrockCredentials(vi.stubEnv);
    server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ text: 'Hi.' }) }]).start();
    runtime = await runtimeOn(server, { provider: 'bedrock', env: { HERMES_MODEL: model, HERMES_REASONING: 'off' } });
    await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'hello', receivedAt: 1_000 });
    expect(server.failures).toEqual([]);
    expect((server.requests[0]!.body as { additionalModelRequestFields?: unknown }).additionalModelRequestFields).toEqual(fields);
  });

  it('gives a model that always thinks room for its least thinking in a summary, beside the summary’s own budget', async () => {
    stubBedrockCredentials(vi.stubEnv);
    server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ reasoning: { text: 'Short.', signature: 'sig-sum' }, text: 'The user greeted.' }) }]).start();
    runtime = await runtimeOn(server, { provider: 'bedrock', env: { HERMES_MODEL: 'us.anthropic.claude-opus-5-5' } });
    const older = [{ id: turnId(1), at: 1, messages: [{ role: 'user' as const, content: 'hello' }] }];
    await summarize(runtime.model, { previous: undefined, older, maxChars: 10_000, leastThinking: reasoningSettings('bedrock', 'off', runtime.config.model) });
    expect(server.failures).toEqual([]);
    const body = server.requests[0]!.body as { additionalModelRequestFields?: unknown; inferenceConfig: { maxTokens: number } };
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    expect(body.inferenceConfig.maxTokens).toBeGreaterThan(600);
  });

  it('writes a summary on Sonnet 5.5 with its least thinking, so thinking does not use up the summary’s small output budget', async () => {
    stubBedrockCredentials(vi.stubEnv);
    server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ text: 'The user greeted.' }) }]).start();
    runtime = await runtimeOn(server, { provider: 'bedrock' });
    const older = [{ id: turnId(1), at: 1, messages: [{ role: 'user' as const, content: 'hello' }] }];
    const { summary } = await summarize(runtime.model, { previous: undefined, older, maxChars: 10_000, leastThinking: reasoningSettings('bedrock', 'off', runtime.config.model) });
    expect(summary.text).toBe('The user greeted.');
    expect(server.failures).toEqual([]);
    expect((server.requests[0]!.body as { additionalModelRequestFields?: unknown }).additionalModelRequestFields).toEqual({ thinking: { type: 'between_tools' }, output_config: { effort: 'low' } });
  });

  it('never delivers an answer Bedrock stopped at max_tokens as complete', async () => {
    stubBedrockCredentials(vi.stubEnv);
    server = await new ReplayModelServer().enqueue([{ response: bedrockConverse({ text: 'The first three steps are', stopReason: 'max_tokens' }) }]).start();
    runtime = await runtimeOn(server, { provider: 'bedrock' });
    const result = await runTurn(runtime, { sessionKey: 'tg:1', userId: '77', delivery, text: 'explain', receivedAt: 1_000 });
    expect(result.stopped).toBe('length');
    expect(result.text).toMatch(/^The first three steps are\n\nMy answer was cut off/);
    expect((server.requests[0]!.body as { inferenceConfig: { maxTokens: number } }).inferenceConfig.maxTokens).toBe(8192);
  });

  it('is refused by the stand-in, as by Bedrock, when the tool-use message lost its reasoning block', async () => {
    const { ProviderRules } = await import('../stand-ins/provider-rules.ts');
    const rules = new ProviderRules();
    rules.observe('/model/m/converse', bedrockConverse({ reasoning: { text: 't', signature: 's1' }, toolUses: [{ toolUseId: 'tu1', name: 'memory', input: {} }] }));
    const request = (assistant: unknown[]) => ({
      additionalModelRequestFields: { thinking: { type: 'adaptive' } },
      messages: [
        { role: 'user', content: [{ text: 'hi' }] },
        { role: 'assistant', content: assistant },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tu1', content: [{ text: '{}' }] } }] },
      ],
    });
    const toolUse = { toolUse: { toolUseId: 'tu1', name: 'memory', input: {} } };
    expect(rules.check('/model/m/converse', request([toolUse]))?.status).toBe(400);
    expect(rules.check('/model/m/converse', request([{ reasoningContent: { reasoningText: { text: 't', signature: 'forged' } } }, toolUse]))?.status).toBe(400);
    expect(rules.check('/model/m/converse', request([{ reasoningContent: { reasoningText: { text: 't', signature: 's1' } } }, toolUse]))).toBeUndefined();
  });
});

describe('summaries in thinking mode', () => {
  const older = [{ id: turnId(1), at: 1, messages: [{ role: 'user' as const, content: 'hello' }] }];

  it('asks for no thinking and refuses to store a summary cut off by its output limit', async () => {
    const model = new MockLanguageModelV4({ doGenerate: async () => ({ ...textResult('The user said hel'), finishReason: { unified: 'length', raw: 'length' } }) });
    await expect(summarize(model, { previous: undefined, older, maxChars: 10_000, leastThinking: { reasoning: 'none' } })).rejects.toThrow(/cut off/);
    expect(model.doGenerateCalls[0]!.reasoning).toBe('none');
  });

  it('never puts reasoning text into the summary transcript', async () => {
    const model = new MockLanguageModelV4({ doGenerate: async () => textResult('The user greeted.') });
    const withReasoning = [
      {
        id: turnId(1),
        at: 1,
        messages: [
          { role: 'user' as const, content: 'hello' },
          { role: 'assistant' as const, content: [{ type: 'reasoning' as const, text: 'PRIVATE thoughts' }, { type: 'text' as const, text: 'Hi!' }] },
        ],
      },
    ];
    await summarize(model, { previous: undefined, older: withReasoning, maxChars: 10_000, leastThinking: { reasoning: 'none' } });
    expect(JSON.stringify(model.doGenerateCalls[0]!.prompt)).not.toContain('PRIVATE');
  });
});
