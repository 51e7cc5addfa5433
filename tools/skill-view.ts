import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { NotFoundError } from './errors.ts';
import { assertSafeRelativePath } from './skill-paths.ts';
import { parseSkillMarkdown } from './skill-markdown.ts';
import { skillFileText } from './skill-file-text.ts';
import type { ToolDeps } from './tool-context.ts';
import { asToolResult } from './tool-result.ts';

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(
  z.object({
    name: z.string().max(200).describe('Skill name from skills_list, or its folder path (category/name) when a name is ambiguous.'),
    file_path: z.string().max(512).optional().describe('Path inside the skill, e.g. references/api.md.'),
  }),
);

export function skillViewTool(deps: Pick<ToolDeps, 'skills' | 'log'>) {
  return tool({
    description:
      "Load a skill's full SKILL.md instructions, or with file_path one of its supporting files (any file listed in linked_files).",
    inputSchema,
    execute: ({ name, file_path }) =>
      asToolResult(async () => {
        deps.skills.invalidate();
        const skill = await deps.skills.require(name);
        if (file_path) {
          assertSafeRelativePath(file_path);
          // Hidden files (a clone's `.git/config`) are no part of a skill, as the listing shows.
          if (file_path.split('/').some((segment) => segment.startsWith('.'))) throw new NotFoundError(`File "${file_path}" is not part of skill "${name}".`);
          const content = await deps.skills.store.readFile(skill.dir + file_path);
          if (content === undefined) {
            const { shown, notListed } = supportingFiles(await deps.skills.files(skill));
            const more = notListed > 0 ? ` and ${notListed} more` : '';
            throw new NotFoundError(`File "${file_path}" not found in skill "${name}". Available: ${shown.join(', ') || 'none'}${more}.`);
          }
          return { name: skill.name, file_path, content: skillFileText(file_path, content) };
        }
        const content = skillFileText('SKILL.md', (await deps.skills.store.readFile(`${skill.dir}SKILL.md`)) ?? '');
        const files = await deps.skills.files(skill);
        const { description } = parseSkillMarkdown(content, 'read');
        return { name: skill.name, category: skill.category ?? null, description, content, ...linkedFiles(files) };
      }, { tool: 'skill_view', log: deps.log }),
  });
}

/** What a skill folder holds for its tools, not for the model: Hermes' EXCLUDED_SKILL_DIRS (agent/skill_utils.py). */
const TOOL_FOLDERS = new Set(['venv', 'node_modules', 'site-packages', '__pycache__']);
/** A listing past this many files would cost the turn more than the skill itself; the rest are counted. */
const MAX_LISTED_FILES = 100;

/**
 * The files the model may open: neither SKILL.md, hidden files (`.DS_Store`, a clone's `.git`), nor what a virtualenv
 * or installed packages left (a plain `python -m venv` is about 1,500 files).
 */
function supportingFiles(files: string[]): { shown: string[]; notListed: number } {
  const offered = files.filter((path) => path !== 'SKILL.md' && !path.split('/').some((segment) => segment.startsWith('.') || TOOL_FOLDERS.has(segment)));
  return { shown: offered.slice(0, MAX_LISTED_FILES), notListed: Math.max(0, offered.length - MAX_LISTED_FILES) };
}

/**
 * Every supporting file, grouped by its top folder (`references`, `examples`, ...); files next to SKILL.md are
 * under `other`. Paths are relative to the skill, ready for file_path.
 */
function linkedFiles(files: string[]): { linked_files: Record<string, string[]>; linked_files_not_listed?: number } {
  const { shown, notListed } = supportingFiles(files);
  const linked: Record<string, string[]> = {};
  for (const path of shown) {
    const group = path.includes('/') ? path.slice(0, path.indexOf('/')) : 'other';
    (linked[group] ??= []).push(path);
  }
  return notListed > 0 ? { linked_files: linked, linked_files_not_listed: notListed } : { linked_files: linked };
}
