import { runTurn } from './agent-loop.ts';
import { DuplicateTurnError, errorMessage, RecipientGoneError } from '../tools/errors.ts';
import type { Delivery, JobFire } from '../tools/ports/scheduler.ts';
import type { Runtime } from './runtime.ts';
import { safeErrorText } from '../tools/safe-error-text.ts';
import { abortAtAnswerDeadline, softDeadlineOf } from './deadlines.ts';
import { firePrompt, isSilentAnswer } from './cron-prompt.ts';

export type Deliver = (delivery: Delivery, markdown: string) => Promise<void>;

export interface FireResult {
  /** `silent`: the run had nothing new to report ("[SILENT]"), so nothing was sent. */
  status: 'delivered' | 'silent' | 'duplicate' | 'failed' | 'paused';
  text?: string;
}

/** A fire is remembered for a day: EventBridge retries and Lambda redeliveries land well within that. */
const FIRE_DEDUP_SECONDS = 86_400;

export interface JobFireRun {
  fire: JobFire;
  deliver: Deliver;
  /**
   * Epoch ms by which the fire must have answered (see deadlines.ts); its turn stops starting model steps before it
   * and aborts the call in flight at it, as a chat turn does.
   */
  deadline?: number;
}

/**
 * Runs one scheduled fire: the job's prompt in a fresh session, the answer delivered to the chat the job was
 * created in. The same job and scheduled time run once however often the fire is delivered.
 */
export async function runJobFire(runtime: Runtime, { fire, deliver, deadline }: JobFireRun): Promise<FireResult> {
  const { job, scheduledTime } = fire;
  const refusal = accessRefusal(runtime, job.delivery);
  if (refusal) {
    // Pausing rather than removing keeps the job for the owner, should access be given again.
    runtime.log.warn(`job paused: ${refusal}`, { jobId: job.id, userId: job.delivery.userId, chatId: job.delivery.chatId });
    await runtime.scheduler.pause(job.id).catch((error: unknown) => runtime.log.error('could not pause the job of a removed user', { jobId: job.id, error }));
    return { status: 'paused' };
  }
  const fireId = `cron:${job.id}:${scheduledTime}`;
  if (!(await runtime.dedup.claim(fireId, FIRE_DEDUP_SECONDS))) {
    runtime.log.info('duplicate cron fire ignored', { jobId: job.id, scheduledTime });
    return { status: 'duplicate' };
  }
  const startedAt = Date.now();
  const slot = Date.parse(scheduledTime);
  // A real slot makes the turn id stable, so a fire delivered again after its claim lapsed is not answered twice.
  const receivedAt = Number.isNaN(slot) ? startedAt : slot;
  try {
    const turn = await runTurn(runtime, {
      sessionKey: fireId,
      userId: job.delivery.userId,
      delivery: job.delivery,
      text: await firePrompt(job, { skills: runtime.skills, log: runtime.log }),
      receivedAt,
      eventId: 'fire',
      origin: 'cron',
      deliver: async (answer) => {
        if (isSilentAnswer(answer)) runtime.log.info('the job had nothing new to report; nothing sent', { jobId: job.id });
        else await deliver(job.delivery, answer);
      },
      ...(deadline ? { softDeadline: softDeadlineOf(deadline), abortSignal: abortAtAnswerDeadline(deadline) } : {}),
    });
    return { status: isSilentAnswer(turn.text) ? 'silent' : 'delivered', text: turn.text };
  } catch (error) {
    if (error instanceof DuplicateTurnError) return { status: 'duplicate' };
    if (error instanceof RecipientGoneError) {
      // Every later fire would run the model for nobody; paused, the job waits for its owner as it is.
      runtime.log.warn("job paused: its chat no longer takes the bot's messages", { jobId: job.id, chatId: job.delivery.chatId, movedToChatId: error.movedToChatId, error });
      await runtime.scheduler.pause(job.id).catch((pauseError: unknown) => runtime.log.error('could not pause the job', { jobId: job.id, error: pauseError }));
      return { status: 'paused' };
    }
    runtime.log.error('cron job failed', { jobId: job.id, error });
    await deliver(job.delivery, `⚠️ Scheduled task "${job.name}" failed: ${safeErrorText(errorMessage(error))}`).catch((deliveryError: unknown) =>
      runtime.log.error('could not deliver the failure notice', { jobId: job.id, error: deliveryError }),
    );
    return { status: 'failed' };
  } finally {
    await runtime.scheduler.recordRun(job.id, runTime(startedAt, scheduledTime)).catch((error: unknown) =>
      runtime.log.error('could not record the run', { jobId: job.id, error }),
    );
  }
}

/**
 * Access is checked at every fire, not only when the job was made, by the rules a message there would meet: a group's
 * jobs follow the group (everyone in an allowed group may talk to the bot), a private chat's follow its user.
 */
function accessRefusal(runtime: Runtime, delivery: Delivery): string | undefined {
  const { allowedUsers, allowedChats } = runtime.config.telegram;
  if (delivery.chatId < 0) return (allowedChats ?? []).includes(String(delivery.chatId)) ? undefined : 'its group is no longer in TELEGRAM_ALLOWED_CHATS';
  return allowedUsers === undefined || allowedUsers.includes(delivery.userId) ? undefined : 'its owner is no longer in TELEGRAM_ALLOWED_USERS';
}

/**
 * A fire counts as the run of its scheduled slot even when this clock reads a little earlier than the
 * scheduler's did; manual runs carry no slot time and count at the moment they ran.
 */
function runTime(startedAt: number, scheduledTime: string): string {
  const slot = Date.parse(scheduledTime);
  return new Date(Number.isNaN(slot) ? startedAt : Math.max(startedAt, slot)).toISOString();
}
