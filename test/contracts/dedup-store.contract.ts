import { beforeEach, describe, expect, it } from 'vitest';
import type { DedupStore } from '../../agent/ports/dedup-store.ts';
import { useHarness, type Harness } from './harness.ts';

export function dedupStoreContract(name: string, setup: () => Promise<Harness<DedupStore>>): void {
  describe(`DedupStore contract: ${name}`, () => {
    const current = useHarness(setup);
    let store: DedupStore;
    beforeEach(() => {
      store = current();
    });

    it('claims an id once', async () => {
      expect(await store.claim('update:1', 3600)).toBe(true);
      expect(await store.claim('update:1', 3600)).toBe(false);
      expect(await store.claim('update:2', 3600)).toBe(true);
    });

    it('lets exactly one of 50 concurrent claims win', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.claim('update:race', 3600)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('grants a held claim again to its holder only', async () => {
      expect(await store.claim('edit:1', 3600, 'update:10')).toBe(true);
      expect(await store.claim('edit:1', 3600, 'update:10')).toBe(true);
      expect(await store.claim('edit:1', 3600, 'update:11')).toBe(false);
      expect(await store.claim('edit:1', 3600)).toBe(false);
      expect(await store.claim('update:4', 3600)).toBe(true);
      expect(await store.claim('update:4', 3600, 'update:4')).toBe(false);
    });

    it("gives a held claim back only to its holder's release", async () => {
      expect(await store.claim('lock:a', 3600, 'holder-1')).toBe(true);
      await store.release('lock:a', 'holder-2');
      expect(await store.claim('lock:a', 3600, 'holder-3')).toBe(false);
      await store.release('lock:a', 'holder-1');
      expect(await store.claim('lock:a', 3600, 'holder-3')).toBe(true);
    });

    it('can claim again after a release', async () => {
      await store.claim('update:3', 3600);
      await store.release('update:3');
      expect(await store.claim('update:3', 3600)).toBe(true);
    });
  });
}
