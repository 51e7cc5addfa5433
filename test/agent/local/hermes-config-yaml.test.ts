import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../agent/config.ts';
import { configYamlTimezone } from '../../../agent/local/hermes-config-yaml.ts';
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
    expect(await configYamlTimezone(await homeWith('agent:\n  max_turns: 60\ntimezone: "Asia/Kolkata"\n'))).toBe('Asia/Kolkata');
  });

  it.each([
    ['no file', undefined],
    ['no timezone', 'model: deepseek-flash\n'],
    ['a blank one', 'timezone: "  "\n'],
    ['a number', 'timezone: 5\n'],
    ['YAML that does not parse', 'timezone: [Asia/Kolkata\n'],
    ['a list', '- timezone\n'],
  ])('sets nothing with %s', async (_, yaml) => {
    expect(await configYamlTimezone(await homeWith(yaml))).toBeUndefined();
  });

  it('counts after HERMES_TIMEZONE and before TZ, spelled as the zone database does', () => {
    expect(loadConfig({ TZ: 'Europe/Paris' }, { configYamlTimezone: 'europe/berlin' }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ HERMES_TIMEZONE: 'Europe/Berlin' }, { configYamlTimezone: 'Asia/Kolkata' }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ TZ: 'Europe/Paris' }).timezone).toBe('Europe/Paris');
  });

  it('stops the start on a zone that does not exist, unless HERMES_TIMEZONE decides', () => {
    expect(() => loadConfig({}, { configYamlTimezone: 'Mars/Olympus_Mons' })).toThrow(ConfigError);
    expect(loadConfig({ HERMES_TIMEZONE: 'UTC' }, { configYamlTimezone: 'Mars/Olympus_Mons' }).timezone).toBe('UTC');
  });
});
