import { z } from 'zod';
import type { JobFire } from '../tools/ports/scheduler.ts';

const schedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), at: z.string(), display: z.string() }),
  z.object({ kind: z.literal('interval'), minutes: z.number().int().positive(), display: z.string() }),
  z.object({ kind: z.literal('cron'), expression: z.string(), display: z.string() }),
]);

/** The payload EventBridge Scheduler delivers; validated because a malformed one must fail loudly, not half-run. */
export const jobFireSchema = z.object({
  source: z.literal('hermes.cron'),
  scheduledTime: z.string().min(1),
  manual: z.literal(true).optional(),
  note: z.string().optional(),
  job: z.object({
    id: z.string().min(1).max(64),
    name: z.string(),
    prompt: z.string(),
    skills: z.array(z.string().min(1)).optional(),
    schedule,
    repeat: z.number().int().positive().optional(),
    completedRuns: z.number().int().nonnegative(),
    state: z.enum(['scheduled', 'paused']),
    delivery: z.object({ chatId: z.number().int(), threadId: z.number().int().optional(), userId: z.string(), forum: z.literal(true).optional() }),
    createdAt: z.string(),
    lastRunAt: z.string().optional(),
    nextRunAt: z.string().optional(),
  }).refine((job) => job.prompt.trim() !== '' || (job.skills?.length ?? 0) > 0, { message: 'a job needs a prompt or skills' }),
}) satisfies z.ZodType<JobFire>;
