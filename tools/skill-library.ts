import { parse as parseYaml } from 'yaml';
import { NotFoundError, ValidationError } from '../agent/errors.ts';
import type { SkillStore } from '../agent/ports/skill-store.ts';
import { assertSafeRelativePath } from '../agent/skill-paths.ts';

export const SKILL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const MAX_NAME_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 1024;
export const MAX_SKILL_CHARS = 100_000;
export const MAX_SUPPORT_FILE_CHARS = 1_000_000;
export const SUPPORT_DIRS = ['references', 'templates', 'scripts', 'assets'] as const;

export interface SkillSummary {
  name: string;
  description: string;
  category?: string;
  /** Directory of the skill relative to the skills root, ending in `/`. */
  dir: string;
}

export interface ParsedSkill {
  frontmatter: Record<string, unknown>;
  name: string;
  description: string;
  body: string;
}

export function validateSkillName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !SKILL_NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `Invalid skill name "${name}": use 1-${MAX_NAME_LENGTH} characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit.`,
    );
  }
  if (isSupportDir(name)) throw new ValidationError(`"${name}" is reserved for a skill's supporting files; pick another name.`);
}

function isSupportDir(name: string): boolean {
  return (SUPPORT_DIRS as readonly string[]).includes(name);
}

export function validateCategory(category: string): void {
  if (category.length > MAX_NAME_LENGTH || !SKILL_NAME_PATTERN.test(category)) {
    throw new ValidationError(
      `Invalid category "${category}": use 1-${MAX_NAME_LENGTH} characters of a-z, 0-9, ".", "_" or "-".`,
    );
  }
}

/** Parses and checks SKILL.md: YAML frontmatter between `---` lines, with `name` and `description` required. */
export function parseSkillMarkdown(content: string, expectedName?: string): ParsedSkill {
  if (content.length > MAX_SKILL_CHARS) {
    throw new ValidationError(`SKILL.md is ${content.length} characters; the limit is ${MAX_SKILL_CHARS}.`);
  }
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(content.replace(/^\uFEFF/, ''));
  if (!match) {
    throw new ValidationError('SKILL.md must start with YAML frontmatter between "---" lines, holding name and description.');
  }
  let frontmatter: unknown;
  try {
    frontmatter = parseYaml(match[1]!);
  } catch (error) {
    throw new ValidationError(`SKILL.md frontmatter is not valid YAML: ${(error as Error).message}`);
  }
  if (typeof frontmatter !== 'object' || frontmatter === null || Array.isArray(frontmatter)) {
    throw new ValidationError('SKILL.md frontmatter must be a YAML mapping with name and description.');
  }
  const fields = frontmatter as Record<string, unknown>;
  if (typeof fields.name !== 'string' || fields.name.trim() === '') {
    throw new ValidationError('SKILL.md frontmatter needs a "name" field.');
  }
  if (typeof fields.description !== 'string' || fields.description.trim() === '') {
    throw new ValidationError('SKILL.md frontmatter needs a "description" field.');
  }
  if (fields.description.length > MAX_DESCRIPTION_LENGTH) {
    throw new ValidationError(`Description is ${fields.description.length} characters; the limit is ${MAX_DESCRIPTION_LENGTH}.`);
  }
  if (match[2]!.trim() === '') {
    throw new ValidationError('SKILL.md needs instructions after the frontmatter.');
  }
  if (expectedName !== undefined && fields.name !== expectedName) {
    throw new ValidationError(`Frontmatter name "${fields.name}" must match the skill name "${expectedName}".`);
  }
  return { frontmatter: fields, name: fields.name, description: fields.description.trim(), body: match[2]! };
}

/** Supporting files live in one of the four Hermes subdirectories of the skill, never outside it. */
export function validateSupportPath(filePath: string): void {
  assertSafeRelativePath(filePath);
  const [top, ...rest] = filePath.split('/');
  if (!isSupportDir(top!) || rest.length === 0) {
    throw new ValidationError(`file_path "${filePath}" must be inside ${SUPPORT_DIRS.map((dir) => `${dir}/`).join(', ')}.`);
  }
  if (rest.at(-1) === 'SKILL.md') {
    throw new ValidationError('A supporting file may not be named SKILL.md: that name marks a skill. Use skill_manage edit for the skill itself.');
  }
}

/**
 * Skill semantics over any SkillStore. The index (names + descriptions) is cached in memory because the
 * system prompt needs it every turn. The skill tools call `invalidate()` as they start, so each tool call
 * sees the store as it is (another container may have written) at the cost of one scan, however many
 * lookups it makes.
 */
export class SkillLibrary {
  private cached: { at: number; skills: Promise<SkillSummary[]> } | undefined;

  constructor(
    readonly store: SkillStore,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  index(): Promise<SkillSummary[]> {
    if (!this.cached || this.now() - this.cached.at > this.ttlMs) {
      const skills = this.scan();
      this.cached = { at: this.now(), skills };
      skills.catch(() => {
        if (this.cached?.skills === skills) this.cached = undefined;
      });
    }
    return this.cached.skills;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  async find(name: string): Promise<SkillSummary | undefined> {
    validateSkillName(name);
    return (await this.index()).find((skill) => skill.name === name);
  }

  async require(name: string): Promise<SkillSummary> {
    const skill = await this.find(name);
    if (!skill) throw new NotFoundError(`Skill "${name}" not found. Use skills_list to see what exists.`);
    return skill;
  }

  /** The skill's own files, relative to its directory; never those of a skill stored beneath it. */
  async files(skill: SkillSummary): Promise<string[]> {
    const nested = (await this.index()).filter((other) => other.dir !== skill.dir && other.dir.startsWith(skill.dir)).map((other) => other.dir);
    return (await this.store.listFiles(skill.dir))
      .filter((path) => !nested.some((dir) => path.startsWith(dir)))
      .map((path) => path.slice(skill.dir.length));
  }

  /** Category names in use, for keeping categories and uncategorized skill names apart. */
  async categories(): Promise<string[]> {
    return [...new Set((await this.index()).map((skill) => skill.category).filter((c): c is string => !!c))];
  }

  private async scan(): Promise<SkillSummary[]> {
    const all = await this.store.listFiles('');
    const skillFiles = new Set(all.filter((path) => path.endsWith('/SKILL.md')));
    // `a/b/SKILL.md` is skill b in category a, unless a is itself a skill (then b/ is just a folder of a).
    const paths = [...skillFiles].filter((path) => {
      const parts = path.split('/');
      if (parts.length === 3 && skillFiles.has(`${parts[0]}/SKILL.md`)) return false;
      return !isSupportDir(parts[parts.length - 2]!);
    });
    const skills = await Promise.all(paths.map((path) => this.summarize(path)));
    return skills.filter((skill): skill is SkillSummary => skill !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async summarize(path: string): Promise<SkillSummary | undefined> {
    const parts = path.split('/');
    if (parts.length < 2 || parts.length > 3) return undefined;
    const name = parts[parts.length - 2]!;
    const category = parts.length === 3 ? parts[0] : undefined;
    const content = await this.store.readFile(path);
    if (content === undefined) return undefined;
    let description: string;
    try {
      description = parseSkillMarkdown(content).description;
    } catch {
      description = '(SKILL.md has invalid frontmatter; fix it with skill_manage edit)';
    }
    return { name, description, ...(category ? { category } : {}), dir: parts.slice(0, -1).join('/') + '/' };
  }
}
