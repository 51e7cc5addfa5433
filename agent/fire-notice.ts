import { ModelError } from '../tools/errors.ts';
import type { JobFire } from '../tools/ports/scheduler.ts';
import { sliceWhole } from '../tools/char-count.ts';

/** How much of a failed job's prompt its notice repeats: a reminder's own words are the point of it. */
const NOTICE_PROMPT_CHARS = 300;

/**
 * What the chat is told of a run that failed for good. A model failure says what the provider did, in the words the
 * chat turn uses; anything else (a store, Telegram, a bug) is named only as such, with its details in the log.
 */
export function failureNotice(fire: JobFire, error: unknown): string {
  const reason = error instanceof ModelError ? error.message : 'something it needed (storage or Telegram) failed; the details are in the log.';
  return `⚠️ Scheduled task "${fire.job.name}" failed: ${reason}${whatItWasFor(fire)}`;
}

/**
 * The job's own words, so a reminder still reminds, and what became of it. A one-time job has had its run: on AWS
 * EventBridge deletes its schedule once it has fired (ActionAfterCompletion DELETE), so it cannot be kept to run again.
 * The last of a job's repeats ends it, a run asked for by hand too; otherwise a run by hand leaves the schedule as it was.
 */
export function whatItWasFor(fire: JobFire): string {
  const { job } = fire;
  const lastRepeat = job.repeat !== undefined && job.completedRuns + 1 >= job.repeat;
  const after = lastRepeat || (job.schedule.kind === 'once' && !fire.manual) ? 'That was its last run; ask me to set it again if it is still needed.' : fire.manual ? 'Its schedule is unchanged.' : 'Its next runs stay scheduled.';
  return `${jobWords(job)}\n${after}`;
}

/** "It was to do: …", the job's prompt as far as a notice repeats it; empty for a job of skills alone. */
export function jobWords(job: JobFire['job']): string {
  const prompt = job.prompt.length > NOTICE_PROMPT_CHARS ? `${sliceWhole(job.prompt, NOTICE_PROMPT_CHARS)}…` : job.prompt;
  return prompt ? `\nIt was to do: ${prompt}` : '';
}
