/**
 * Published token prices, USD per million tokens, read on 2026-12-01 (README, "Models"; docs/benchmarks.md): the one
 * place the bench's cost table and `/usage` take them from. DeepSeek bills peak hours at twice the off-peak price;
 * the peak price is used, so an estimate errs high. Bedrock's uncached input is priced as a cache write (Sonnet
 * 5.5: $2.50), since nearly all of it sits before a cache point.
 */
export interface TokenPrices {
  cachedInput: number;
  uncachedInput: number;
  output: number;
}

const PRICES: Array<{ model: RegExp; prices: TokenPrices }> = [
  { model: /^deepseek-(flash|v4-flash)/, prices: { cachedInput: 0.006, uncachedInput: 0.3, output: 1.2 } },
  { model: /^deepseek-v4-pro/, prices: { cachedInput: 0.044, uncachedInput: 1.32, output: 3.96 } },
  { model: /anthropic\.claude-sonnet-5/, prices: { cachedInput: 0.2, uncachedInput: 2.5, output: 10 } },
];

export function pricesFor(model: string): TokenPrices | undefined {
  return PRICES.find((entry) => entry.model.test(model))?.prices;
}

export function costUsd(tokens: { cachedInputTokens: number; uncachedInputTokens: number; outputTokens: number }, prices: TokenPrices): number {
  return (tokens.cachedInputTokens * prices.cachedInput + tokens.uncachedInputTokens * prices.uncachedInput + tokens.outputTokens * prices.output) / 1e6;
}
