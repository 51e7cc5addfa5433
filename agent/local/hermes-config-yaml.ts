import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

import type { MemoryLimits } from '../../tools/ports/memory-store.ts';

/** What `npm start` takes from classic Hermes' HERMES_HOME/config.yaml, when the two share a home. */
export interface HermesConfigYaml {
  timezone?: string;
  memoryLimits?: Partial<MemoryLimits>;
  /** Skill names turned off everywhere (`skills.disabled`), and per platform (`skills.platform_disabled`). */
  disabledSkills?: { everywhere: string[]; telegram: string[]; cli: string[] };
}

/**
 * The settings of classic Hermes' config.yaml this agent shares. The file is Hermes': one missing or unreadable sets
 * nothing, as there, and a value of the wrong kind is passed over.
 * - `timezone` (`hermes config set timezone`), read after HERMES_TIMEZONE and before the machine's zone, as
 *   hermes_time.py does (read 2026-12-02).
 * - `memory.memory_char_limit` and `memory.user_char_limit`, the notebooks' budgets, which Hermes' memory tool reads
 *   (tools/memory_tool.py, read 2026-12-03): with a shared home both agents keep one notebook, so one budget.
 * - `skills.disabled` and `skills.platform_disabled.telegram` / `.cli`: skills `hermes skills` turned off, which
 *   Hermes leaves out of the index (agent/skill_utils.py, get_disabled_skill_names, read 2026-12-03). A list, or a
 *   comma-separated string, as there.
 */
export async function readHermesConfigYaml(home: string): Promise<HermesConfigYaml> {
  const text = await readFile(join(home, 'config.yaml'), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== 'object') return {};
  const { timezone, memory, skills } = parsed as Record<string, unknown>;
  const limits = mapping(memory);
  const memoryLimits = {
    ...(isCharLimit(limits.memory_char_limit) ? { memory: limits.memory_char_limit } : {}),
    ...(isCharLimit(limits.user_char_limit) ? { user: limits.user_char_limit } : {}),
  };
  const skillSettings = mapping(skills);
  const perPlatform = mapping(skillSettings.platform_disabled);
  const disabledSkills = { everywhere: nameList(skillSettings.disabled), telegram: nameList(perPlatform.telegram), cli: nameList(perPlatform.cli) };
  const anyDisabled = Object.values(disabledSkills).some((names) => names.length > 0);
  return {
    ...(typeof timezone === 'string' && timezone.trim() ? { timezone: timezone.trim() } : {}),
    ...(Object.keys(memoryLimits).length > 0 ? { memoryLimits } : {}),
    ...(anyDisabled ? { disabledSkills } : {}),
  };
}

function mapping(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function nameList(value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.map(String) : [];
  return items.map((name) => name.trim()).filter(Boolean);
}

function isCharLimit(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}
