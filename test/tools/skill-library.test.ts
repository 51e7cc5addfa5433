import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SkillStore } from '../../agent/aws/s3-skill-store.ts';
import { FileSkillStore } from '../../agent/local/file-skill-store.ts';
import type { SkillStore } from '../../tools/ports/skill-store.ts';
import { SkillLibrary } from '../../tools/skill-library.ts';
import { startS3rver, type S3rverHarness } from '../stand-ins/s3rver.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';

const skill = (name: string) => `---\nname: ${name}\ndescription: The ${name} skill.\n---\nUse it.\n`;

/**
 * A skills folder as Hermes users keep it: a skill that preserved an old package of itself under references/, a
 * checkout with its scripts' dependencies, and a category whose skill happens to be called "scripts".
 */
const TREE: Record<string, string> = {
  'pdf/SKILL.md': skill('pdf'),
  'pdf/references/old-pdf/SKILL.md': skill('old-pdf'),
  'pdf/templates/forms/deep/SKILL.md': skill('deep-template'),
  'pdf/assets/SKILL.md': skill('asset-skill'),
  'pdf/scripts/node_modules/left-pad/SKILL.md': skill('left-pad'),
  'pdf/scripts/fill.py': 'print("fill")\n',
  'pdf/nested/SKILL.md': skill('nested'),
  'pdf/nested/references/copy/SKILL.md': skill('nested-copy'),
  'node_modules/some-package/SKILL.md': skill('some-package'),
  'venv/lib/SKILL.md': skill('venv-skill'),
  'tools/site-packages/pkg/SKILL.md': skill('site-package'),
  'tools/__pycache__/SKILL.md': skill('cache-skill'),
  '.git/SKILL.md': skill('git-skill'),
  'devops/scripts/SKILL.md': skill('deploy-scripts'),
};

let s3rver: S3rverHarness;
beforeAll(async () => {
  s3rver = await startS3rver();
});
afterAll(async () => {
  await s3rver.close();
});

const stores: Array<[string, () => Promise<{ store: SkillStore; remove?: () => Promise<void> }>]> = [
  [
    'files',
    async () => {
      const dir = await makeTempDir();
      return { store: new FileSkillStore(join(dir.path, 'skills')), remove: dir.remove };
    },
  ],
  ['S3 on s3rver', async () => ({ store: new S3SkillStore(s3rver.s3, await s3rver.createBucket(), 'skills/') })],
];

describe.each(stores)('skills found on %s, as Hermes\' iter_skill_index_files finds them', (_, open) => {
  it('skips SKILL.md files in a skill\'s supporting folders at any depth, and in folders Hermes excludes', async () => {
    const { store, remove } = await open();
    try {
      for (const [path, content] of Object.entries(TREE)) await store.writeFile(path, content);
      const library = new SkillLibrary(store);
      const index = await library.index();
      expect(index.map(({ name, dir, category }) => ({ name, dir, category }))).toEqual([
        { name: 'deploy-scripts', dir: 'devops/scripts/', category: 'devops' },
        { name: 'nested', dir: 'pdf/nested/', category: undefined },
        { name: 'pdf', dir: 'pdf/', category: undefined },
      ]);
      // The preserved package is one of the skill's files, shown and deleted with it.
      const pdf = (await library.find('pdf'))!;
      expect(await library.files(pdf)).toEqual([
        'SKILL.md',
        'assets/SKILL.md',
        'references/old-pdf/SKILL.md',
        'scripts/fill.py',
        'scripts/node_modules/left-pad/SKILL.md',
        'templates/forms/deep/SKILL.md',
      ]);
      expect(await library.find('old-pdf')).toBeUndefined();
    } finally {
      await remove?.();
    }
  });
});
