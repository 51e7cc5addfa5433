import { skillFileText } from '../tools/skill-file-text.ts';
import type { SkillLibrary, SkillSummary } from '../tools/skill-library.ts';

/**
 * A skill the user invoked, in Hermes' words (agent/skill_commands.py, build_skill_invocation_message, read
 * 2026-12-02): the activation note, the whole SKILL.md, then what the user asked alongside it. A job's skills and a
 * `/skill-name` message read the same way.
 */
export function skillActivation(name: string, content: string): string {
  return `[SYSTEM: The user has invoked the "${name}" skill, indicating they want you to follow its instructions. The full skill content is loaded below.]\n\n${content.trim()}`;
}

export function skillInstruction(instruction: string): string {
  return `The user has provided the following instruction alongside the skill invocation: ${instruction}`;
}

/** The skill's SKILL.md as the model reads it; undefined for a skill deleted since it was named. */
export async function skillContent(skills: SkillLibrary, name: string): Promise<string | undefined> {
  const skill = await skills.find(name);
  const content = skill && (await skills.store.readFile(`${skill.dir}SKILL.md`));
  return content === undefined ? undefined : skillFileText('SKILL.md', content);
}

/**
 * The skill a `/command` names, as Hermes resolves it (resolve_skill_command_key): hyphens and underscores alike, since
 * Telegram commands cannot hold a hyphen, so `/weekly_report` is the skill weekly-report. By its name or its folder.
 */
export async function skillForCommand(skills: SkillLibrary, command: string): Promise<SkillSummary | undefined> {
  const slug = (text: string) => text.toLowerCase().replace(/[\s_]+/g, '-');
  const wanted = slug(command);
  const matches = (await skills.offered()).filter((skill) => slug(skill.name) === wanted || slug(skill.dir.slice(0, -1).split('/').at(-1)!) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * The turn a `/skill-name instruction` message becomes: the skill's activation, then the instruction, as Hermes builds
 * it. Undefined when no offered skill has that name.
 */
export async function skillCommandText(skills: SkillLibrary, { name, instruction }: { name: string; instruction: string }): Promise<string | undefined> {
  const skill = await skillForCommand(skills, name);
  // By its folder path, which names exactly this skill.
  const content = skill && (await skillContent(skills, skill.dir.slice(0, -1)));
  if (!skill || content === undefined) return undefined;
  const activation = skillActivation(skill.name, content);
  return instruction ? `${activation}\n\n${skillInstruction(instruction)}` : activation;
}
