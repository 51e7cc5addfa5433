import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../agent/config.ts';
import { readHermesConfigYaml } from '../../../agent/local/hermes-config-yaml.ts';
import { call, makeToolHarness } from '../../tools/harness.ts';
import { createTools } from '../../../tools/index.ts';
import { SkillLibrary } from '../../../tools/skill-library.ts';
import { ConfigError } from '../../../tools/errors.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';

describe("the time zone of classic Hermes' config.yaml", () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(() => remove?.());

  async function homeWith(yaml?: string): Promise<string> {
    const home = await makeTempDir('hermes-config-yaml-');
    remove = home.remove;
    if (yaml !== undefined) await writeFile(join(home.path, 'config.yaml'), yaml);
    return home.path;
  }

  it('is read from the top-level timezone key', async () => {
    expect((await readHermesConfigYaml(await homeWith('agent:\n  max_turns: 60\ntimezone: "Asia/Kolkata"\n'))).timezone).toBe('Asia/Kolkata');
  });

  it.each([
    ['no file', undefined],
    ['no timezone', 'model: deepseek-flash\n'],
    ['a blank one', 'timezone: "  "\n'],
    ['a number', 'timezone: 5\n'],
    ['YAML that does not parse', 'timezone: [Asia/Kolkata\n'],
    ['a list', '- timezone\n'],
  ])('sets nothing with %s', async (_, yaml) => {
    expect((await readHermesConfigYaml(await homeWith(yaml))).timezone).toBeUndefined();
  });

  it('counts after HERMES_TIMEZONE and before TZ, spelled as the zone database does', () => {
    expect(loadConfig({ TZ: 'Europe/Paris' }, { configYaml: { timezone: 'europe/berlin' } }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ HERMES_TIMEZONE: 'Europe/Berlin' }, { configYaml: { timezone: 'Asia/Kolkata' } }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ TZ: 'Europe/Paris' }).timezone).toBe('Europe/Paris');
  });

  it('stops the start on a zone that does not exist, unless HERMES_TIMEZONE decides', () => {
    expect(() => loadConfig({}, { configYaml: { timezone: 'Mars/Olympus_Mons' } })).toThrow(ConfigError);
    expect(loadConfig({ HERMES_TIMEZONE: 'UTC' }, { configYaml: { timezone: 'Mars/Olympus_Mons' } }).timezone).toBe('UTC');
  });
});

describe("the memory budgets of classic Hermes' config.yaml", () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(() => remove?.());

  async function configOf(yaml: string) {
    const home = await makeTempDir('hermes-config-yaml-');
    remove = home.remove;
    await writeFile(join(home.path, 'config.yaml'), yaml);
    return loadConfig({}, { configYaml: await readHermesConfigYaml(home.path) });
  }

  it('takes memory.memory_char_limit and memory.user_char_limit, as Hermes does, and keeps the default of one left out', async () => {
    expect((await configOf('memory:\n  memory_char_limit: 4000\n')).memoryLimits).toEqual({ memory: 4_000, user: 1_375 });
    expect((await configOf('memory:\n  memory_char_limit: 4000\n  user_char_limit: 2000\n')).memoryLimits).toEqual({ memory: 4_000, user: 2_000 });
  });

  it.each(['memory: 4000\n', 'memory:\n  memory_char_limit: lots\n', 'memory:\n  memory_char_limit: -5\n', 'memory:\n  memory_char_limit: 2.5\n'])('keeps the defaults with %j', async (yaml) => {
    expect((await configOf(yaml)).memoryLimits).toEqual({ memory: 2_200, user: 1_375 });
  });

  it('lets the memory tool fill the notebook to the shared budget, and refuses past it', async () => {
    const config = await configOf('memory:\n  memory_char_limit: 3000\n');
    const h = await makeToolHarness();
    try {
      const tools = createTools({ ...h.deps, config: { memoryLimits: config.memoryLimits } }, h.ctx);
      const long = 'x'.repeat(2_500);
      expect(await call(tools.memory, { action: 'add', target: 'memory', content: long })).toMatchObject({ success: true, usage: '83% — 2,500/3,000 chars' });
      expect(await call(tools.memory, { action: 'add', target: 'memory', content: 'y'.repeat(600) })).toMatchObject({ success: false, error: expect.stringMatching(/3103\/3000 chars/) });
    } finally {
      await h.cleanup();
    }
  });
});

describe("the skills classic Hermes' config.yaml turned off", () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(() => remove?.());

  async function homeWith(yaml: string): Promise<string> {
    const home = await makeTempDir('hermes-config-yaml-');
    remove = home.remove;
    await writeFile(join(home.path, 'config.yaml'), yaml);
    return home.path;
  }

  const YAML = 'skills:\n  disabled: [arxiv]\n  platform_disabled:\n    telegram: "pdf-tools, ocr"\n    cli: [tmux]\n';

  it('are those turned off everywhere and on the platform this start serves: Telegram with a bot token, else the terminal', async () => {
    const configYaml = await readHermesConfigYaml(await homeWith(YAML));
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' }, { configYaml }).disabledSkills).toEqual(['arxiv', 'pdf-tools', 'ocr']);
    expect(loadConfig({}, { configYaml }).disabledSkills).toEqual(['arxiv', 'tmux']);
  });

  it('are left out of what the index and skills_list offer, and still load by name', async () => {
    const h = await makeToolHarness();
    try {
      for (const name of ['arxiv', 'notes']) await h.skillStore.writeFile(`${name}/SKILL.md`, `---\nname: ${name}\ndescription: ${name} things\n---\nDo ${name} things.\n`);
      const skills = new SkillLibrary(h.skillStore, { disabled: loadConfig({}, { configYaml: await readHermesConfigYaml(await homeWith(YAML)) }).disabledSkills });
      expect((await skills.offered()).map((skill) => skill.name)).toEqual(['notes']);
      const tools = createTools({ ...h.deps, skills }, h.ctx);
      expect(await call(tools.skills_list, {})).toMatchObject({ skills: [expect.objectContaining({ name: 'notes' })] });
      expect(await call(tools.skill_view, { name: 'arxiv' })).toMatchObject({ success: true, name: 'arxiv' });
    } finally {
      await h.cleanup();
    }
  });
});
