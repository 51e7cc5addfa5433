import { beforeEach, describe, expect, it } from 'vitest';
import type { UsageStore } from '../../agent/ports/usage-store.ts';
import { useHarness, type Harness } from './harness.ts';

const turn = { uncachedInputTokens: 800, cachedInputTokens: 200, outputTokens: 50, turns: 1 };

export function usageStoreContract(name: string, setup: () => Promise<Harness<UsageStore>>): void {
  describe(`UsageStore contract: ${name}`, () => {
    const current = useHarness(setup);
    let store: UsageStore;
    beforeEach(() => {
      store = current();
    });

    it('reads nothing for a user without usage', async () => {
      expect(await store.read('77', '2026-01-01', '2026-12-31')).toEqual([]);
    });

    it('adds up the turns of a day, keeping cached and uncached input apart', async () => {
      await store.add('77', '2026-03-01', turn);
      await store.add('77', '2026-03-01', { uncachedInputTokens: 100, cachedInputTokens: 0, outputTokens: 5, turns: 1 });
      expect(await store.read('77', '2026-03-01', '2026-03-01')).toEqual([
        { day: '2026-03-01', uncachedInputTokens: 900, cachedInputTokens: 200, outputTokens: 55, turns: 2 },
      ]);
    });

    it('counts every one of 20 concurrent adds', async () => {
      await Promise.all(Array.from({ length: 20 }, () => store.add('77', '2026-03-02', turn)));
      expect((await store.read('77', '2026-03-02', '2026-03-02'))[0]).toMatchObject({ uncachedInputTokens: 16_000, turns: 20 });
    });

    it('reads a range of days, oldest first, for that user only', async () => {
      await store.add('77', '2026-03-05', turn);
      await store.add('77', '2026-02-28', turn);
      await store.add('77', '2026-03-10', turn);
      await store.add('88', '2026-03-05', turn);
      expect((await store.read('77', '2026-02-28', '2026-03-05')).map((day) => day.day)).toEqual(['2026-02-28', '2026-03-05']);
      expect((await store.read('88', '2026-01-01', '2026-12-31')).map((day) => day.day)).toEqual(['2026-03-05']);
      expect(await store.read('77', '2026-03-06', '2026-03-01')).toEqual([]);
    });

    it('refuses a day that is not YYYY-MM-DD', async () => {
      await expect(store.add('77', '1 March', turn)).rejects.toThrow(/Not a day/);
      await expect(store.read('77', '2026-03-01', 'tomorrow')).rejects.toThrow(/Not a day/);
    });
  });
}
