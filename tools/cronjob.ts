import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { isAdmin } from './admins.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { Job, JobPatch } from './ports/scheduler.ts';
import { idempotentJobId } from './job-ids.ts';
import { assertSafeText } from './injection-screen.ts';
import { nextRunAfter, parseSchedule, SCHEDULE_HELP } from './schedule.ts';
import { assertIntervalAllowed, assertJobSlotFree, assertNotFromCron, DEFAULT_SPEND_LIMITS } from './spend-limits.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';
import { heldBy } from './ports/locks.ts';
import { asToolResult } from './tool-result.ts';
import { sliceWhole } from './char-count.ts';

const MAX_PROMPT_CHARS = 4_000;
/** Each skill's whole SKILL.md joins every fire's prompt, so a job carries only a few. */
const MAX_JOB_SKILLS = 5;

/** Hermes' action names, with the aliases its `_JOB_ACTIONS` accepts for `run`. */
const ACTIONS = ['create', 'list', 'update', 'pause', 'resume', 'remove', 'run', 'run_now', 'trigger'] as const;

const input = z.object({
  action: z.enum(ACTIONS),
  job_id: z.string().max(64).optional().describe('Required for update, pause, resume, remove and run.'),
  prompt: z
    .string()
    .max(MAX_PROMPT_CHARS)
    .optional()
    .describe('What to do when the job fires, written as a self-contained instruction (it runs in a fresh session). With run: extra context for that one run.'),
  schedule: z.string().max(100).optional().describe(SCHEDULE_HELP),
  name: z.string().max(100).optional().describe('Short human-readable name.'),
  repeat: z
    .union([z.number(), z.string().max(20)])
    .optional()
    .describe('Total number of runs ("once" is 1); omit, 0 or "forever" to repeat forever.'),
  skills: z
    .array(z.string().max(200))
    .max(MAX_JOB_SKILLS)
    .optional()
    .describe('Skill names (from skills_list) loaded, in this order, before the prompt each time the job runs. On update, [] clears.'),
  skill: z.string().max(200).optional().describe('One skill name; the same as skills with one entry.'),
  deliver: z.string().max(100).optional().describe('Where the answer goes: always this chat here ("origin"); leave it out.'),
});

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(input);

export function cronjobTool(deps: ToolDeps, ctx: ToolContext) {
  let creates = 0;
  let runs = 0;
  return tool({
    description:
      'Schedule prompts to run later and deliver their answer to this chat: reminders ("30m", ISO time), recurring tasks ("every 2h", cron). ' +
      'Actions: create (prompt and/or skills + schedule, optional name/repeat), list, update, pause, resume, remove, run (fire now; a prompt adds context for that run). ' +
      'A job runs in a fresh session and its final answer is sent to the chat; answering exactly "[SILENT]" sends nothing.',
    inputSchema,
    // Each create of the turn gets its own key, the same on every run of the turn (see ToolContext.turnId).
    execute: (given) => {
      const args = { ...given, action: given.action === 'run_now' || given.action === 'trigger' ? ('run' as const) : given.action };
      return asToolResult(() => runCronAction(deps, ctx, { args, callIndex: args.action === 'create' ? creates++ : args.action === 'run' ? runs++ : 0 }), { tool: 'cronjob', log: deps.log });
    },
  });
}

type CronArgs = Omit<z.infer<typeof input>, 'action'> & { action: Exclude<(typeof ACTIONS)[number], 'run_now' | 'trigger'> };

async function runCronAction(deps: ToolDeps, ctx: ToolContext, { args, callIndex }: { args: CronArgs; callIndex: number }): Promise<object> {
  const { scheduler } = deps;
  assertNotFromCron(ctx.origin, args.action);
  assertDeliveredHere(args.deliver, ctx);
  const limits = deps.config?.limits ?? DEFAULT_SPEND_LIMITS;
  switch (args.action) {
    case 'create': {
      const skills = await jobSkills(deps, args);
      const prompt = args.prompt?.trim() ?? '';
      if (!prompt && !skills?.length) throw new ValidationError('create needs a prompt (what should happen when the job fires) or skills to run.');
      if (!args.schedule) throw new ValidationError(`create needs a schedule. ${SCHEDULE_HELP}`);
      assertSafeText(prompt, 'The job prompt');
      if (args.name) assertSafeText(args.name, 'The job name');
      const schedule = parseSchedule(args.schedule, ctx.now(), ctx.timezone);
      assertIntervalAllowed(schedule, { now: ctx.now(), timezone: ctx.timezone, limits });
      const repeat = repeatCount(args.repeat);
      const idempotencyKey = ctx.turnId === undefined ? undefined : `${ctx.turnId}:cronjob:${callIndex}`;
      // One create at a time per chat: members of a group run their turns side by side, and each would count the
      // jobs before any of them made theirs.
      const job = await heldBy(deps.locks, `jobs:${ctx.delivery.chatId}`, async () => {
        const existing = await jobsOfThisChat(deps, ctx);
        if (!existing.some((job) => idempotencyKey !== undefined && job.id === idempotentJobId(ctx.delivery, idempotencyKey))) {
          assertJobSlotFree(existing.length, limits);
        }
        return scheduler.create({
          ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
          name: args.name?.trim() || sliceWhole(prompt || skills!.join(', '), 50),
          prompt,
          ...(skills?.length ? { skills } : {}),
          schedule,
          // A one-shot job ends with the run at its time (a manual `run` before it does not use it up).
          ...(schedule.kind !== 'once' && repeat !== undefined ? { repeat } : {}),
          delivery: ctx.delivery,
        });
      });
      return { job: describeJob(job, ctx), message: `Scheduled "${job.name}" (${schedule.display}).` };
    }
    case 'list': {
      const jobs = await jobsOfThisChat(deps, ctx);
      return { count: jobs.length, jobs: jobs.map((job) => describeJob(job, ctx)) };
    }
    case 'update': {
      const job = await ownJob(deps, ctx, args.job_id);
      const patch: JobPatch = {};
      if (args.prompt !== undefined) {
        if (!args.prompt.trim()) throw new ValidationError('prompt may not be empty.');
        assertSafeText(args.prompt, 'The job prompt');
        patch.prompt = args.prompt.trim();
      }
      if (args.name !== undefined) {
        // The name heads every fire's prompt, so it is screened as the prompt is.
        assertSafeText(args.name, 'The job name');
        patch.name = args.name.trim() || job.name;
      }
      if (args.repeat !== undefined) patch.repeat = repeatCount(args.repeat);
      const skills = await jobSkills(deps, args);
      if (skills !== undefined) patch.skills = skills.length ? skills : undefined;
      if (args.schedule !== undefined) {
        patch.schedule = parseSchedule(args.schedule, ctx.now(), ctx.timezone);
        assertIntervalAllowed(patch.schedule, { now: ctx.now(), timezone: ctx.timezone, limits });
        // As in Hermes, a new schedule keeps the run limit; a one-shot has none.
        if (patch.schedule.kind === 'once') patch.repeat = undefined;
      }
      if (Object.keys(patch).length === 0) throw new ValidationError('update needs at least one of prompt, schedule, name, repeat, skills.');
      if (!(patch.prompt ?? job.prompt) && !(('skills' in patch ? patch.skills : job.skills)?.length)) {
        throw new ValidationError('A job needs a prompt or skills; this update would leave it with neither.');
      }
      return { job: describeJob(await scheduler.update(job.id, patch), ctx) };
    }
    case 'pause':
      return { job: describeJob(await scheduler.pause((await ownJob(deps, ctx, args.job_id)).id), ctx) };
    case 'resume':
      return { job: describeJob(await scheduler.resume((await ownJob(deps, ctx, args.job_id)).id), ctx) };
    case 'remove': {
      const job = await ownJob(deps, ctx, args.job_id);
      await scheduler.remove(job.id);
      return { removed: job.id, message: `Removed "${job.name}".` };
    }
    case 'run': {
      const job = await ownJob(deps, ctx, args.job_id);
      // As in Hermes, a prompt given with run is context for this run only; the job keeps its own.
      const note = args.prompt?.trim();
      if (note) assertSafeText(note, 'The run prompt');
      await scheduler.runNow(job.id, {
        ...(ctx.turnId === undefined ? {} : { idempotencyKey: `${ctx.turnId}:cronjob-run:${callIndex}` }),
        ...(note ? { note } : {}),
      });
      return { job_id: job.id, message: `"${job.name}" will run now${note ? ', with the added context' : ''}; its answer arrives in this chat.` };
    }
  }
}

/**
 * Hermes' `deliver` names where a job's answer goes (origin, a platform, a chat). Here it is always the chat (and topic)
 * the job was made in; naming this chat is fine, anything else is refused rather than quietly sent here.
 */
function assertDeliveredHere(deliver: string | undefined, ctx: ToolContext): void {
  const target = deliver?.trim().toLowerCase();
  const here = ['origin', 'telegram', `telegram:${ctx.delivery.chatId}`, ...(ctx.delivery.threadId === undefined ? [] : [`telegram:${ctx.delivery.chatId}:${ctx.delivery.threadId}`])];
  if (!target || here.includes(target)) return;
  throw new ValidationError(`A job's answer always goes to the chat it was made in; deliver "${deliver}" is not possible here. Leave deliver out.`);
}

const MAX_REPEAT = 10_000;

/**
 * A run budget as Hermes reads it (cron/jobs.py, normalize_repeat_value): a count, or a word for it; "forever", 0 or
 * less is no budget (undefined).
 */
function repeatCount(repeat: number | string | undefined): number | undefined {
  if (repeat === undefined) return undefined;
  const word = String(repeat).trim().toLowerCase();
  if (['forever', 'infinite', 'inf', 'none', ''].includes(word)) return undefined;
  if (['once', 'one', '1x'].includes(word)) return 1;
  const count = typeof repeat === 'number' ? repeat : /^-?\d+$/.test(word) ? Number(word) : Number.NaN;
  if (!Number.isInteger(count)) throw new ValidationError(`repeat must be a whole number of runs, "once" or "forever"; got ${JSON.stringify(repeat)}.`);
  if (count <= 0) return undefined;
  if (count > MAX_REPEAT) throw new ValidationError(`repeat can be at most ${MAX_REPEAT} runs; omit it to repeat forever.`);
  return count;
}

/**
 * The job's skills from `skills` and Hermes' single `skill`, in order and once each; undefined when neither is given.
 * Each must exist now; one deleted later is skipped at its fire with a notice (cron-prompt.ts).
 */
async function jobSkills(deps: ToolDeps, args: CronArgs): Promise<string[] | undefined> {
  if (args.skills === undefined && args.skill === undefined) return undefined;
  const names = [...new Set([...(args.skill?.trim() ? [args.skill.trim()] : []), ...(args.skills ?? []).map((name) => name.trim()).filter(Boolean)])];
  if (names.length > MAX_JOB_SKILLS) throw new ValidationError(`A job can load at most ${MAX_JOB_SKILLS} skills; ${names.length} were given.`);
  deps.skills.invalidate();
  await Promise.all(names.map((name) => deps.skills.require(name)));
  return names;
}

/**
 * Finds a job of this chat by id or, as Hermes allows, by its name. A chat only ever sees and changes its
 * own jobs, even when the model is handed another chat's id.
 */
async function ownJob(deps: ToolDeps, ctx: ToolContext, jobId: string | undefined): Promise<Job> {
  const job = await jobOfThisChat(deps, ctx, jobId);
  // A job runs as the member who made it, with their memory and rights; in a group, another member changing or
  // running it would act as them.
  if (job.delivery.userId !== ctx.userId && !isAdmin(deps, ctx)) {
    throw new ValidationError(`"${job.name}" belongs to another member of this chat; only they (or an admin) can change, pause, remove or run it.`);
  }
  return job;
}

async function jobOfThisChat(deps: ToolDeps, ctx: ToolContext, jobId: string | undefined): Promise<Job> {
  if (!jobId) throw new ValidationError('This action needs job_id. Use action "list" to find it.');
  const byId = await deps.scheduler.get(jobId).catch(() => undefined);
  if (byId && inThisChat(byId, ctx)) return byId;
  // Names match without regard to case, as in Hermes ("Job reference", cron docs).
  const wanted = jobId.trim().toLowerCase();
  const byName = (await jobsOfThisChat(deps, ctx)).filter((job) => job.name.toLowerCase() === wanted);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) {
    throw new ValidationError(`${byName.length} jobs are named "${jobId}"; use one of their ids: ${byName.map((job) => job.id).join(', ')}.`);
  }
  throw new NotFoundError(`No job with id or name "${jobId}" in this chat. Use action "list" to see this chat's jobs.`);
}

/**
 * The jobs of this conversation: a forum topic's own, and in a forum's General topic (whose messages carry no topic)
 * only General's, not every topic's. Outside forums no job has a topic, so this is the whole chat.
 */
function inThisChat(job: Job, ctx: ToolContext): boolean {
  return job.delivery.chatId === ctx.delivery.chatId && job.delivery.threadId === ctx.delivery.threadId;
}

async function jobsOfThisChat(deps: ToolDeps, ctx: ToolContext): Promise<Job[]> {
  return (await deps.scheduler.list(ctx.delivery.chatId, ctx.delivery.threadId)).filter((job) => inThisChat(job, ctx));
}

function describeJob(job: Job, ctx: ToolContext) {
  const next = job.state === 'scheduled' ? (job.nextRunAt ?? nextRunAfter(job.schedule, { after: ctx.now(), timezone: ctx.timezone, anchor: new Date(job.createdAt) })?.toISOString()) : undefined;
  return {
    job_id: job.id,
    name: job.name,
    prompt: job.prompt,
    ...(job.skills?.length ? { skills: job.skills } : {}),
    schedule: job.schedule.display,
    state: job.state,
    repeat:
      job.schedule.kind === 'once'
        ? 'once'
        : job.repeat === undefined
          ? `${job.completedRuns} runs (forever)`
          : `${job.completedRuns}/${job.repeat}`,
    next_run_at: next ?? null,
    last_run_at: job.lastRunAt ?? null,
  };
}
