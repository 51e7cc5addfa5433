import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HermesTools } from '../../tools/index.ts';
import { call, makeToolHarness, readFixture, type Outcome, type ToolHarness } from './harness.ts';

type ManageArgs = Parameters<NonNullable<HermesTools['skill_manage']['execute']>>[0];
type ViewArgs = Parameters<NonNullable<HermesTools['skill_view']['execute']>>[0];

let deployMd: string;
let weeklyMd: string;
let rollbackMd: string;
beforeAll(async () => {
  deployMd = await readFixture('deploy-checklist/SKILL.md');
  weeklyMd = await readFixture('weekly-report/SKILL.md');
  rollbackMd = await readFixture('deploy-checklist/references/rollback.md');
});

let h: ToolHarness;
beforeEach(async () => {
  h = await makeToolHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const manage = (args: ManageArgs) => call(h.tools.skill_manage, args);
const view = (args: ViewArgs) => call(h.tools.skill_view, args);
const list = (category?: string) => call(h.tools.skills_list, category === undefined ? {} : { category });
const skillsRoot = () => join(h.home, 'skills');
const onDisk = (path: string) => readFile(join(skillsRoot(), path), 'utf8');
const allFiles = () => h.skillStore.listFiles('');

function expectFailure(result: Outcome, message: RegExp | string): void {
  expect(result).toEqual({ success: false, error: typeof message === 'string' ? message : expect.stringMatching(message) });
}

async function createDeploy(): Promise<void> {
  expect(await manage({ action: 'create', name: 'deploy-checklist', content: deployMd })).toMatchObject({ success: true });
}

/** Creates weekly-report in `category`, or without one when it is null. */
async function createWeekly(category: string | null = 'reporting'): Promise<void> {
  const args: ManageArgs = { action: 'create', name: 'weekly-report', content: weeklyMd, ...(category === null ? {} : { category }) };
  expect(await manage(args)).toMatchObject({ success: true });
}

describe('skill_manage create, skills_list and skill_view', () => {
  it('creates a skill without a category', async () => {
    expect(await manage({ action: 'create', name: 'deploy-checklist', content: deployMd })).toEqual({
      success: true,
      message: 'Created skill "deploy-checklist".',
      path: 'deploy-checklist/SKILL.md',
    });
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd);
  });

  it('creates a skill inside a category', async () => {
    expect(await manage({ action: 'create', name: 'weekly-report', category: 'reporting', content: weeklyMd })).toEqual({
      success: true,
      message: 'Created skill "weekly-report".',
      path: 'reporting/weekly-report/SKILL.md',
    });
    expect(await onDisk('reporting/weekly-report/SKILL.md')).toBe(weeklyMd);
  });

  it('lists skills with their descriptions and categories', async () => {
    await createDeploy();
    await createWeekly();
    expect(await list()).toEqual({
      success: true,
      count: 2,
      skills: [
        { name: 'deploy-checklist', description: 'Steps to ship a release of the web app safely.', category: null },
        { name: 'weekly-report', description: "Write the Friday status report from the week's merged pull requests.", category: 'reporting' },
      ],
      categories: ['reporting'],
    });
  });

  it('filters the list by category and still names every category', async () => {
    await createDeploy();
    await createWeekly();
    expect(await list('reporting')).toMatchObject({ success: true, count: 1, skills: [{ name: 'weekly-report', category: 'reporting' }], categories: ['reporting'] });
    expect(await list('nothing-here')).toEqual({ success: true, count: 0, skills: [], categories: ['reporting'], hint: 'No skills in category "nothing-here".' });
  });

  it('says how to start when there are no skills', async () => {
    expect(await list()).toEqual({ success: true, count: 0, skills: [], categories: [], hint: 'No skills yet. Create one with skill_manage.' });
  });

  it('shows the full SKILL.md and its linked files', async () => {
    await createDeploy();
    expect(await view({ name: 'deploy-checklist' })).toEqual({
      success: true,
      name: 'deploy-checklist',
      category: null,
      description: 'Steps to ship a release of the web app safely.',
      content: deployMd,
      linked_files: {},
    });

    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/rollback.md', file_content: rollbackMd });
    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'scripts/smoke/run.sh', file_content: 'npm run smoke\n' });
    expect((await view({ name: 'deploy-checklist' })).linked_files).toEqual({
      references: ['references/rollback.md'],
      scripts: ['scripts/smoke/run.sh'],
    });
  });

  it("leaves a virtualenv's and installed packages' files out of linked_files, and lists at most 100 files", async () => {
    await createDeploy();
    const dir = 'deploy-checklist/';
    await h.skillStore.writeFile(`${dir}scripts/check.py`, 'print(1)\n');
    for (let index = 0; index < 30; index++) {
      await h.skillStore.writeFile(`${dir}venv/lib/python3.13/site-packages/pip/m${index}.py`, '');
      await h.skillStore.writeFile(`${dir}scripts/node_modules/left-pad/i${index}.js`, '');
      await h.skillStore.writeFile(`${dir}scripts/__pycache__/c${index}.pyc`, '');
    }
    expect((await view({ name: 'deploy-checklist' })).linked_files).toEqual({ scripts: ['scripts/check.py'] });
    for (let index = 0; index < 120; index++) await h.skillStore.writeFile(`${dir}references/r${String(index).padStart(3, '0')}.md`, 'x');
    const viewed = await view({ name: 'deploy-checklist' });
    expect(Object.values(viewed.linked_files as Record<string, string[]>).flat()).toHaveLength(100);
    expect(viewed.linked_files_not_listed).toBe(21);
    const missing = await view({ name: 'deploy-checklist', file_path: 'references/none.md' });
    expect(missing.error).toMatch(/ and 21 more\.$/);
    expect(missing.error).not.toContain('venv/');
  });

  it('shows the category of a categorized skill', async () => {
    await createWeekly();
    expect(await view({ name: 'weekly-report' })).toMatchObject({ success: true, category: 'reporting', content: weeklyMd });
  });

  it('shows a supporting file by path', async () => {
    await createDeploy();
    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/rollback.md', file_content: rollbackMd });
    expect(await view({ name: 'deploy-checklist', file_path: 'references/rollback.md' })).toEqual({
      success: true,
      name: 'deploy-checklist',
      file_path: 'references/rollback.md',
      content: rollbackMd,
    });
  });

  it('names the available files when a supporting file is missing', async () => {
    await createDeploy();
    expectFailure(await view({ name: 'deploy-checklist', file_path: 'references/nope.md' }), 'File "references/nope.md" not found in skill "deploy-checklist". Available: none.');
    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/rollback.md', file_content: rollbackMd });
    expectFailure(
      await view({ name: 'deploy-checklist', file_path: 'references/nope.md' }),
      'File "references/nope.md" not found in skill "deploy-checklist". Available: references/rollback.md.',
    );
  });

  it.each(['../weekly-report/SKILL.md', 'references/../../weekly-report/SKILL.md', '/etc/passwd', 'references\\..\\x'])(
    'refuses to view the path %j outside the skill',
    async (file_path) => {
      await createDeploy();
      await createWeekly(null);
      const result = await view({ name: 'deploy-checklist', file_path });
      expect(result).toEqual({ success: false, error: expect.stringMatching(/^Path ".*" (must be relative|may not contain)/) });
    },
  );

  it('reports a missing skill', async () => {
    expectFailure(await view({ name: 'nope' }), 'Skill "nope" not found. Use skills_list to see what exists.');
    expectFailure(await view({ name: '../evil' }), /^Invalid skill name "\.\.\/evil"/);
  });
});

describe('skills written by hand into the skills folder', () => {
  it('refuses to guess between two skills of one name, and loads either by its folder path', async () => {
    await createWeekly('reporting');
    await h.skillStore.writeFile('archive-2025/weekly-report/SKILL.md', weeklyMd);
    expectFailure(
      await view({ name: 'weekly-report' }),
      'Skill name "weekly-report" is ambiguous: 2 skills match (archive-2025/weekly-report, reporting/weekly-report). Use the folder path, e.g. "archive-2025/weekly-report".',
    );
    expect(await view({ name: 'reporting/weekly-report' })).toMatchObject({ success: true, name: 'weekly-report', category: 'reporting' });
    expect(await view({ name: 'reporting:weekly-report' })).toMatchObject({ success: true, name: 'weekly-report', category: 'reporting' });
    expect(await manage({ action: 'patch', name: 'archive-2025/weekly-report', old_string: 'three bullet points', new_string: 'two bullet points' })).toMatchObject({ success: true });
    expect(await onDisk('reporting/weekly-report/SKILL.md')).toBe(weeklyMd);
  });

  it("does not open a skill folder's hidden files, such as a clone's .git/config", async () => {
    await h.skillStore.writeFile('notes/SKILL.md', '---\nname: notes\ndescription: n\n---\nBody\n');
    await h.skillStore.writeFile('notes/.git/config', '[remote "origin"]\n\turl = https://user:token@example.com/skills.git\n');
    expectFailure(await view({ name: 'notes', file_path: '.git/config' }), 'File ".git/config" is not part of skill "notes".');
  });

  it("answers a skill's binary asset with a note, as Hermes does, instead of filling the context with its bytes read as text", async () => {
    await h.skillStore.writeFile('brand/SKILL.md', '---\nname: brand\ndescription: b\n---\nUse assets/logo.png in headers.\n');
    await mkdir(join(skillsRoot(), 'brand/assets'), { recursive: true });
    await copyFile(new URL('../fixtures/media/red-square.png', import.meta.url), join(skillsRoot(), 'brand/assets/logo.png'));
    expect(await view({ name: 'brand' })).toMatchObject({ success: true, linked_files: { assets: ['assets/logo.png'] } });
    expect(await view({ name: 'brand', file_path: 'assets/logo.png' })).toEqual({
      success: true,
      name: 'brand',
      file_path: 'assets/logo.png',
      content: '[Binary file: assets/logo.png; it cannot be shown as text.]',
    });
  });

  it('reads a SKILL.md saved as Windows-1252, as Hermes does, and refuses to patch it rather than lose its accents', async () => {
    await mkdir(join(skillsRoot(), 'menu'), { recursive: true });
    // "Don’t" and "café" in Windows-1252: 0x92 and 0xE9 are not UTF-8.
    const legacy = Buffer.concat([Buffer.from('---\nname: menu\ndescription: Plan the menu.\n---\nDon'), Buffer.from([0x92]), Buffer.from('t skip the caf'), Buffer.from([0xe9]), Buffer.from('.\nStep one: ping.\n')]);
    await writeFile(join(skillsRoot(), 'menu/SKILL.md'), legacy);
    expect((await view({ name: 'menu' })).content).toBe('---\nname: menu\ndescription: Plan the menu.\n---\nDon\uFFFDt skip the caf\uFFFD.\nStep one: ping.\n');
    expectFailure(await manage({ action: 'patch', name: 'menu', old_string: 'Step one: ping.', new_string: 'Step one: pong.' }), /not saved as UTF-8/);
    expect(await readFile(join(skillsRoot(), 'menu/SKILL.md'))).toEqual(legacy);
    await writeFile(join(skillsRoot(), 'menu/noise.bin'), Buffer.alloc(64, 0xff));
    expect((await view({ name: 'menu', file_path: 'noise.bin' })).content).toBe('[Binary file: noise.bin; it cannot be shown as text.]');
  });

  it('shows a supporting file past the size of a SKILL.md cut there, saying so', async () => {
    await h.skillStore.writeFile('data/SKILL.md', '---\nname: data\ndescription: d\n---\nSee references/table.csv.\n');
    await h.skillStore.writeFile('data/references/table.csv', 'id,value\n'.repeat(20_000));
    const shown = await view({ name: 'data', file_path: 'references/table.csv' });
    expect(shown.content).toHaveLength(100_000 + '\n[… clipped: references/table.csv has 180,000 characters; the first 100,000 are shown.]'.length);
    expect(shown.content).toMatch(/\[… clipped: references\/table\.csv has 180,000 characters; the first 100,000 are shown\.\]$/);
  });

  it('describes a skill without a description by the first line of its instructions, as Hermes does', async () => {
    await h.skillStore.writeFile('notes/SKILL.md', '---\nname: notes\n---\n# Notes\n\nKeep notes short.\nOne idea per line.\n');
    expect(await list()).toMatchObject({ skills: [{ name: 'notes', description: 'Keep notes short.' }] });
  });
});

describe('skills for tools or systems this agent lacks', () => {
  it('leaves them out of skills_list and the index, as Hermes does, but still loads them by name', async () => {
    await h.skillStore.writeFile('devops/tmux-sessions/SKILL.md', '---\nname: tmux-sessions\ndescription: Drive tmux\nmetadata:\n  hermes:\n    requires_toolsets: [terminal]\n---\nRun tmux ls first.\n');
    await h.skillStore.writeFile('apple/shortcuts/SKILL.md', '---\nname: shortcuts\ndescription: Run Apple Shortcuts\nplatforms: [plan9]\n---\nOpen Shortcuts.\n');
    await h.skillStore.writeFile('notes/SKILL.md', '---\nname: notes\ndescription: Keep notes\n---\nOne idea per line.\n');
    expect(((await list()).skills as { name: string }[]).map((skill) => skill.name)).toEqual(['notes']);
    expect((await list()).categories).toEqual([]);
    expect((await h.deps.skills.offered()).map((skill) => skill.name)).toEqual(['notes']);
    expect(await view({ name: 'tmux-sessions' })).toMatchObject({ success: true, name: 'tmux-sessions' });
  });
});

describe('skill_manage patch', () => {
  beforeEach(createDeploy);

  it('replaces a unique string', async () => {
    const result = await manage({ action: 'patch', name: 'deploy-checklist', old_string: 'Tag the release.', new_string: 'Tag the release and push the tag.' });
    expect(result).toEqual({ success: true, message: 'Patched SKILL.md of "deploy-checklist" (1 replacement).' });
    expect((await view({ name: 'deploy-checklist' })).content).toBe(deployMd.replace('Tag the release.', 'Tag the release and push the tag.'));
  });

  it.each(['SKILL.md', 'deploy-checklist/SKILL.md'])('takes file_path %j for the skill itself, as Hermes does', async (file_path) => {
    const result = await manage({ action: 'patch', name: 'deploy-checklist', file_path, old_string: 'Tag the release.', new_string: 'Tag it.' });
    expect(result).toEqual({ success: true, message: 'Patched SKILL.md of "deploy-checklist" (1 replacement).' });
    expect((await view({ name: 'deploy-checklist' })).content).toBe(deployMd.replace('Tag the release.', 'Tag it.'));
  });

  it('refuses an ambiguous string unless replace_all is set', async () => {
    const ambiguous = await manage({ action: 'patch', name: 'deploy-checklist', old_string: 'Deploy to', new_string: 'Ship to' });
    expectFailure(ambiguous, 'old_string occurs 2 times in SKILL.md; add context to make it unique or set replace_all.');
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd);

    const all = await manage({ action: 'patch', name: 'deploy-checklist', old_string: 'Deploy to', new_string: 'Ship to', replace_all: true });
    expect(all).toEqual({ success: true, message: 'Patched SKILL.md of "deploy-checklist" (2 replacements).' });
    const content = (await view({ name: 'deploy-checklist' })).content as string;
    expect(content).not.toContain('Deploy to');
    expect(content).toContain('3. Ship to staging, then run the smoke tests.\n4. Ship to production.');
  });

  it('reports a string that is not there', async () => {
    expectFailure(
      await manage({ action: 'patch', name: 'deploy-checklist', old_string: 'Deploy to the moon', new_string: 'x' }),
      'old_string was not found in SKILL.md. View the skill and copy the text exactly.',
    );
  });

  it('inserts the replacement literally, even with $-patterns', async () => {
    await manage({ action: 'patch', name: 'deploy-checklist', old_string: 'Tag the release.', new_string: 'Tag it $& and $1.' });
    expect(await onDisk('deploy-checklist/SKILL.md')).toContain('2. Tag it $& and $1.\n');
  });

  it.each([
    ['removes the closing frontmatter fence', '---\n# Deploy checklist', '# Deploy checklist', /^SKILL\.md frontmatter is not closed: end it with a "---" line/],
    ['renames the skill', 'name: deploy-checklist', 'name: release-checklist', /Frontmatter name "release-checklist" must match the skill name "deploy-checklist"/],
    ['drops the description', 'description: Steps to ship a release of the web app safely.\n', '', /needs a "description" field/],
  ])('rejects a patch that %s and leaves the file intact', async (_, old_string, new_string, message) => {
    expectFailure(await manage({ action: 'patch', name: 'deploy-checklist', old_string, new_string }), message);
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd);
  });

  it('patches a supporting file', async () => {
    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/rollback.md', file_content: rollbackMd });
    const result = await manage({ action: 'patch', name: 'deploy-checklist', file_path: 'references/rollback.md', old_string: '#ops', new_string: '#releases' });
    expect(result).toEqual({ success: true, message: 'Patched references/rollback.md of "deploy-checklist" (1 replacement).' });
    expect((await view({ name: 'deploy-checklist', file_path: 'references/rollback.md' })).content).toBe(rollbackMd.replace('#ops', '#releases'));
  });

  it('reports a missing file, a missing skill and missing strings', async () => {
    expectFailure(
      await manage({ action: 'patch', name: 'deploy-checklist', file_path: 'references/none.md', old_string: 'a', new_string: 'b' }),
      'File "references/none.md" not found in skill "deploy-checklist".',
    );
    expectFailure(await manage({ action: 'patch', name: 'nope', old_string: 'a', new_string: 'b' }), /^Skill "nope" not found/);
    expectFailure(await manage({ action: 'patch', name: 'deploy-checklist', new_string: 'b' }), 'patch needs old_string (the exact text to replace).');
    expectFailure(await manage({ action: 'patch', name: 'deploy-checklist', old_string: '', new_string: 'b' }), /^patch needs old_string/);
    expectFailure(await manage({ action: 'patch', name: 'deploy-checklist', old_string: 'Tag' }), 'patch needs new_string.');
    expectFailure(await manage({ action: 'patch', name: 'deploy-checklist', file_path: 'other/x.md', old_string: 'a', new_string: 'b' }), /must be inside references\//);
  });
});

describe('skill_manage patch matches old_string as Hermes\' fuzzy_find_and_replace does', () => {
  beforeEach(createDeploy);
  const steps = '1. Run the unit tests.\n2. Tag the release.';

  it('finds text with plain line breaks in a file with Windows line endings, and keeps the file\'s line endings', async () => {
    const windows = deployMd.replaceAll('\n', '\r\n');
    await h.skillStore.writeFile('deploy-checklist/SKILL.md', windows);
    const result = await manage({ action: 'patch', name: 'deploy-checklist', old_string: steps, new_string: '1. Run all tests.\n2. Tag the release.\n2b. Push the tag.' });
    expect(result).toEqual({ success: true, message: 'Patched SKILL.md of "deploy-checklist" (1 replacement).' });
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(windows.replace('1. Run the unit tests.\r\n2. Tag the release.', '1. Run all tests.\r\n2. Tag the release.\r\n2b. Push the tag.'));
  });

  it('writes a Windows-style new_string with the line endings of a file that has plain ones', async () => {
    await manage({ action: 'patch', name: 'deploy-checklist', old_string: steps.replace('\n', '\r\n'), new_string: '1. Run all tests.\r\n2. Tag it.' });
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd.replace(steps, '1. Run all tests.\n2. Tag it.'));
  });

  it('ignores whitespace at the ends of each line, and indents new_string as the lines it replaces', async () => {
    const spaced = deployMd.replace('1. Run the unit tests.\n2. Tag the release.', '  1. Run the unit tests.  \n  2. Tag the release.\t');
    await h.skillStore.writeFile('deploy-checklist/SKILL.md', spaced);
    expect(await manage({ action: 'patch', name: 'deploy-checklist', old_string: steps, new_string: '1. Run all tests.\n   Twice.\n2. Tag it.' })).toMatchObject({ success: true });
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd.replace(steps, '  1. Run all tests.\n     Twice.\n  2. Tag it.'));
  });

  it('still refuses a match that is not unique unless replace_all is set', async () => {
    const twice = `${deployMd}\nAgain:\n1. Run the unit tests.  \n2. Tag the release.  \n`;
    await h.skillStore.writeFile('deploy-checklist/SKILL.md', twice.replace(steps, '1. Run the unit tests. \n2. Tag the release.'));
    expectFailure(
      await manage({ action: 'patch', name: 'deploy-checklist', old_string: steps, new_string: 'Test, then tag.' }),
      'old_string occurs 2 times in SKILL.md; add context to make it unique or set replace_all.',
    );
    const all = await manage({ action: 'patch', name: 'deploy-checklist', old_string: steps, new_string: 'Test, then tag.', replace_all: true });
    expect(all).toEqual({ success: true, message: 'Patched SKILL.md of "deploy-checklist" (2 replacements).' });
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(twice.replace(steps, 'Test, then tag.').replace('1. Run the unit tests.  \n2. Tag the release.  ', 'Test, then tag.'));
  });

  it('refuses an old_string of only whitespace, which would match every blank line', async () => {
    expectFailure(await manage({ action: 'patch', name: 'deploy-checklist', old_string: ' \n ', new_string: 'x' }), 'old_string is only whitespace; give the text to replace.');
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd);
  });
});

describe('skill_manage edit', () => {
  it('replaces SKILL.md and refreshes the listed description', async () => {
    await createDeploy();
    expect(await list()).toMatchObject({ skills: [{ description: 'Steps to ship a release of the web app safely.' }] });
    const edited = deployMd.replace('Steps to ship a release of the web app safely.', 'How we release.').replace('4. Deploy to production.', '4. Deploy to production.\n5. Watch the dashboards.');
    expect(await manage({ action: 'edit', name: 'deploy-checklist', content: edited })).toEqual({ success: true, message: 'Rewrote SKILL.md of "deploy-checklist".' });
    expect(await view({ name: 'deploy-checklist' })).toMatchObject({ content: edited, description: 'How we release.' });
    expect(await list()).toMatchObject({ skills: [{ name: 'deploy-checklist', description: 'How we release.' }] });
  });

  it('keeps a categorized skill in its category', async () => {
    await createWeekly();
    const edited = weeklyMd.replace('three bullet points', 'five bullet points');
    expect(await manage({ action: 'edit', name: 'weekly-report', content: edited })).toMatchObject({ success: true });
    expect(await onDisk('reporting/weekly-report/SKILL.md')).toBe(edited);
    expect(await allFiles()).toEqual(['reporting/weekly-report/SKILL.md']);
  });

  it('rejects invalid content and leaves the file intact', async () => {
    await createDeploy();
    expectFailure(await manage({ action: 'edit', name: 'deploy-checklist', content: weeklyMd }), /Frontmatter name "weekly-report" must match the skill name "deploy-checklist"/);
    expectFailure(await manage({ action: 'edit', name: 'deploy-checklist' }), 'edit needs content: the full new SKILL.md.');
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd);
  });

  it('reports a missing skill', async () => {
    expectFailure(await manage({ action: 'edit', name: 'deploy-checklist', content: deployMd }), /^Skill "deploy-checklist" not found/);
    expect(await allFiles()).toEqual([]);
  });
});

describe('skill_manage write_file and remove_file', () => {
  beforeEach(createDeploy);

  it('writes and removes a supporting file', async () => {
    expect(await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/x.md', file_content: '# X\n' })).toEqual({
      success: true,
      message: 'Wrote references/x.md in "deploy-checklist".',
    });
    expect((await view({ name: 'deploy-checklist', file_path: 'references/x.md' })).content).toBe('# X\n');

    expect(await manage({ action: 'remove_file', name: 'deploy-checklist', file_path: 'references/x.md' })).toEqual({
      success: true,
      message: 'Removed references/x.md from "deploy-checklist".',
    });
    expect((await view({ name: 'deploy-checklist' })).linked_files).toEqual({});
    expectFailure(await manage({ action: 'remove_file', name: 'deploy-checklist', file_path: 'references/x.md' }), 'File "references/x.md" not found in skill "deploy-checklist".');
  });

  it('writes into templates/, scripts/ and assets/ too', async () => {
    for (const file_path of ['templates/mail.md', 'scripts/check.sh', 'assets/logo.svg']) {
      expect(await manage({ action: 'write_file', name: 'deploy-checklist', file_path, file_content: 'x' })).toMatchObject({ success: true });
    }
    expect(Object.keys((await view({ name: 'deploy-checklist' })).linked_files).sort()).toEqual(['assets', 'scripts', 'templates']);
  });

  it.each([
    ['other/x.md', /^file_path "other\/x\.md" must be inside references\/, templates\/, scripts\/, assets\/\.$/],
    ['../x', /may not contain empty, "\." or "\.\." segments/],
    ['references/../../x', /may not contain empty, "\." or "\.\." segments/],
    ['/etc/passwd', /must be relative and use "\/" separators/],
    ['references/', /may not contain empty/],
    ['references', /must be inside references\//],
    ['SKILL.md', /must be inside references\//],
    ['references\\..\\..\\x', /must be relative and use "\/" separators/],
  ])('refuses to write or remove %j and writes nothing', async (file_path, message) => {
    const before = await allFiles();
    expectFailure(await manage({ action: 'write_file', name: 'deploy-checklist', file_path, file_content: 'pwned' }), message);
    expectFailure(await manage({ action: 'remove_file', name: 'deploy-checklist', file_path }), message);
    expect(await allFiles()).toEqual(before);
    expect(existsSync(join(h.home, 'x'))).toBe(false);
    expect(existsSync(join(skillsRoot(), 'x'))).toBe(false);
    expect(await onDisk('deploy-checklist/SKILL.md')).toBe(deployMd);
  });

  it('requires file_path and file_content, an existing skill and a sane size', async () => {
    expectFailure(await manage({ action: 'write_file', name: 'deploy-checklist', file_content: 'x' }), 'write_file needs file_path.');
    expectFailure(await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/x.md' }), 'write_file needs file_content.');
    expectFailure(await manage({ action: 'remove_file', name: 'deploy-checklist' }), 'remove_file needs file_path.');
    expectFailure(await manage({ action: 'write_file', name: 'nope', file_path: 'references/x.md', file_content: 'x' }), /^Skill "nope" not found/);
    expectFailure(
      await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/big.md', file_content: 'x'.repeat(1_000_001) }),
      'file_content is 1000001 characters; the limit is 1000000.',
    );
    expect(await allFiles()).toEqual(['deploy-checklist/SKILL.md']);
  });

  it('does not turn a supporting file named SKILL.md into another skill', async () => {
    expect(await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/SKILL.md', file_content: 'notes' })).toMatchObject({
      success: false,
      error: expect.stringMatching(/may not be named SKILL\.md/),
    });
    expect(await list()).toMatchObject({ count: 1, skills: [{ name: 'deploy-checklist', category: null }], categories: [] });
  });
});

describe('skill_manage delete', () => {
  it('deletes the skill with its supporting files', async () => {
    await createDeploy();
    await createWeekly();
    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/rollback.md', file_content: rollbackMd });
    expect(await manage({ action: 'delete', name: 'deploy-checklist' })).toEqual({ success: true, message: 'Deleted skill "deploy-checklist" (2 files).' });
    expectFailure(await view({ name: 'deploy-checklist' }), /^Skill "deploy-checklist" not found/);
    expect(await list()).toMatchObject({ count: 1, skills: [{ name: 'weekly-report' }] });
    expect(await allFiles()).toEqual(['reporting/weekly-report/SKILL.md']);
  });

  it('leaves no empty folders of a deleted skill on disk', async () => {
    await createDeploy();
    await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'references/rollback.md', file_content: rollbackMd });
    expect(await manage({ action: 'delete', name: 'deploy-checklist' })).toMatchObject({ success: true });
    expect(existsSync(join(skillsRoot(), 'deploy-checklist'))).toBe(false);
  });

  it('reports a missing skill', async () => {
    expectFailure(await manage({ action: 'delete', name: 'deploy-checklist' }), 'Skill "deploy-checklist" not found. Use skills_list to see what exists.');
  });

  it('never deletes another skill', async () => {
    await createDeploy();
    const second = await manage({ action: 'create', name: 'weekly-report', category: 'deploy-checklist', content: weeklyMd });
    await manage({ action: 'delete', name: 'deploy-checklist' });
    const remaining = ((await list()).skills as { name: string }[]).map((skill) => skill.name);
    expect(remaining).toEqual(second.success ? ['weekly-report'] : []);
  });
});

describe('skill_manage validation', () => {
  it('rejects a second skill with the same name, in any category', async () => {
    await createWeekly('reporting');
    expectFailure(
      await manage({ action: 'create', name: 'weekly-report', content: weeklyMd }),
      'Skill "weekly-report" already exists in category "reporting". Use edit or patch.',
    );
    await createDeploy();
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist', category: 'ops', content: deployMd }), 'Skill "deploy-checklist" already exists. Use edit or patch.');
    expect(await allFiles()).toEqual(['deploy-checklist/SKILL.md', 'reporting/weekly-report/SKILL.md']);
  });

  it.each([
    ['../evil', 'it may not contain "/" or "\\"; put the skill in a category instead'],
    ['Upper', 'it must be lowercase (try "upper")'],
    ['a'.repeat(65), 'it is 65 characters, over 64'],
    ['-lead', 'it must start with a letter or digit, not "-"'],
    ['with space', 'it may not contain spaces; use "-" between words'],
    ['', 'it is empty'],
    ['.hidden', 'it must start with a letter or digit, not "."'],
    ['evil/name', 'it may not contain "/" or "\\"; put the skill in a category instead'],
    ['caf\u00e9', '"\u00e9" is not allowed; use a-z, 0-9, ".", "_" or "-"'],
  ])('rejects the skill name %j for every action, saying what is wrong', async (name, problem) => {
    const content = deployMd.replace('name: deploy-checklist', `name: ${JSON.stringify(name)}`);
    for (const args of [
      { action: 'create', name, content },
      { action: 'edit', name, content },
      { action: 'delete', name },
      { action: 'write_file', name, file_path: 'references/x.md', file_content: 'x' },
    ] as ManageArgs[]) {
      expectFailure(await manage(args), `Invalid skill name "${name}": ${problem}.`);
    }
    expect(await allFiles()).toEqual([]);
  });

  it('accepts a 64-character name', async () => {
    const name = 'a'.repeat(64);
    expect(await manage({ action: 'create', name, content: deployMd.replace('name: deploy-checklist', `name: ${name}`) })).toMatchObject({ success: true });
  });

  it.each(['Ops', '../ops', 'ops/deep', ''])('rejects the category %j', async (category) => {
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist', category, content: deployMd }), /^Invalid category/);
    expect(await allFiles()).toEqual([]);
  });

  it('limits the description to 1024 characters', async () => {
    const withDescription = (length: number) => deployMd.replace('Steps to ship a release of the web app safely.', 'd'.repeat(length));
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist', content: withDescription(1025) }), 'Description is 1025 characters; the limit is 1024.');
    expect(await allFiles()).toEqual([]);
    expect(await manage({ action: 'create', name: 'deploy-checklist', content: withDescription(1024) })).toMatchObject({ success: true });
  });

  it('counts limits in characters (code points), not UTF-16 units', async () => {
    const withDescription = (text: string) => deployMd.replace('Steps to ship a release of the web app safely.', text);
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist', content: withDescription('🚀'.repeat(1025)) }), 'Description is 1025 characters; the limit is 1024.');
    expect(await manage({ action: 'create', name: 'deploy-checklist', content: withDescription('🚀'.repeat(1024)) })).toMatchObject({ success: true });
    expect((await view({ name: 'deploy-checklist' })).description).toBe('🚀'.repeat(1024));

    const big = '🚀'.repeat(600_000);
    expect(await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'assets/rockets.txt', file_content: big })).toMatchObject({ success: true });
    expectFailure(
      await manage({ action: 'write_file', name: 'deploy-checklist', file_path: 'assets/more.txt', file_content: '🚀'.repeat(1_000_001) }),
      'file_content is 1000001 characters; the limit is 1000000.',
    );
    const longBody = `${deployMd}${'🚀'.repeat(99_000)}`;
    expect(await manage({ action: 'edit', name: 'deploy-checklist', content: longBody })).toMatchObject({ success: true });
  });

  it('accepts repeated frontmatter keys (the last wins) and a numeric description, as Hermes does', async () => {
    const content = deployMd.replace('description: Steps to ship a release of the web app safely.', 'description: first draft\ndescription: 2026');
    expect(await manage({ action: 'create', name: 'deploy-checklist', content })).toMatchObject({ success: true });
    expect(await list()).toMatchObject({ skills: [{ name: 'deploy-checklist', description: '2026' }] });
  });

  it('limits SKILL.md to 100,000 characters', async () => {
    const huge = `${deployMd}${'x'.repeat(100_001 - deployMd.length)}`;
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist', content: huge }), 'SKILL.md is 100001 characters; the limit is 100000.');
    expect(await allFiles()).toEqual([]);
  });

  it.each([
    ['no frontmatter', (md: string) => md.replace(/^---\n[\s\S]*?\n---\n/, ''), /^SKILL\.md must start with YAML frontmatter between "---" lines/],
    ['no name', (md: string) => md.replace('name: deploy-checklist\n', ''), 'SKILL.md frontmatter needs a "name" field.'],
    ['no description', (md: string) => md.replace(/description: .*\n/, ''), 'SKILL.md frontmatter needs a "description" field.'],
    ['a blank description', (md: string) => md.replace(/description: .*\n/, 'description: "  "\n'), 'SKILL.md frontmatter needs a "description" field.'],
    ['another name', (md: string) => md.replace('name: deploy-checklist', 'name: release-checklist'), 'Frontmatter name "release-checklist" must match the skill name "deploy-checklist".'],
    ['an empty body', (md: string) => md.slice(0, md.indexOf('# Deploy checklist')), 'SKILL.md needs instructions after the frontmatter.'],
    ['invalid YAML', (md: string) => md.replace('name: deploy-checklist', 'name: [deploy'), /^SKILL\.md frontmatter is not valid YAML/],
    ['a list as frontmatter', (md: string) => md.replace(/^---\n[\s\S]*?\n---\n/, '---\n- a\n- b\n---\n'), /must be a YAML mapping/],
  ])('rejects SKILL.md with %s and writes nothing', async (_, mutate, message) => {
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist', content: mutate(deployMd) }), message);
    expect(await allFiles()).toEqual([]);
  });

  it('requires content for create', async () => {
    expectFailure(await manage({ action: 'create', name: 'deploy-checklist' }), 'create needs content: the full SKILL.md.');
  });
});
