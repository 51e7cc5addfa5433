import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SkillStore } from '../../tools/ports/skill-store.ts';
import { SkillLibrary } from '../../tools/skill-library.ts';
import { skillManageTool } from '../../tools/skill-manage.ts';
import { skillViewTool } from '../../tools/skill-view.ts';
import { skillsListTool } from '../../tools/skills-list.ts';
import { call, type Outcome } from '../tools/harness.ts';
import { useHarness, type Harness } from './harness.ts';

const PUBLISHED = fileURLToPath(new URL('../fixtures/published-skills/', import.meta.url));

/** Every file of the published-skills fixture, with its path relative to the fixture root. */
async function publishedFiles(): Promise<{ path: string; content: string }[]> {
  const entries = await readdir(PUBLISHED, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: relative(PUBLISHED, full).split(sep).join('/'), content: await readFile(full, 'utf8') };
    }),
  );
}

/**
 * Skill semantics over a store holding skills the way published collections lay them out. Runs on every SkillStore
 * adapter, so the local and S3 stores list, load and change them alike.
 */
export function skillLibraryContract(name: string, setup: () => Promise<Harness<SkillStore>>): void {
  describe(`Published skills on ${name}`, () => {
    const current = useHarness(setup);
    let store: SkillStore;
    let tools: { list: () => Promise<Outcome>; view: (args: { name: string; file_path?: string }) => Promise<Outcome>; manage: (args: object) => Promise<Outcome> };
    let files: { path: string; content: string }[];

    beforeEach(async () => {
      store = current();
      files = await publishedFiles();
      for (const file of files) await store.writeFile(file.path, file.content);
      const deps = { skills: new SkillLibrary(store) };
      const list = skillsListTool(deps);
      const view = skillViewTool(deps);
      const manage = skillManageTool(deps, { userId: 'local' });
      tools = {
        list: () => call(list, {}),
        view: (args) => call(view, args),
        manage: (args) => call(manage, args as Parameters<NonNullable<typeof manage.execute>>[0]),
      };
    });

    const original = (path: string) => files.find((file) => file.path === path)!.content;

    it('lists each skill under its frontmatter name, hides .archive/ and includes nested skills', async () => {
      const result = await tools.list();
      const listed = (result.skills as { name: string; category: string | null }[]).map(({ name: skill, category }) => [skill, category]);
      expect(listed).toEqual([
        ['brand-voice', null],
        ['emoji-guide', null],
        ['haiku', 'creative'],
        ['meeting-notes', null],
        ['pdf-forms', null],
        ['poem-writer', 'creative'],
        ['quirky-yaml', null],
        ['release-notes', null],
        ['scratch-pad', null],
        ['shell-tips', null],
      ]);
      expect(result.categories).toEqual(['creative']);
      expect(JSON.stringify(result)).not.toContain('retired-digest');
      expect(JSON.stringify(result)).not.toContain('invalid frontmatter');
    });

    it('loads every skill it lists, by the listed name', async () => {
      const listed = ((await tools.list()).skills as { name: string; description: string }[]).map((skill) => skill.name);
      for (const skill of listed) {
        const viewed = await tools.view({ name: skill });
        expect(viewed).toMatchObject({ success: true, name: skill });
      }
    });

    it('finds a skill by its folder name too, and shows it under its real name', async () => {
      expect(await tools.view({ name: 'document-filler' })).toMatchObject({ success: true, name: 'pdf-forms', content: original('document-filler/SKILL.md') });
      expect(await tools.view({ name: 'Meeting-Notes' })).toMatchObject({ success: true, name: 'meeting-notes' });
      expect(await tools.view({ name: 'retired-digest' })).toEqual({ success: false, error: 'Skill "retired-digest" not found. Use skills_list to see what exists.' });
    });

    it('lists every supporting file, in any folder or next to SKILL.md, and reads each one', async () => {
      const viewed = await tools.view({ name: 'pdf-forms' });
      expect(viewed.linked_files).toEqual({
        examples: ['examples/invoice.md'],
        other: ['LICENSE.txt', 'forms.md', 'reference.md'],
        scripts: ['scripts/list_fields.py'],
      });
      for (const path of Object.values(viewed.linked_files as Record<string, string[]>).flat()) {
        expect(await tools.view({ name: 'pdf-forms', file_path: path })).toEqual({
          success: true,
          name: 'pdf-forms',
          file_path: path,
          content: original(`document-filler/${path}`),
        });
      }
    });

    it("keeps a nested skill's files out of its parent, and the nested skill when the parent is deleted", async () => {
      expect((await tools.view({ name: 'poem-writer' })).linked_files).toEqual({ templates: ['templates/sonnet.md'] });
      expect(await tools.manage({ action: 'delete', name: 'poem-writer' })).toEqual({ success: true, message: 'Deleted skill "poem-writer" (2 files).' });
      expect(await tools.view({ name: 'haiku' })).toMatchObject({ success: true, content: original('creative/poem-writer/haiku/SKILL.md') });
      expect(await store.readFile('creative/poem-writer/haiku/SKILL.md')).toBe(original('creative/poem-writer/haiku/SKILL.md'));
    });

    it('shows a description over 1,024 characters truncated, without calling the skill broken', async () => {
      const listedDescription = ((await tools.list()).skills as { name: string; description: string }[]).find((skill) => skill.name === 'brand-voice')!.description;
      expect(listedDescription).toHaveLength(1024);
      expect(listedDescription).toMatch(/^Write in the house voice: short sentences.*\.\.\.$/s);
      expect(await tools.view({ name: 'brand-voice' })).toMatchObject({ success: true, description: listedDescription, content: original('brand-voice/SKILL.md') });
    });

    it('counts a description in characters, so 1,024 emoji-heavy characters are shown in full', async () => {
      const viewed = await tools.view({ name: 'emoji-guide' });
      expect([...(viewed.description as string)]).toHaveLength(1024);
      expect((viewed.description as string).length).toBe(2024);
      expect(viewed.description).not.toMatch(/\.\.\.$/);
    });

    it('reads repeated YAML keys as Hermes does (the last wins) and a numeric description as text', async () => {
      expect(await tools.view({ name: 'quirky-yaml' })).toMatchObject({ success: true, description: '42' });
      const patched = await tools.manage({ action: 'patch', name: 'quirky-yaml', old_string: 'appears twice', new_string: 'appears two times' });
      expect(patched).toMatchObject({ success: true });
    });

    it('reads what Hermes reads: a SKILL.md without frontmatter, and frontmatter YAML refuses as key: value lines', async () => {
      expect(await tools.view({ name: 'shell-tips' })).toMatchObject({ success: true, description: 'Prefer `rg` over `grep -r` when searching a large tree.', content: original('shell-tips/SKILL.md') });
      expect(await tools.view({ name: 'release-notes' })).toMatchObject({ success: true, description: 'Use when: the user asks for release notes from a list of merged changes' });
      const listed = (await tools.list()).skills as { name: string; description: string }[];
      expect(listed.find((skill) => skill.name === 'release-notes')?.description).toBe('Use when: the user asks for release notes from a list of merged changes');
    });

    it('patches and edits a skill whose folder has another name, keeping its other frontmatter byte for byte', async () => {
      const patched = await tools.manage({ action: 'patch', name: 'pdf-forms', old_string: 'ask when a value is missing', new_string: 'ask the user when a value is missing' });
      expect(patched).toEqual({ success: true, message: 'Patched SKILL.md of "pdf-forms" (1 replacement).' });
      const expected = original('document-filler/SKILL.md').replace('ask when a value is missing', 'ask the user when a value is missing');
      expect(await store.readFile('document-filler/SKILL.md')).toBe(expected);
      expect(await store.listFiles('pdf-forms/')).toEqual([]);

      const renamed = await tools.manage({ action: 'patch', name: 'pdf-forms', old_string: 'name: pdf-forms', new_string: 'name: forms' });
      expect(renamed).toEqual({ success: false, error: 'Frontmatter name "forms" must match the skill name "pdf-forms".' });

      const edited = expected.replace('Fill and flatten', 'Fill, then flatten');
      expect(await tools.manage({ action: 'edit', name: 'document-filler', content: edited })).toMatchObject({ success: true });
      expect(await store.readFile('document-filler/SKILL.md')).toBe(edited);
    });

    it('edits a published skill with a long description, but refuses a new one over the limit', async () => {
      const content = original('brand-voice/SKILL.md');
      const edited = await tools.manage({ action: 'edit', name: 'brand-voice', content: content.replace('list what you changed', 'list the changes') });
      expect(edited).toEqual({ success: false, error: expect.stringMatching(/^Description is \d+ characters; the limit is 1024\.$/) });
      expect(await store.readFile('brand-voice/SKILL.md')).toBe(content);
    });

    it('does not create a second skill under a name already listed from another folder', async () => {
      const content = '---\nname: pdf-forms\ndescription: Another one.\n---\nBody.\n';
      expect(await tools.manage({ action: 'create', name: 'pdf-forms', content })).toEqual({ success: false, error: 'Skill "pdf-forms" already exists. Use edit or patch.' });
      expect(await store.listFiles('pdf-forms/')).toEqual([]);
    });
  });
}
