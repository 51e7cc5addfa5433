import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../tools/errors.ts';
import type { MediaStore } from '../../agent/ports/media-store.ts';
import { useHarness, type Harness } from './harness.ts';

export function mediaStoreContract(name: string, setup: () => Promise<Harness<MediaStore>>): void {
  describe(`MediaStore contract: ${name}`, () => {
    const current = useHarness(setup);
    let store: MediaStore;
    beforeEach(() => {
      store = current();
    });

    it('keeps bytes and their type under a key', async () => {
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 10, 13]);
      expect(await store.put('77/AQADm1.png', bytes, 'image/png')).toEqual({ key: '77/AQADm1.png', contentType: 'image/png', size: 8 });
      const read = await store.get('77/AQADm1.png');
      expect(read?.contentType).toBe('image/png');
      expect([...read!.content]).toEqual([...bytes]);
    });

    it('answers undefined for a missing key', async () => {
      expect(await store.get('77/missing.jpg')).toBeUndefined();
    });

    it('replaces what a key held', async () => {
      await store.put('77/a.txt', new TextEncoder().encode('one'), 'text/plain');
      await store.put('77/a.txt', new TextEncoder().encode('two!'), 'text/markdown');
      const read = await store.get('77/a.txt');
      expect(new TextDecoder().decode(read!.content)).toBe('two!');
      expect(read!.contentType).toBe('text/markdown');
    });

    it('lists keys under a prefix, sorted, and nothing else', async () => {
      await store.put('77/album/g1/3.jpg', new Uint8Array([3]), 'image/jpeg');
      await store.put('77/album/g1/1.jpg', new Uint8Array([1]), 'image/jpeg');
      await store.put('78/album/g1/2.jpg', new Uint8Array([2]), 'image/jpeg');
      expect(await store.list('77/album/g1/')).toEqual(['77/album/g1/1.jpg', '77/album/g1/3.jpg']);
      expect(await store.list('79/')).toEqual([]);
    });

    it('refuses keys that could leave its root', async () => {
      await expect(store.put('../escape.jpg', new Uint8Array([1]), 'image/jpeg')).rejects.toThrow(ValidationError);
      await expect(store.get('/etc/passwd')).rejects.toThrow(ValidationError);
    });
  });
}
