import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * The time zone classic Hermes keeps in HERMES_HOME/config.yaml (`hermes config set timezone`), read after
 * HERMES_TIMEZONE and before the machine's zone, as hermes_time.py does (read 2026-12-02). The file is Hermes': one
 * missing or unreadable sets nothing, as there.
 */
export async function configYamlTimezone(home: string): Promise<string | undefined> {
  const text = await readFile(join(home, 'config.yaml'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return undefined;
  }
  const timezone = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).timezone : undefined;
  return typeof timezone === 'string' && timezone.trim() ? timezone.trim() : undefined;
}
