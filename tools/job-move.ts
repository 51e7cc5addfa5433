import type { Job, Scheduler } from './ports/scheduler.ts';

export interface ChatMove {
  from: number;
  to: number;
  now: Date;
}

/**
 * A group's jobs follow it when Telegram turns it into a supergroup under a new id: the old id takes no messages any
 * more ("group chat was upgraded to a supergroup chat"), so a job left there would run the model for nobody. Job ids
 * carry their chat (job-ids.ts), so each job is made again under the new id and the old one removed. The new id comes
 * from the job's own, so a redelivered migration finds the jobs it already moved. A job keeps its runs left and its
 * pause (made paused, so no tick fires it in between); a repeating one counts its interval from the move, as
 * EventBridge counts a rate from a schedule's creation. A one-time job already past has had its run: it stays behind.
 */
export async function moveChatJobs(scheduler: Scheduler, { from, to, now }: ChatMove): Promise<Job[]> {
  const moved: Job[] = [];
  for (const job of await scheduler.list(from)) {
    const runsLeft = job.repeat === undefined ? undefined : job.repeat - job.completedRuns;
    const spent = (job.schedule.kind === 'once' && Date.parse(job.schedule.at) <= now.getTime()) || (runsLeft !== undefined && runsLeft <= 0);
    if (spent) continue;
    const copy = await scheduler.create({
      idempotencyKey: `moved:${job.id}`,
      name: job.name,
      prompt: job.prompt,
      ...(job.skills ? { skills: job.skills } : {}),
      schedule: job.schedule,
      ...(runsLeft !== undefined ? { repeat: runsLeft } : {}),
      delivery: { ...job.delivery, chatId: to },
      state: job.state,
    });
    moved.push(copy);
    await scheduler.remove(job.id);
  }
  return moved;
}
