import { NotFoundError, ValidationError } from './errors.ts';
import type { SkillStore } from './ports/skill-store.ts';
import { assertSafeRelativePath } from './skill-paths.ts';
import { isSupportDir, parseSkillMarkdown, skillNameProblem, SUPPORT_DIRS } from './skill-markdown.ts';
import { isOfferedHere } from './skill-relevance.ts';

export interface SkillSummary {
  /** The frontmatter name (what Hermes lists and loads by); the folder name when the frontmatter has none. */
  name: string;
  description: string;
  category?: string;
  /** Directory of the skill relative to the skills root, ending in `/`. */
  dir: string;
  /** Whether the prompt's index and skills_list offer it here (skill-relevance.ts); any skill loads by name. */
  offered: boolean;
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

  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly disabled: ReadonlySet<string>;

  /** `disabled`: names the owner turned off (Hermes' `skills.disabled`), which are not offered, though they load by name. */
  constructor(
    readonly store: SkillStore,
    { ttlMs = 60_000, now = Date.now, disabled = [] }: { ttlMs?: number; now?: () => number; disabled?: Iterable<string> } = {},
  ) {
    this.ttlMs = ttlMs;
    this.now = now;
    this.disabled = new Set(disabled);
  }

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

  /** The skills offered here: what the prompt's index and skills_list show. */
  async offered(): Promise<SkillSummary[]> {
    return (await this.index()).filter((skill) => skill.offered && !this.disabled.has(skill.name));
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /**
   * The skill listed under `name` (its frontmatter name) or kept in a folder of that name, as Hermes looks skills up:
   * published skills often name the folder differently. A folder path (`category/skill`, or Hermes' `category:skill`)
   * names one skill exactly, and is how to pick when a name matches several (Hermes refuses to guess, and so does
   * this). Any listed name can be loaded; an unknown name that could never be a skill name is reported with what is
   * wrong with it.
   */
  async find(name: string): Promise<SkillSummary | undefined> {
    const skills = await this.index();
    // skills_tool.py reads `category:skill` as `category/skill` when no plugin has that name.
    const path = /^[^/:]+:[^/:]+$/.test(name) ? name.replace(':', '/') : name;
    const byPath = skills.find((skill) => skill.dir === `${path}/`);
    if (byPath) return byPath;
    const matches = skills.filter((skill) => skill.name === name || folderOf(skill) === name);
    if (matches.length > 1) {
      const paths = matches.map((skill) => skill.dir.slice(0, -1));
      throw new ValidationError(`Skill name "${name}" is ambiguous: ${matches.length} skills match (${paths.join(', ')}). Use the folder path, e.g. "${paths[0]}".`);
    }
    if (matches[0]) return matches[0];
    const problem = skillNameProblem(name);
    if (problem) throw new ValidationError(`Invalid skill name "${name}": ${problem}.`);
    return undefined;
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

  /** Category names in use, sorted, for keeping categories and uncategorized skill names apart. */
  async categories(): Promise<string[]> {
    return categoriesOf(await this.index());
  }

  private async scan(): Promise<SkillSummary[]> {
    const paths = skillFiles(await this.store.listFiles(''));
    const skillDirs = new Set(paths.map((path) => path.slice(0, -'SKILL.md'.length)));
    const skills = await Promise.all(paths.map((path) => this.summarize(path, skillDirs)));
    return skills.filter((skill): skill is SkillSummary => skill !== undefined).sort((a, b) => a.name.localeCompare(b.name) || a.dir.localeCompare(b.dir));
  }

  private async summarize(path: string, skillDirs: Set<string>): Promise<SkillSummary | undefined> {
    const parts = path.split('/');
    const folder = parts.at(-2)!;
    // `a/b/SKILL.md` is skill b in category a, unless a is itself a skill (then b is a skill nested in it).
    const category = parts.length >= 3 && !skillDirs.has(`${parts[0]}/`) ? parts[0] : undefined;
    const content = await this.store.readFile(path);
    if (content === undefined) return undefined;
    const parsed = parseSkillMarkdown(content, 'read');
    return {
      name: parsed.name ?? folder,
      description: parsed.description,
      ...(category ? { category } : {}),
      dir: parts.slice(0, -1).join('/') + '/',
      offered: isOfferedHere(parsed.frontmatter),
    };
  }
}

/**
 * Folders Hermes never looks into for skills (EXCLUDED_SKILL_DIRS in agent/skill_utils.py): version control,
 * virtualenvs, packages and caches a skill checked out from git or with its scripts' dependencies may carry.
 * Hidden folders (`.archive/`, `.git/`) are skipped as a whole here.
 */
const EXCLUDED_DIRS = new Set(['venv', 'node_modules', 'site-packages', '__pycache__']);

/**
 * The SKILL.md files that are skills, as Hermes' iter_skill_index_files walks the tree: excluded folders are never
 * entered, nor the supporting folders of a folder that holds a SKILL.md, at any depth below them. A SKILL.md there
 * (a preserved old package under `references/`, say) is one of that skill's files. Stores list every file, so
 * the walk is reproduced over the listing, the same for each store.
 */
function skillFiles(listing: string[]): string[] {
  const files = new Set(listing);
  return listing.filter((path) => {
    if (!path.endsWith('/SKILL.md')) return false;
    const folders = path.split('/').slice(0, -1);
    return folders.every((folder, depth) => {
      if (folder.startsWith('.') || EXCLUDED_DIRS.has(folder)) return false;
      const parent = folders.slice(0, depth).join('/');
      return !(isSupportDir(folder) && files.has(parent === '' ? 'SKILL.md' : `${parent}/SKILL.md`));
    });
  });
}

function folderOf(skill: SkillSummary): string {
  return skill.dir.slice(0, -1).split('/').at(-1)!;
}

/** The distinct categories of these skills, sorted. */
export function categoriesOf(skills: SkillSummary[]): string[] {
  return [...new Set(skills.map((skill) => skill.category).filter((category): category is string => !!category))].sort();
}
