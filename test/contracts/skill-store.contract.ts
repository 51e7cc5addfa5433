import { beforeEach, describe, expect, it } from 'vitest';
import type { SkillStore } from '../../tools/ports/skill-store.ts';
import { useHarness, type Harness } from './harness.ts';

export function skillStoreContract(name: string, setup: () => Promise<Harness<SkillStore>>): void {
  describe(`SkillStore contract: ${name}`, () => {
    const current = useHarness(setup);
    let store: SkillStore;
    beforeEach(() => {
      store = current();
    });

    it('reads back what it wrote, including unicode', async () => {
      await store.writeFile('cooking/pasta/SKILL.md', '---\nname: pasta\n---\nBoil ✓ water');
      expect(await store.readFile('cooking/pasta/SKILL.md')).toBe('---\nname: pasta\n---\nBoil ✓ water');
    });

    it('returns undefined for a missing file', async () => {
      expect(await store.readFile('nope/SKILL.md')).toBeUndefined();
    });

    it('overwrites an existing file', async () => {
      await store.writeFile('a/SKILL.md', 'one');
      await store.writeFile('a/SKILL.md', 'two');
      expect(await store.readFile('a/SKILL.md')).toBe('two');
    });

    it('lists files sorted, all or under a prefix', async () => {
      await store.writeFile('b/SKILL.md', 'x');
      await store.writeFile('a/references/api.md', 'x');
      await store.writeFile('a/SKILL.md', 'x');
      await store.writeFile('ab/SKILL.md', 'x');
      expect(await store.listFiles()).toEqual(['a/SKILL.md', 'a/references/api.md', 'ab/SKILL.md', 'b/SKILL.md']);
      expect(await store.listFiles('a/')).toEqual(['a/SKILL.md', 'a/references/api.md']);
      expect(await store.listFiles('missing/')).toEqual([]);
    });

    it('deletes files, and deleting a missing one is fine', async () => {
      await store.writeFile('a/SKILL.md', 'x');
      await store.writeFile('a/scripts/run.sh', 'x');
      await store.deleteFile('a/scripts/run.sh');
      await store.deleteFile('a/scripts/never.sh');
      expect(await store.listFiles()).toEqual(['a/SKILL.md']);
    });

    it("answers a folder's path as no file, and lists a user's own .tmp file like any other", async () => {
      await store.writeFile('tpl/SKILL.md', 'x');
      await store.writeFile('tpl/references/api.md', 'x');
      await store.writeFile('tpl/templates/letter.tmp', 'Dear …');
      expect(await store.readFile('tpl/references')).toBeUndefined();
      expect(await store.listFiles('tpl/')).toEqual(['tpl/SKILL.md', 'tpl/references/api.md', 'tpl/templates/letter.tmp']);
    });

    it('stores a 100k-character file intact', async () => {
      const big = 'x'.repeat(99_000) + '\n' + 'é'.repeat(999);
      await store.writeFile('big/SKILL.md', big);
      expect(await store.readFile('big/SKILL.md')).toBe(big);
    });

    it.each(['../escape/SKILL.md', '/abs/SKILL.md', 'a/../../b', 'a\\b', 'a//b', './a', 'a/\0b', ''])(
      'rejects the unsafe path %j on every operation',
      async (path) => {
        await expect(store.writeFile(path, 'x')).rejects.toThrow(/Path/);
        await expect(store.readFile(path)).rejects.toThrow(/Path/);
        await expect(store.deleteFile(path)).rejects.toThrow(/Path/);
      },
    );
  });
}
