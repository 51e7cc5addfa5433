import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryStore } from '../../tools/ports/memory-store.ts';
import { useHarness, type Harness } from './harness.ts';

export function memoryStoreContract(name: string, setup: () => Promise<Harness<MemoryStore>>): void {
  describe(`MemoryStore contract: ${name}`, () => {
    const current = useHarness(setup);
    let store: MemoryStore;
    beforeEach(() => {
      store = current();
    });

    it('lists added entries per target, oldest first', async () => {
      await store.add('u1', 'user', 'Name is Ada');
      await store.add('u1', 'user', 'Lives in Lisbon');
      await store.add('u1', 'memory', 'Prefers short answers');
      expect((await store.list('u1', 'user')).map((e) => e.text)).toEqual(['Name is Ada', 'Lives in Lisbon']);
      expect((await store.list('u1', 'memory')).map((e) => e.text)).toEqual(['Prefers short answers']);
    });

    it('keeps users apart', async () => {
      await store.add('u1', 'user', 'Name is Ada');
      expect(await store.list('u2', 'user')).toEqual([]);
      expect(await store.search('u2', 'Ada', 5)).toEqual([]);
    });

    it('replaces and removes entries by id', async () => {
      const ada = await store.add('u1', 'user', 'Name is Ada');
      const city = await store.add('u1', 'user', 'Lives in Lisbon');
      await store.replace('u1', { target: 'user', id: city.id, text: 'Lives in Porto' });
      expect((await store.list('u1', 'user')).map((e) => e.text)).toEqual(['Name is Ada', 'Lives in Porto']);
      await store.remove('u1', 'user', ada.id);
      expect((await store.list('u1', 'user')).map((e) => e.text)).toEqual(['Lives in Porto']);
    });

    it('fails clearly when the entry to change does not exist', async () => {
      await expect(store.remove('u1', 'memory', 'missing-id')).rejects.toThrow(/missing-id/);
      await expect(store.replace('u1', { target: 'memory', id: 'missing-id', text: 'x' })).rejects.toThrow(/missing-id/);
    });

    it('finds relevant entries across both targets, best first', async () => {
      await store.add('u1', 'user', 'Allergic to peanuts');
      await store.add('u1', 'memory', 'User asked about peanut-free cake recipes');
      await store.add('u1', 'memory', 'Meeting with Bob on Friday');
      const hits = await store.search('u1', 'peanut allergy', 5);
      expect(hits.length).toBeGreaterThanOrEqual(1);
      expect(hits.map((h) => h.text)).not.toContain('Meeting with Bob on Friday');
      expect(hits.every((h, i) => i === 0 || hits[i - 1]!.score >= h.score)).toBe(true);
    });

    it('recalls recorded exchanges of the same user only', async () => {
      await store.recordExchange('u1', { sessionKey: 'tg:1', userText: 'My flight to Tokyo leaves Monday', assistantText: 'Noted!', at: Date.UTC(2026, 0, 5) });
      const hits = await store.search('u1', 'Tokyo flight', 5);
      expect(hits.some((h) => h.target === 'conversation' && h.text.includes('Tokyo'))).toBe(true);
      expect(await store.search('u2', 'Tokyo flight', 5)).toEqual([]);
    });

    it('handles user ids and text with unicode and punctuation', async () => {
      await store.add('tg:42', 'user', 'Lieblingsessen: Käsespätzle — «sehr gut»');
      expect((await store.list('tg:42', 'user'))[0]!.text).toBe('Lieblingsessen: Käsespätzle — «sehr gut»');
    });
  });
}
