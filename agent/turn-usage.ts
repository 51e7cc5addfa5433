import type { LanguageModelUsage } from 'ai';

/** What one turn cost in tokens, as the provider counted them; input split by whether it came from the cache. */
export interface TurnUsage {
  /** Input tokens read from the provider's prompt cache, billed at the cache-hit price. */
  cachedInputTokens: number;
  /** Input tokens billed at the full price (cache misses and cache writes). */
  uncachedInputTokens: number;
  /** Output tokens, thinking included. */
  outputTokens: number;
  reasoningTokens: number;
}

export const NO_USAGE: TurnUsage = { cachedInputTokens: 0, uncachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };

export function turnUsageOf(usage: LanguageModelUsage): TurnUsage {
  const input = usage.inputTokens ?? 0;
  const cached = usage.inputTokenDetails.cacheReadTokens ?? 0;
  return {
    cachedInputTokens: cached,
    uncachedInputTokens: Math.max(0, input - cached),
    outputTokens: usage.outputTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails.reasoningTokens ?? 0,
  };
}

export function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    uncachedInputTokens: a.uncachedInputTokens + b.uncachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}
