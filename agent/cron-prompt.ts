import type { Logger } from './logger.ts';
import type { Job } from '../tools/ports/scheduler.ts';
import type { SkillLibrary } from '../tools/skill-library.ts';
import { skillActivation, skillContent, skillInstruction } from './skill-invocation.ts';
import { timeStamp } from './turn-rendering.ts';

/**
 * What a fire asks and when its answer is sent, as in Hermes (hermes-agent `cron/scheduler.py`, `_build_job_prompt`
 * and `_process_job`, read 2026-12-02): every run is told that its final answer is delivered, and that "[SILENT]"
 * means there is nothing new to report. Watcher jobs ("tell me only if X changed") depend on it.
 */
const CRON_HINT =
  '[SYSTEM: You are running as a scheduled cron job. DELIVERY: Your final response will be automatically delivered to the user; ' +
  'just produce your report or output as your final response. SILENT: If there is genuinely nothing new to report, respond with ' +
  'exactly "[SILENT]" (nothing else) to suppress delivery. Never combine [SILENT] with content: either report your findings ' +
  'normally, or say [SILENT] and nothing more.]';

const SILENT_MARKER = '[SILENT]';

/** Hermes withholds an answer holding the marker anywhere, in any case, so a marker with stray words still stays quiet. */
export function isSilentAnswer(text: string): boolean {
  return text.toUpperCase().includes(SILENT_MARKER);
}

export interface FirePromptOptions {
  note?: string | undefined;
  /** The run starts well after its slot (`npm start` was not running, a queue held it): the model is told when it was due. */
  late?: { dueAt: number; timezone: string } | undefined;
  skills: SkillLibrary;
  log: Logger;
}

/**
 * The fire's message: the hint and the job's prompt, behind the full SKILL.md of each of the job's skills in order.
 * A skill deleted since the job was made is skipped, and the answer is asked to say so, as Hermes does.
 */
export async function firePrompt(job: Job, { note, late, skills, log }: FirePromptOptions): Promise<string> {
  const added = note ? `\n\n[Added by the chat for this run only]\n${note}` : '';
  const lateLine = late ? `\n[This run was due ${timeStamp(late.dueAt, late.timezone).slice(1, -1)} and starts late.]` : '';
  const prompt = `${CRON_HINT}\n\n[Scheduled task "${job.name}" (${job.schedule.display})]${lateLine}${job.prompt ? `\n${job.prompt}` : ''}${added}`;
  if (!job.skills?.length) return prompt;
  skills.invalidate();
  const loaded = await Promise.all(job.skills.map((name) => skillContent(skills, name)));
  const skipped = job.skills.filter((_, index) => loaded[index] === undefined);
  if (skipped.length) log.warn('a job names skills that no longer exist; its fire skips them', { jobId: job.id, skipped });
  const parts = job.skills.flatMap((name, index) => {
    const content = loaded[index];
    if (content === undefined) return [];
    return [skillActivation(name, content)];
  });
  if (skipped.length) {
    const list = skipped.join(', ');
    parts.unshift(`[SYSTEM: The following skill(s) were listed for this job but could not be found and were skipped: ${list}. Start your response with a brief notice so the user is aware, e.g.: '⚠️ Skill(s) not found and skipped: ${list}']`);
  }
  parts.push(skillInstruction(prompt));
  return parts.join('\n\n');
}
