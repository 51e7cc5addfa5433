import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { NotFoundError, ValidationError } from './errors.ts';
import { validateSupportPath, type SkillSummary } from './skill-library.ts';
import { parseSkillMarkdown, validateCategory, validateSkillName } from './skill-markdown.ts';
import { assertSkillAdmin, assertSupportFileSize, screenSkillText } from './skill-guard.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';
import { heldBy } from './ports/locks.ts';
import { asToolResult } from './tool-result.ts';
import { replaceText } from './skill-patch.ts';

const input = z.object({
  action: z.enum(['create', 'patch', 'edit', 'delete', 'write_file', 'remove_file']),
  name: z.string().max(200).describe('Skill name: lowercase a-z, 0-9, ".", "_", "-"; up to 64 characters.'),
  content: z.string().optional().describe('Full SKILL.md (frontmatter with name and description, then instructions). For create and edit.'),
  category: z.string().max(64).optional().describe('Optional category folder, for create.'),
  old_string: z.string().optional().describe('For patch: exact text to find.'),
  new_string: z.string().optional().describe('For patch: replacement text.'),
  replace_all: z.boolean().optional().describe('For patch: replace every occurrence instead of requiring exactly one.'),
  file_path: z.string().max(512).optional().describe('For write_file/remove_file, or patch of a supporting file: path under references/, templates/, scripts/ or assets/.'),
  file_content: z.string().optional().describe('For write_file: the file content.'),
});

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(input);

type ManageArgs = z.infer<typeof input>;

export function skillManageTool(deps: Pick<ToolDeps, 'skills' | 'config' | 'locks' | 'log'>, ctx: Pick<ToolContext, 'userId'>) {
  return tool({
    description:
      'Create and maintain skills (reusable instructions saved as SKILL.md). Actions: create (name, content, category?), ' +
      'edit (replace SKILL.md), patch (old_string -> new_string, in SKILL.md or file_path), delete, write_file / remove_file (supporting files).',
    inputSchema,
    execute: (args) =>
      asToolResult(async () => {
        assertSkillAdmin(deps, ctx);
        screenSkillText(args);
        // One change at a time per skill: patch reads the text it rewrites, and create checks the name is free.
        return heldBy(deps.locks, `skill:${args.name.toLowerCase()}`, async () => {
          deps.skills.invalidate();
          const result = await manage(deps, args);
          deps.skills.invalidate();
          return result;
        });
      }, { tool: 'skill_manage', log: deps.log }),
  });
}

/**
 * SKILL.md as written by skill_manage: within the limits, and named as the skill it belongs to. The name compared
 * is the listed (frontmatter) name, so a published skill in a differently named folder can still be edited.
 */
function checkSkillMarkdown(content: string, name: string): void {
  const parsed = parseSkillMarkdown(content, 'write');
  if (parsed.name !== name) throw new ValidationError(`Frontmatter name "${parsed.name}" must match the skill name "${name}".`);
}

async function manage(deps: Pick<ToolDeps, 'skills'>, args: ManageArgs): Promise<object> {
  const { store } = deps.skills;
  switch (args.action) {
    case 'create': {
      validateSkillName(args.name);
      if (args.content === undefined) throw new ValidationError('create needs content: the full SKILL.md.');
      if (args.category !== undefined) validateCategory(args.category);
      checkSkillMarkdown(args.content, args.name);
      const existing = await deps.skills.find(args.name);
      if (existing) throw new ValidationError(`Skill "${args.name}" already exists${existing.category ? ` in category "${existing.category}"` : ''}. Use edit or patch.`);
      if (args.category !== undefined && (await deps.skills.find(args.category).catch(() => undefined))) {
        throw new ValidationError(`"${args.category}" is already the name of a skill, so it cannot also be a category.`);
      }
      if (args.category === undefined && (await deps.skills.categories()).includes(args.name)) {
        throw new ValidationError(`"${args.name}" is already a category; give the skill another name or put it in a category.`);
      }
      const dir = args.category ? `${args.category}/${args.name}/` : `${args.name}/`;
      await store.writeFile(`${dir}SKILL.md`, args.content);
      return { message: `Created skill "${args.name}".`, path: `${dir}SKILL.md` };
    }
    case 'edit': {
      const skill = await deps.skills.require(args.name);
      if (args.content === undefined) throw new ValidationError('edit needs content: the full new SKILL.md.');
      checkSkillMarkdown(args.content, skill.name);
      await store.writeFile(`${skill.dir}SKILL.md`, args.content);
      return { message: `Rewrote SKILL.md of "${args.name}".` };
    }
    case 'patch': {
      const skill = await deps.skills.require(args.name);
      if (!args.old_string) throw new ValidationError('patch needs old_string (the exact text to replace).');
      if (args.new_string === undefined) throw new ValidationError('patch needs new_string.');
      const relative = patchTarget(args.file_path, args.name);
      if (relative !== 'SKILL.md') validateSupportPath(relative);
      const path = skill.dir + relative;
      const current = await store.readFile(path);
      if (current === undefined) throw new NotFoundError(`File "${relative}" not found in skill "${args.name}".`);
      // Stores read bytes that are not UTF-8 (a file saved as Windows-1252) as U+FFFD; written back, every such byte
      // would be lost for good, as Hermes' strict read refuses too.
      if (current.includes('\uFFFD')) {
        throw new ValidationError(`${relative} is not saved as UTF-8 (some of its characters cannot be read), so a patch would damage it. Rewrite it whole instead (edit, or write_file), after showing the user what changes.`);
      }
      const { updated, count } = replaceText(current, { oldString: args.old_string, newString: args.new_string, replaceAll: args.replace_all === true, file: relative });
      if (relative === 'SKILL.md') checkSkillMarkdown(updated, skill.name);
      if (relative !== 'SKILL.md') assertSupportFileSize(`${relative} after the patch`, updated);
      await store.writeFile(path, updated);
      return { message: `Patched ${relative} of "${args.name}" (${count} replacement${count > 1 ? 's' : ''}).` };
    }
    case 'delete': {
      const skill = await deps.skills.require(args.name);
      const files = (await deps.skills.files(skill)).map((path) => skill.dir + path);
      await Promise.all(files.map((path) => store.deleteFile(path)));
      return { message: `Deleted skill "${args.name}" (${files.length} file${files.length === 1 ? '' : 's'}).` };
    }
    case 'write_file': {
      const skill = await deps.skills.require(args.name);
      if (!args.file_path) throw new ValidationError('write_file needs file_path.');
      if (args.file_content === undefined) throw new ValidationError('write_file needs file_content.');
      validateSupportPath(args.file_path);
      assertSupportFileSize('file_content', args.file_content);
      await store.writeFile(skill.dir + args.file_path, args.file_content);
      return { message: `Wrote ${args.file_path} in "${args.name}".` };
    }
    case 'remove_file': {
      const skill: SkillSummary = await deps.skills.require(args.name);
      if (!args.file_path) throw new ValidationError('remove_file needs file_path.');
      validateSupportPath(args.file_path);
      if ((await store.readFile(skill.dir + args.file_path)) === undefined) {
        throw new NotFoundError(`File "${args.file_path}" not found in skill "${args.name}".`);
      }
      await store.deleteFile(skill.dir + args.file_path);
      return { message: `Removed ${args.file_path} from "${args.name}".` };
    }
  }
}

/** The file a patch changes. Hermes also takes `SKILL.md` and `<name>/SKILL.md` for the skill's own file, and models send both. */
function patchTarget(filePath: string | undefined, name: string): string {
  if (!filePath || filePath === 'SKILL.md' || filePath === `${name}/SKILL.md`) return 'SKILL.md';
  return filePath;
}
