import type { ModelMessage, SystemModelMessage } from 'ai';
import type { ModelProvider } from './providers.ts';

const CACHE_POINT = { bedrock: { cachePoint: { type: 'default' } } } as const;

/**
 * Bedrock caches a prompt prefix only up to an explicit cache point, and only for the model families that support
 * prompt caching (Anthropic Claude and Amazon Nova; Bedrock user guide, "Prompt caching", checked 2026-12-01). Two
 * points: after the system prompt (tools and system, which change least) and after the stored history, so a turn's
 * tool steps and the next turn both read what the previous call wrote. DeepSeek caches prefixes by itself.
 */
export function withCachePoints(
  provider: ModelProvider,
  model: string,
  request: { system: string; history: ModelMessage[] },
): { instructions: string | SystemModelMessage; history: ModelMessage[] } {
  if (provider !== 'bedrock' || !/anthropic\.claude|amazon\.nova/.test(model)) return { instructions: request.system, history: request.history };
  const last = request.history.at(-1);
  return {
    instructions: { role: 'system', content: request.system, providerOptions: CACHE_POINT },
    history: last ? [...request.history.slice(0, -1), { ...last, providerOptions: { ...last.providerOptions, ...CACHE_POINT } }] : request.history,
  };
}
