import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { NotFoundError } from '../agent/errors.ts';
import { assertSafeRelativePath } from '../agent/skill-paths.ts';
import { parseSkillMarkdown, SUPPORT_DIRS } from './skill-library.ts';
import type { ToolDeps } from './tool-context.ts';
import { asToolResult } from './tool-result.ts';

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(
  z.object({
    name: z.string().max(64).describe('Skill name from skills_list.'),
    file_path: z.string().max(512).optional().describe('Path inside the skill, e.g. references/api.md.'),
  }),
);

export function skillViewTool(deps: ToolDeps) {
  return tool({
    description:
      "Load a skill's full SKILL.md instructions, or with file_path one of its supporting files (references/, templates/, scripts/, assets/).",
    inputSchema,
    execute: ({ name, file_path }) =>
      asToolResult(async () => {
        deps.skills.invalidate();
        const skill = await deps.skills.require(name);
        if (file_path) {
          assertSafeRelativePath(file_path);
          const content = await deps.skills.store.readFile(skill.dir + file_path);
          if (content === undefined) {
            const files = (await deps.skills.files(skill)).filter((path) => path !== 'SKILL.md');
            throw new NotFoundError(`File "${file_path}" not found in skill "${name}". Available: ${files.join(', ') || 'none'}.`);
          }
          return { name, file_path, content };
        }
        const content = (await deps.skills.store.readFile(`${skill.dir}SKILL.md`)) ?? '';
        const files = await deps.skills.files(skill);
        const linked = Object.fromEntries(
          SUPPORT_DIRS.map((dir) => [dir, files.filter((path) => path.startsWith(`${dir}/`))] as const).filter(([, list]) => list.length > 0),
        );
        let description = skill.description;
        try {
          description = parseSkillMarkdown(content).description;
        } catch {
          // An invalid SKILL.md is still shown in full so the model can repair it.
        }
        return { name, category: skill.category ?? null, description, content, linked_files: linked };
      }),
  });
}
