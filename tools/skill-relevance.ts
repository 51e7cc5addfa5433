/**
 * Which skills the index offers here, by the frontmatter fields Hermes gates its skills index on (hermes-agent
 * `agent/skill_utils.py` `skill_matches_platform`, `skill_matches_environment`, `extract_skill_conditions`, and
 * `agent/prompt_builder.py` `_skill_should_show`, read 2026-12-02). A copied `~/.hermes/skills` holds many skills
 * for tools this agent does not have (a terminal, a browser) or for another OS; listing them would spend the index
 * budget on skills the model cannot carry out. As in Hermes this only decides what is offered: skill_view still
 * loads any skill by name.
 */

/** The Hermes toolsets this agent has, with the tools of each, by the names SKILL.md files use. */
export const AGENT_TOOLSETS = {
  cronjob: ['cronjob'],
  skills: ['skills_list', 'skill_view', 'skill_manage'],
  memory: ['memory', 'memory_recall'],
  vision: ['media_view'],
} as const;

const TOOLSETS = new Set<string>(Object.keys(AGENT_TOOLSETS));
const TOOLS = new Set<string>(Object.values(AGENT_TOOLSETS).flat());

/** Hermes' names for operating systems, mapped to Node's `process.platform` as Hermes maps them to `sys.platform`. */
const PLATFORMS: Record<string, string> = { macos: 'darwin', linux: 'linux', windows: 'win32' };

/** Environments Hermes detects (a kanban worker, its s6 image, a container); none of them is this agent's. */
const KNOWN_ENVIRONMENTS = new Set(['kanban', 'docker', 's6']);

export function isOfferedHere(frontmatter: Record<string, unknown>, platform: string = process.platform): boolean {
  return matchesPlatform(frontmatter.platforms, platform) && matchesEnvironment(frontmatter.environments) && meetsToolConditions(hermesMetadata(frontmatter));
}

function matchesPlatform(platforms: unknown, current: string): boolean {
  const wanted = listOf(platforms);
  if (wanted.length === 0) return true;
  return wanted.some((name) => current.startsWith(PLATFORMS[name.toLowerCase()] ?? name.toLowerCase()));
}

/** An environment tag Hermes does not know keeps the skill offered, as there. */
function matchesEnvironment(environments: unknown): boolean {
  const tags = listOf(environments).map((tag) => tag.toLowerCase()).filter(Boolean);
  return tags.length === 0 || tags.some((tag) => !KNOWN_ENVIRONMENTS.has(tag));
}

/** `fallback_for_*` hides a skill when what it stands in for is here; `requires_*` hides it when something is missing. */
function meetsToolConditions(hermes: Record<string, unknown>): boolean {
  if (listOf(hermes.fallback_for_toolsets).some((name) => TOOLSETS.has(name))) return false;
  if (listOf(hermes.fallback_for_tools).some((name) => TOOLS.has(name))) return false;
  if (!listOf(hermes.requires_toolsets).every((name) => TOOLSETS.has(name))) return false;
  return listOf(hermes.requires_tools).every((name) => TOOLS.has(name));
}

function hermesMetadata(frontmatter: Record<string, unknown>): Record<string, unknown> {
  const hermes = isRecord(frontmatter.metadata) ? frontmatter.metadata.hermes : undefined;
  return isRecord(hermes) ? hermes : {};
}

function listOf(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map((item) => String(item).trim()).filter(Boolean);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
