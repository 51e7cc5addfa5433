import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import type { ToolDeps } from './tool-context.ts';
import { asToolResult } from './tool-result.ts';
import { categoriesOf } from './skill-library.ts';

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(z.object({ category: z.string().max(64).optional().describe('Only skills in this category.') }));

export function skillsListTool(deps: Pick<ToolDeps, 'skills' | 'log'>) {
  return tool({
    description: 'List available skills (name, description, category). Load one with skill_view before following it.',
    inputSchema,
    execute: ({ category }) =>
      asToolResult(async () => {
        const all = await deps.skills.offered();
        const skills = category ? all.filter((skill) => skill.category === category) : all;
        return {
          count: skills.length,
          skills: skills.map(({ name, description, category: c }) => ({ name, description, category: c ?? null })),
          categories: categoriesOf(all),
          ...(skills.length === 0 ? { hint: category ? `No skills in category "${category}".` : 'No skills yet. Create one with skill_manage.' } : {}),
        };
      }, { tool: 'skills_list', log: deps.log }),
  });
}
