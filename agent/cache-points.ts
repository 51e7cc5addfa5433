import type { ModelMessage, SystemModelMessage } from 'ai';
import { claudeVersion } from './claude-thinking.ts';
import type { ModelProvider } from './providers.ts';

/**
 * Bedrock keeps a cached prefix 5 minutes from its last use unless a cache point asks for the hour, which Claude
 * offers from the 4.5 models on (CachePointBlock `ttl`, API Reference; "one-hour duration prompt caching", AWS
 * What's New, 2026-01-26; both read 2026-12-03); Nova has only the 5 minutes, and an hour it cannot give is refused.
 * A personal chat's messages are often more than 5 minutes apart, and each then wrote the whole prefix again at the
 * write price (1.25 times input) for a cache never read; written for the hour (2 times input), it is read at a tenth
 * of input by every message within the hour. A scheduled job's runs, each a fresh session with the same tools and
 * system prompt, share it too.
 */
export function cacheTtlFor(model: string, wanted: '5m' | '1h'): '1h' | undefined {
  const claude = claudeVersion(model);
  return wanted === '1h' && claude !== undefined && claude.version >= 4.5 ? '1h' : undefined;
}

/**
 * Bedrock caches a prompt prefix only up to an explicit cache point, and only for the model families that support
 * prompt caching (Anthropic Claude and Amazon Nova; Bedrock user guide, "Prompt caching", checked 2026-12-01). Two
 * points: after the system prompt (tools and system, which change least) and after the stored history, so a turn's
 * tool steps and the next turn both read what the previous call wrote. Both last as long: Bedrock refuses a later
 * point that outlives an earlier one. DeepSeek caches prefixes by itself.
 */
export function withCachePoints(
  { provider, model, ttl }: { provider: ModelProvider; model: string; ttl: '5m' | '1h' },
  request: { system: string; history: ModelMessage[] },
): { instructions: string | SystemModelMessage; history: ModelMessage[] } {
  if (provider !== 'bedrock' || !/anthropic\.claude|amazon\.nova/.test(model)) return { instructions: request.system, history: request.history };
  const hour = cacheTtlFor(model, ttl);
  const cachePoint = { bedrock: { cachePoint: { type: 'default', ...(hour ? { ttl: hour } : {}) } } };
  const last = request.history.at(-1);
  return {
    instructions: { role: 'system', content: request.system, providerOptions: cachePoint },
    history: last ? [...request.history.slice(0, -1), { ...last, providerOptions: { ...last.providerOptions, ...cachePoint } }] : request.history,
  };
}
