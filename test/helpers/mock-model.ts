import type { LanguageModelV3CallOptions, LanguageModelV3GenerateResult } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

export function textResult(text: string): LanguageModelV3GenerateResult {
  return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
}

/**
 * A unit-test model that answers summaries and chat turns differently, so compaction can be observed.
 * For the real request/response path, tests use ReplayModelServer with the provider packages instead.
 */
export function echoModel(): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    doGenerate: async (options: LanguageModelV3CallOptions) => {
      const system = options.prompt.find((message) => message.role === 'system');
      const isSummary = typeof system?.content === 'string' && system.content.includes('running summary');
      return textResult(isSummary ? `summary #${Math.random().toString(36).slice(2, 6)}` : 'ok');
    },
  });
}

export function promptChars(options: LanguageModelV3CallOptions): number {
  return JSON.stringify(options.prompt).length;
}
