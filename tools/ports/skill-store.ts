/**
 * The skills tree as files: `[category/]name/SKILL.md` plus `references/ templates/ scripts/ assets/`.
 * Paths are relative, `/`-separated and already validated by the caller; adapters reject any that escape.
 * Skill semantics (frontmatter, names, categories) live in tools/skill-library.ts, so every adapter behaves alike.
 */
export interface SkillStore {
  /** Every file path under `prefix` (a directory path ending in `/`, or '' for all), sorted. */
  listFiles(prefix?: string): Promise<string[]>;
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  writeFile(path: string, content: string): Promise<void>;
  /** Deleting a missing file is not an error. */
  deleteFile(path: string): Promise<void>;
}
