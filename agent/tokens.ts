import type { ModelMessage } from 'ai';

/**
 * A provider-neutral estimate (about four characters a token for English and JSON). It only has to be
 * monotonic and roughly right: it decides when to compact, not what the provider bills.
 */
export function estimateTokens(value: string | ModelMessage[]): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 4);
}
