/**
 * Provider answers in their current documented wire shapes, for tests that build an answer in code rather than
 * load a recorded one from a fixture file.
 *
 * DeepSeek chat completion (api-docs.deepseek.com "Create Chat Completion", checked 2026-12-01): V4 models think by
 * default and return `reasoning_content` beside `content`; usage splits the prompt into cache hits and misses and
 * counts reasoning tokens inside `completion_tokens`.
 * Bedrock Converse (docs.aws.amazon.com/bedrock, Converse API reference): reasoning arrives as a `reasoningContent`
 * block with a signature, before the text and tool-use blocks.
 */
export interface DeepSeekToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface DeepSeekAnswer {
  content?: string;
  /** Omitted in non-thinking mode (`thinking: {type: "disabled"}`), as the API omits it. */
  reasoning?: string;
  toolCalls?: DeepSeekToolCall[];
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'insufficient_system_resource';
  promptTokens?: number;
  cachedTokens?: number;
  completionTokens?: number;
  id?: string;
}

export function deepseekCompletion(answer: DeepSeekAnswer): Record<string, unknown> {
  const promptTokens = answer.promptTokens ?? 1200;
  const cached = Math.min(answer.cachedTokens ?? 0, promptTokens);
  const reasoningTokens = answer.reasoning === undefined ? 0 : Math.max(1, Math.ceil(answer.reasoning.length / 4));
  const completionTokens = (answer.completionTokens ?? Math.max(1, Math.ceil((answer.content ?? '').length / 4))) + reasoningTokens;
  const toolCalls = answer.toolCalls?.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
  return {
    id: answer.id ?? 'b8f1c2d4-5e6a-4b7c-8d9e-0f1a2b3c4d5e',
    object: 'chat.completion',
    created: 1764620000,
    model: 'deepseek-flash',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.content ?? '',
          ...(answer.reasoning !== undefined ? { reasoning_content: answer.reasoning } : {}),
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: answer.finishReason ?? (toolCalls ? 'tool_calls' : 'stop'),
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
      prompt_cache_hit_tokens: cached,
      prompt_cache_miss_tokens: promptTokens - cached,
    },
    system_fingerprint: 'fp_eaab8d114b_prod0820_fp8_kvcache',
  };
}

/** A DeepSeek answer in thinking mode with plain text. */
export function deepseekThinkingText(content: string, reasoning = 'The user asked something I can answer directly.'): Record<string, unknown> {
  return deepseekCompletion({ content, reasoning });
}

export interface BedrockAnswer {
  text?: string;
  reasoning?: { text: string; signature: string };
  toolUses?: Array<{ toolUseId: string; name: string; input: Record<string, unknown> }>;
  /** Converse's StopReason values (MessageStopEvent, API Reference, checked 2026-12-03). */
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'guardrail_intervened' | 'content_filtered' | 'malformed_model_output' | 'malformed_tool_use' | 'model_context_window_exceeded';
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
}

export function bedrockConverse(answer: BedrockAnswer): Record<string, unknown> {
  const inputTokens = answer.inputTokens ?? 1400;
  const outputTokens = answer.outputTokens ?? 60;
  const content = [
    ...(answer.reasoning ? [{ reasoningContent: { reasoningText: { text: answer.reasoning.text, signature: answer.reasoning.signature } } }] : []),
    ...(answer.text !== undefined ? [{ text: answer.text }] : []),
    ...(answer.toolUses ?? []).map((toolUse) => ({ toolUse })),
  ];
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: answer.stopReason ?? (answer.toolUses?.length ? 'tool_use' : 'end_turn'),
    usage: {
      inputTokens,
      outputTokens,
      totalTokens: inputTokens + outputTokens,
      ...(answer.cacheReadInputTokens !== undefined ? { cacheReadInputTokens: answer.cacheReadInputTokens, cacheWriteInputTokens: 0 } : {}),
    },
    metrics: { latencyMs: 1200 },
  };
}
