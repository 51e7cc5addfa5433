/**
 * Bedrock Converse's rules for cache points, as the service applies them (read 2026-12-03):
 * - CachePointBlock (API Reference): `type` is `default`; `ttl`, when given, is `5m` or `1h`.
 * - "Amazon Bedrock now supports one-hour duration for prompt caching" (What's New, 2026-01-26): the hour is offered
 *   by Claude from the 4.5 models on; other models (Nova, older Claude) refuse it.
 * - A cache point may not outlive one before it (toolConfig, then system, then messages).
 */
type Json = Record<string, unknown>;

const CLAUDE = /anthropic\.claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d{1,2})(?!\d))?/;
const SECONDS: Record<string, number> = { '5m': 300, '1h': 3_600 };

function offersTheHour(model: string): boolean {
  const match = CLAUDE.exec(model);
  return match !== null && Number(match[2]) + Number(match[3] ?? 0) / 10 >= 4.5;
}

function cachePointsOf(blocks: unknown): Json[] {
  return Array.isArray(blocks) ? blocks.flatMap((block) => ((block as Json).cachePoint ? [(block as Json).cachePoint as Json] : [])) : [];
}

/** The refusal's message, or undefined when the request's cache points are ones Bedrock takes. */
export function refusedCachePoints(model: string, body: Json): string | undefined {
  const points = [
    ...cachePointsOf((body.toolConfig as Json | undefined)?.tools),
    ...cachePointsOf(body.system),
    ...((body.messages as Json[] | undefined) ?? []).flatMap((message) => cachePointsOf(message.content)),
  ];
  let longest = Number.POSITIVE_INFINITY;
  for (const point of points) {
    if (point.type !== 'default') return `1 validation error detected: Value '${String(point.type)}' at 'cachePoint.type' failed to satisfy constraint: Member must satisfy enum value set: [default]`;
    const ttl = point.ttl === undefined ? '5m' : String(point.ttl);
    if (!(ttl in SECONDS)) return `1 validation error detected: Value '${ttl}' at 'cachePoint.ttl' failed to satisfy constraint: Member must satisfy enum value set: [5m, 1h]`;
    if (ttl === '1h' && !offersTheHour(model)) return `The model ${model} does not support a cache TTL of 1h.`;
    if (SECONDS[ttl]! > longest) return 'A cache point cannot have a longer TTL than a cache point before it.';
    longest = SECONDS[ttl]!;
  }
  return undefined;
}
