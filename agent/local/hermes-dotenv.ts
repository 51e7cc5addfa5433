import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The variables of classic Hermes' HERMES_HOME/.env, where Hermes keeps its API keys and bot token ("API keys and
 * secrets", Hermes' configuration docs; loaded by hermes_cli/env_loader.py load_hermes_dotenv, read 2026-12-03). Hermes
 * lets that file override what the shell exports, so `npm start` does too. A byte-order mark and `export ` prefixes,
 * which python-dotenv takes, are taken here as well. HERMES_HOME itself is not taken from it: the file is found by it.
 * A missing or unreadable file sets nothing, as in Hermes.
 */
export async function readHermesDotenv(home: string): Promise<Record<string, string>> {
  const text = await readFile(join(home, '.env'), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  const lines = text.replace(/^\uFEFF/, '').replaceAll('\0', '').replace(/^[ \t]*export[ \t]+/gm, '');
  const { HERMES_HOME: _ignored, ...values } = parseEnv(lines);
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
