import { afterEach, describe, expect, it } from 'vitest';
import { measurePromptCache } from '../../bench/prompt-cache.ts';
import { median } from '../../bench/stats.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';

describe('prompt prefix share over a paced chat with tool steps, memory saves and compactions', () => {
  let cleanup: () => Promise<void>;
  afterEach(async () => cleanup?.());

  it('keeps at least 90% of the median request a prefix of the one before, where the previous layout kept almost none', async () => {
    const local = await makeLocalRuntime({ env: { DEEPSEEK_API_KEY: 'unused' } });
    cleanup = local.cleanup;
    const figures = await measurePromptCache(local.runtime);
    expect(figures.requests.some((request) => request.kind === 'summary')).toBe(true);
    expect(median(figures.shares)).toBeGreaterThanOrEqual(0.9);
    expect(median(figures.previousLayoutShares)).toBeLessThan(0.5);
  });
});
