import { runTurn, UNFINISHED_AFTER_TOOLS } from './agent-loop.ts';
import { DuplicateTurnError, findError, ModelError, RecipientGoneError } from '../tools/errors.ts';
import type { Delivery, Job, JobFire } from '../tools/ports/scheduler.ts';
import type { Runtime } from './runtime.ts';
import { abortAtAnswerDeadline, softDeadlineOf } from './deadlines.ts';
import { firePrompt, isSilentAnswer } from './cron-prompt.ts';
import { failureNotice } from './fire-notice.ts';
import { fireId } from './queued-fire.ts';

export type Deliver = (delivery: Delivery, markdown: string) => Promise<void>;

export interface FireResult {
  /** `silent`: the run had nothing new to report ("[SILENT]"), so nothing was sent. */
  status: 'delivered' | 'silent' | 'duplicate' | 'failed' | 'paused';
  text?: string;
  /** The run ended on a stop its chat asked for. */
  stopped?: true;
}

/** A fire is remembered for a day: EventBridge retries and Lambda redeliveries land well within that. */
const FIRE_DEDUP_SECONDS = 86_400;
/**
 * A run this long after its slot is late, and the model is told when it was due. Hermes allows a ticker the same
 * slack before it calls a run late (hermes-agent `cron/jobs.py`, `_LATE_DISPATCH_TOLERANCE_SECONDS`, read 2026-12-03).
 */
const LATE_AFTER_MS = 5 * 60_000;

export interface JobFireRun {
  fire: JobFire;
  deliver: Deliver;
  /**
   * Epoch ms by which the fire must have answered (see deadlines.ts); its turn stops starting model steps before it
   * and aborts the call in flight at it, as a chat turn does.
   */
  deadline?: number;
  /**
   * Where a queue runs the fire: whether this attempt follows one that failed, and whether another may follow it.
   * Without a queue (the in-process scheduler, a direct invocation) every attempt is the first and the last.
   */
  attempt?: { retrying: boolean; retryLeft: boolean };
  /** Asked between model steps, and every few seconds of a model call: a stop the chat requested ends the run. */
  shouldStop?: () => Promise<boolean>;
}

/**
 * Runs one scheduled fire: the job's prompt in a fresh session, the answer delivered to the chat the job was
 * created in. The same job and scheduled time run once however often the fire is delivered.
 */
export async function runJobFire(runtime: Runtime, { fire, deliver, deadline, attempt, shouldStop }: JobFireRun): Promise<FireResult> {
  const { job, scheduledTime } = fire;
  const refusal = accessRefusal(runtime, job.delivery);
  if (refusal) {
    // Pausing rather than removing keeps the job for the owner, should access be given again.
    runtime.log.warn(`job paused: ${refusal}`, { jobId: job.id, userId: job.delivery.userId, chatId: job.delivery.chatId });
    await runtime.scheduler.pause(job.id).catch((error: unknown) => runtime.log.error('could not pause the job of a removed user', { jobId: job.id, error }));
    return { status: 'paused' };
  }
  const claimId = fireId(fire);
  if (!(await runtime.dedup.claim(claimId, FIRE_DEDUP_SECONDS))) {
    runtime.log.info('duplicate cron fire ignored', { jobId: job.id, scheduledTime });
    return { status: 'duplicate' };
  }
  const startedAt = Date.now();
  const slot = Date.parse(scheduledTime);
  // A real slot makes the turn id stable, so a fire delivered again after its claim lapsed is not answered twice.
  const receivedAt = Number.isNaN(slot) ? startedAt : slot;
  const late = startedAt - receivedAt > LATE_AFTER_MS ? { dueAt: receivedAt, timezone: runtime.config.timezone } : undefined;
  const sentId = `${claimId}:sent`;
  const send = async (answer: string) => {
    if (isSilentAnswer(answer)) runtime.log.info('the job had nothing new to report; nothing sent', { jobId: job.id });
    else await deliver(job.delivery, answer);
    // A retry after this (the attempt dies recording the run) must not send the answer again.
    await runtime.dedup.claim(sentId, FIRE_DEDUP_SECONDS).catch(() => undefined);
  };
  // Whether the run counts: not when the queue will try the fire again.
  let counted = true;
  try {
    // The attempt before may have stored the request with no answer (the model failed): that is not an answer.
    if (attempt?.retrying) await forgetUnansweredAttempt(runtime, claimId);
    const turn = await runTurn(runtime, {
      sessionKey: claimId,
      userId: job.delivery.userId,
      delivery: job.delivery,
      text: await firePrompt(job, { note: fire.note, late, skills: runtime.skills, log: runtime.log }),
      receivedAt,
      datedAt: startedAt,
      eventId: 'fire',
      origin: 'cron',
      deliver: send,
      ...(deadline ? { softDeadline: softDeadlineOf(deadline), abortSignal: abortAtAnswerDeadline(deadline) } : {}),
      ...(shouldStop ? { shouldStop } : {}),
    });
    return { status: isSilentAnswer(turn.text) ? 'silent' : 'delivered', text: turn.text, ...(turn.stopped === 'stopped' ? { stopped: true as const } : {}) };
  } catch (error) {
    if (error instanceof DuplicateTurnError) {
      // After a failed attempt, a stored answer is one that attempt may not have sent (Telegram refused it for a
      // while); the mark its sending leaves tells. On a first attempt (a fire run again after a restart) the mark may be
      // gone with the process that kept it, so the stored answer counts as sent.
      const stored = error.storedAnswer;
      if (!attempt?.retrying || stored === undefined || !(await runtime.dedup.claim(sentId, FIRE_DEDUP_SECONDS))) return { status: 'duplicate' };
      // The note a model failure after tools leaves is no answer: what the chat is owed is the failure notice.
      const answer = stored === UNFINISHED_AFTER_TOOLS ? failureNotice(fire, new ModelError('The model did not answer.')) : stored;
      try {
        if (!isSilentAnswer(answer)) await deliver(job.delivery, answer);
      } catch (sendError) {
        await runtime.dedup.release(sentId).catch(() => undefined);
        // Counted once, by the attempt that gets it out (or the last).
        if (attempt?.retryLeft) counted = false;
        throw sendError;
      }
      return { status: isSilentAnswer(answer) ? 'silent' : 'delivered', text: answer };
    }
    if (error instanceof RecipientGoneError) return pauseForGoneChat(runtime, job, error);
    if (attempt?.retryLeft && !(error instanceof ModelError)) {
      // A throttled store or Telegram's flood control passes: the queue tries again. Not a model failure: the SDK
      // retried that already, and a retry holds the chat's own messages behind it (one FIFO group) for the queue's
      // visibility timeout; the notice below carries the job's words at once instead.
      runtime.log.warn('cron job failed; the queue will try it again', { jobId: job.id, error });
      counted = false;
      await runtime.dedup.release(claimId).catch(() => undefined);
      throw error;
    }
    runtime.log.error('cron job failed', { jobId: job.id, error });
    try {
      await deliver(job.delivery, failureNotice(fire, error));
    } catch (deliveryError) {
      if (findError(deliveryError, RecipientGoneError)) return pauseForGoneChat(runtime, job, deliveryError);
      if (attempt?.retryLeft) {
        // Neither the answer nor the notice reached the chat (a laptop just woken, its network not yet back): counted
        // now, a one-time reminder would be gone unseen. The queue tries the fire again later.
        runtime.log.warn('could not deliver the failure notice; the queue will try the job again', { jobId: job.id, error: deliveryError });
        counted = false;
        await runtime.dedup.release(claimId).catch(() => undefined);
        throw deliveryError;
      }
      runtime.log.error('could not deliver the failure notice', { jobId: job.id, error: deliveryError });
    }
    return { status: 'failed' };
  } finally {
    if (counted) {
      await runtime.scheduler.recordRun(job.id, runTime(startedAt, scheduledTime)).catch((error: unknown) =>
        runtime.log.error('could not record the run', { jobId: job.id, error }),
      );
    }
  }
}

/** Every later fire would run the model for nobody; paused, the job waits for its owner as it is. */
async function pauseForGoneChat(runtime: Runtime, job: Job, error: unknown): Promise<FireResult> {
  const movedToChatId = findError(error, RecipientGoneError)?.movedToChatId;
  runtime.log.warn("job paused: its chat no longer takes the bot's messages", { jobId: job.id, chatId: job.delivery.chatId, movedToChatId, error });
  await runtime.scheduler.pause(job.id).catch((pauseError: unknown) => runtime.log.error('could not pause the job', { jobId: job.id, error: pauseError }));
  return { status: 'paused' };
}

/** A fire's session holds its one turn: one stored without an answer is the request of an attempt that failed. */
async function forgetUnansweredAttempt(runtime: Runtime, sessionKey: string): Promise<void> {
  const { turns } = await runtime.sessions.loadWindow(sessionKey, 1);
  const last = turns.at(-1);
  if (last && !last.messages.some((message) => message.role === 'assistant')) await runtime.sessions.removeLastTurn(sessionKey);
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
