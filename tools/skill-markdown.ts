import { parse as parseYaml } from 'yaml';
import { charCount, truncateChars } from './char-count.ts';
import { ValidationError } from './errors.ts';

export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_SKILL_CHARS = 100_000;
export const MAX_SUPPORT_FILE_CHARS = 1_000_000;
/** The folders skill_manage writes supporting files into; reading shows every file of the skill. */
export const SUPPORT_DIRS = ['references', 'templates', 'scripts', 'assets'] as const;

export interface ParsedSkill {
  frontmatter: Record<string, unknown>;
  /** The frontmatter name, or undefined when reading a SKILL.md that has none. */
  name: string | undefined;
  description: string;
  body: string;
}

/**
 * `write` enforces the limits on what skill_manage stores; `read` takes any existing SKILL.md the way Hermes'
 * loader does and never refuses one (a long description is shown truncated, a missing name falls back to the folder),
 * so a published skill is shown as it is instead of being reported as broken.
 */
export type ParseMode = 'write' | 'read';

/** Says exactly what is wrong with a name, so the model can fix it in one go. */
export function skillNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  const length = charCount(name);
  if (length > MAX_NAME_LENGTH) return `it is ${length} characters, over ${MAX_NAME_LENGTH}`;
  if (/[A-Z]/.test(name)) return `it must be lowercase (try "${name.toLowerCase()}")`;
  if (/\s/.test(name)) return 'it may not contain spaces; use "-" between words';
  if (name.includes('/') || name.includes('\\')) return 'it may not contain "/" or "\\"; put the skill in a category instead';
  if (!/^[a-z0-9]/.test(name)) return `it must start with a letter or digit, not "${[...name][0]}"`;
  const bad = [...name].find((char) => !/[a-z0-9._-]/.test(char));
  if (bad !== undefined) return `"${bad}" is not allowed; use a-z, 0-9, ".", "_" or "-"`;
  return undefined;
}

export function validateSkillName(name: string): void {
  const problem = skillNameProblem(name);
  if (problem) throw new ValidationError(`Invalid skill name "${name}": ${problem}.`);
  if (isSupportDir(name)) throw new ValidationError(`"${name}" is reserved for a skill's supporting files; pick another name.`);
}

export function isSupportDir(name: string): boolean {
  return (SUPPORT_DIRS as readonly string[]).includes(name);
}

export function validateCategory(category: string): void {
  const problem = skillNameProblem(category);
  if (problem) throw new ValidationError(`Invalid category "${category}": ${problem}.`);
}

/**
 * Parses SKILL.md: YAML frontmatter between `---` lines, then instructions. Hermes reads frontmatter with PyYAML's
 * safe_load, where a repeated key keeps its last value and a non-string description is turned into text; both are
 * accepted here the same way.
 */
export function parseSkillMarkdown(content: string, mode: ParseMode = 'write'): ParsedSkill {
  if (mode === 'write' && charCount(content) > MAX_SKILL_CHARS) {
    throw new ValidationError(`SKILL.md is ${charCount(content)} characters; the limit is ${MAX_SKILL_CHARS}.`);
  }
  const text = content.replace(/^\uFEFF/, '');
  const split = splitFrontmatter(text);
  if (!split && mode === 'write') {
    throw new ValidationError(
      text.startsWith('---')
        ? 'SKILL.md frontmatter is not closed: end it with a "---" line, then the instructions.'
        : 'SKILL.md must start with YAML frontmatter between "---" lines, holding name and description.',
    );
  }
  // Hermes' loader (agent/skill_utils.py `parse_frontmatter`, read 2026-12-02) takes a file without frontmatter as all
  // instructions, named after its folder.
  const fields = split ? frontmatterFields(split.yaml, mode) : {};
  const body = split ? split.body : text;
  const name = scalarText(fields.name)?.trim();
  if (mode === 'write' && !name) throw new ValidationError('SKILL.md frontmatter needs a "name" field.');
  const rawDescription = scalarText(fields.description)?.trim() ?? '';
  if (mode === 'write' && rawDescription === '') throw new ValidationError('SKILL.md frontmatter needs a "description" field.');
  const descriptionLength = charCount(rawDescription);
  if (mode === 'write' && descriptionLength > MAX_DESCRIPTION_LENGTH) {
    throw new ValidationError(`Description is ${descriptionLength} characters; the limit is ${MAX_DESCRIPTION_LENGTH}.`);
  }
  if (mode === 'write' && body.trim() === '') {
    throw new ValidationError('SKILL.md needs instructions after the frontmatter.');
  }
  // Like Hermes, a skill read without a description is described by the first line of its instructions.
  const shown = rawDescription || (mode === 'read' ? firstInstructionLine(body) : '');
  const description = charCount(shown) > MAX_DESCRIPTION_LENGTH ? `${truncateChars(shown, MAX_DESCRIPTION_LENGTH - 3)}...` : shown;
  return { frontmatter: fields, name: name || undefined, description, body };
}

/**
 * Frontmatter as Hermes finds it (parse_frontmatter in agent/skill_utils.py, _validate_frontmatter in
 * tools/skill_manager_tool.py): the file starts with "---", whatever follows on that line, and the frontmatter ends
 * at the first later line that is "---" plus optional whitespace, followed by a line break.
 */
function splitFrontmatter(text: string): { yaml: string; body: string } | undefined {
  if (!text.startsWith('---')) return undefined;
  const close = /\n---\s*\n/.exec(text.slice(3));
  if (!close) return undefined;
  return { yaml: text.slice(3, 3 + close.index), body: text.slice(3 + close.index + close[0].length) };
}

/**
 * The frontmatter's fields. What skill_manage writes must be a valid YAML mapping; a published skill is read as
 * Hermes reads it: YAML that does not parse (an unquoted ": " in a description is common) as `key: value` lines, and
 * YAML that is no mapping as no fields.
 */
function frontmatterFields(rawYaml: string, mode: ParseMode): Record<string, unknown> {
  // A file checked out with CRLF (Git for Windows' default) keeps a \r on every line. The yaml package refuses a flow
  // list or a quoted value followed by a lone \r at the end, where PyYAML, and Hermes' reading in text mode, see none.
  const yaml = rawYaml.replace(/\r(?=\n|$)/g, '');
  let parsed: unknown;
  try {
    parsed = parseYaml(yaml, { uniqueKeys: false });
  } catch (error) {
    if (mode === 'write') throw new ValidationError(`SKILL.md frontmatter is not valid YAML: ${(error as Error).message}`);
    return keyValueLines(yaml);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  if (mode === 'write') throw new ValidationError('SKILL.md frontmatter must be a YAML mapping with name and description.');
  return {};
}

function keyValueLines(yaml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of yaml.trim().split('\n')) {
    const colon = line.indexOf(':');
    if (colon >= 0) fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return fields;
}

function firstInstructionLine(body: string): string {
  return body.split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('#')) ?? '';
}

/** PyYAML hands back numbers, booleans and dates where a string was meant; Hermes shows them as text. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}
