import { cacheTtlFor } from './cache-points.ts';

/**
 * Published token prices, USD per million tokens, read on 2026-12-01 (README, "Models"; docs/benchmarks.md): the one
 * place the bench's cost table and `/usage` take them from. DeepSeek bills peak hours at twice the off-peak price;
 * the peak price is used, so an estimate errs high. Bedrock's uncached input is priced as a cache write (Sonnet
 * 5.5: $2.50 for the 5 minutes, $4 for the hour, platform.claude.com "Pricing", read 2026-12-03), since nearly all of
 * it sits before a cache point.
 */
export interface TokenPrices {
  cachedInput: number;
  uncachedInput: number;
  output: number;
}

const PRICES: Array<{ model: RegExp; prices: TokenPrices; hourCacheWrite?: number }> = [
  { model: /^deepseek-(flash|v4-flash)/, prices: { cachedInput: 0.006, uncachedInput: 0.3, output: 1.2 } },
  { model: /^deepseek-v4-pro/, prices: { cachedInput: 0.044, uncachedInput: 1.32, output: 3.96 } },
  { model: /anthropic\.claude-sonnet-5/, prices: { cachedInput: 0.2, uncachedInput: 2.5, output: 10 }, hourCacheWrite: 4 },
];

/** The prices a chat of `model` pays, its cache writes at the duration its cache points ask for (HERMES_PROMPT_CACHE_TTL). */
export function pricesFor(model: string, { cacheTtl = '1h' }: { cacheTtl?: '5m' | '1h' } = {}): TokenPrices | undefined {
  const entry = PRICES.find((candidate) => candidate.model.test(model));
  if (!entry) return undefined;
  return entry.hourCacheWrite !== undefined && cacheTtlFor(model, cacheTtl) === '1h' ? { ...entry.prices, uncachedInput: entry.hourCacheWrite } : entry.prices;
}

export function costUsd(tokens: { cachedInputTokens: number; uncachedInputTokens: number; outputTokens: number }, prices: TokenPrices): number {
  return (tokens.cachedInputTokens * prices.cachedInput + tokens.uncachedInputTokens * prices.uncachedInput + tokens.outputTokens * prices.output) / 1e6;
}
