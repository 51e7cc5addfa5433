import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { runJobFire, type Deliver } from '../agent/cron-runner.ts';
import { jobWords } from '../agent/fire-notice.ts';
import type { Delivery } from '../tools/ports/scheduler.ts';
import { clearDeadLettered, fireGroupId, fireId, isDeadLetterReplay, markDeadLettered } from '../agent/queued-fire.ts';
import type { Runtime } from '../agent/runtime.ts';
import { isSharedConversation, type SessionScope } from '../agent/session-key.ts';
import type { StopRequests } from '../agent/ports/stop-requests.ts';
import { isJobFireEvent } from './event-kinds.ts';
import { jobFireSchema } from './job-fire-schema.ts';
import type { QueueArrivals } from './queue-arrivals.ts';
import type { HermesContext } from './telegram-bot.ts';
import { chatRefusesBot, sendReply, sendTrackedReply, type ReplyTarget } from './telegram-reply.ts';
import { chunkProgress } from './reply-ledger.ts';
import { routeUpdate } from './update-route.ts';


export interface QueuedEventDeps {
  runtime: Runtime;
  /** The bot that runs queued updates: it claims nothing, the queue already runs a chat one update at a time. */
  worker: Bot<HermesContext>;
  /** Receives after which a failure is final (SQS's maxReceiveCount; the in-process queue's attempts). */
  maxReceives: number;
  /** Where the worker bot reads when each update was queued. */
  arrivals?: QueueArrivals;
  /** Stop requests the webhook recorded: a `/stop` in the chat a fire answers stops the fire too. */
  stops?: StopRequests;
}

export interface QueuedAttempt {
  body: string;
  /** 1 for the first delivery (SQS's ApproximateReceiveCount). */
  attempt: number;
  /** Epoch ms when the event was queued (SQS's SentTimestamp). */
  sentAt?: number;
  /** Epoch ms by which the turn must have answered. */
  deadline: number;
  /**
   * Epoch ms just before the invocation is killed. On the last attempt the chat is told at this point if the
   * event is still running, since a killed attempt never reaches its own failure handling.
   */
  hardEnd?: number;
}

/**
 * Runs one queued event: a Telegram update through the bot, or a scheduled fire. A failure rejects, so the queue
 * retries it; on the last attempt the chat is told first, because the event then goes to the dead-letter queue.
 */
export async function runQueuedEvent(deps: QueuedEventDeps, { body, attempt, sentAt, deadline, hardEnd }: QueuedAttempt): Promise<void> {
  const event = JSON.parse(body) as Record<string, unknown>;
  const last = attempt >= deps.maxReceives;
  let told = false;
  const tell = async () => {
    if (told) return;
    told = true;
    await tellFinalFailure(deps, event);
  };
  const watchdog = last && hardEnd !== undefined ? setTimeout(() => void tell(), Math.max(0, hardEnd - Date.now())) : undefined;
  try {
    if (isJobFireEvent(event)) await runFire(deps, { event, attempt, deadline, sentAt });
    else {
      const update = event as unknown as Update;
      if (sentAt !== undefined) deps.arrivals?.record(update, sentAt);
      await deps.worker.handleUpdate(update);
    }
  } catch (error) {
    if (chatRefusesBot(error)) {
      // Retrying cannot reach a chat that refuses the bot; the turn is stored, and the message leaves the queue.
      deps.runtime.log.warn("the reply's chat no longer takes the bot's messages; not retried", { error, updateId: event.update_id });
      return;
    }
    deps.runtime.log.error('queued event failed', { error, attempt, maxReceives: deps.maxReceives, updateId: event.update_id });
    if (last) await tell();
    throw error;
  } finally {
    clearTimeout(watchdog);
  }
}

async function runFire(
  { runtime, worker, maxReceives, stops }: QueuedEventDeps,
  { event, attempt, deadline, sentAt }: { event: Record<string, unknown>; attempt: number; deadline: number; sentAt: number | undefined },
): Promise<void> {
  const fire = jobFireSchema.parse(event);
  // A replay from the dead-letter queue arrives as a first attempt, and is the retry it replays.
  const replay = attempt === 1 && (await isDeadLetterReplay(runtime.dedup, fire));
  const retrying = attempt > 1 || replay;
  // A long answer is marked message by message, so the retry after a refused second message sends the rest only.
  const progress = chunkProgress(runtime, fireId(fire), { resuming: retrying });
  const deliver: Deliver = (delivery, text) => sendTrackedReply(worker.api, delivery, { markdown: text, progress });
  // A stop sent in the fire's conversation once the fire was queued is meant for what runs there, the fire included:
  // it queues with the chat's messages, and a `/stop` behind it would otherwise stop only the message waiting next.
  const stopKey = stops ? fireConversation(fire.job.delivery, runtime.config.telegram.sessionScope) : undefined;
  const startedAt = sentAt ?? Date.now();
  // A retry is another attempt of the same fire: its own first attempt's claim must not turn it away. The stored
  // turn still keeps an answered fire from being answered twice.
  if (retrying) await runtime.dedup.release(fireId(fire));
  // A failure with attempts left rejects, and the queue runs the fire again; the last attempt tells the chat itself.
  const result = await runJobFire(runtime, {
    fire,
    deliver,
    deadline,
    attempt: { retrying, retryLeft: attempt < maxReceives },
    ...(stops && stopKey ? { shouldStop: () => stops.requestedSince(stopKey, startedAt) } : {}),
  });
  if (replay) await clearDeadLettered(runtime.dedup, fire).catch((error: unknown) => runtime.log.warn('could not clear the mark of a replayed fire', { error }));
  if (result.stopped && stops && stopKey) {
    // The `/stop` itself is answered after it: silent, as the fire already said it stopped.
    await stops.recordStoppedTurn(stopKey, { startedAt, stoppedAt: Date.now() }).catch((error: unknown) => runtime.log.warn('could not record that the fire stopped', { error }));
  }
}

/**
 * The conversation whose `/stop` reaches a fire: the private chat, or a forum topic (or group) whose members share
 * one. A group whose members each have their own has no one conversation the fire belongs to.
 */
function fireConversation(delivery: Delivery, scope: SessionScope): string | undefined {
  const place = { chatId: delivery.chatId, group: delivery.chatId < 0, ...(delivery.forum ? { forum: true } : {}), ...(delivery.threadId !== undefined ? { threadId: delivery.threadId } : {}) };
  return !place.group || isSharedConversation(place, scope) ? fireGroupId(delivery) : undefined;
}

async function tellFinalFailure(deps: QueuedEventDeps, event: Record<string, unknown>): Promise<void> {
  const fire = isJobFireEvent(event) ? jobFireSchema.safeParse(event) : undefined;
  if (fire?.success) {
    await markDeadLettered(deps.runtime.dedup, fire.data).catch((error: unknown) =>
      deps.runtime.log.error('could not mark a failed fire for a replay from the dead-letter queue', { error, jobId: fire.data.job.id }),
    );
  }
  const notice = noticeFor(event, deps.runtime.config.telegram.sessionScope);
  if (!notice) return;
  await sendReply(deps.worker.api, notice.target, notice.text).catch((error: unknown) =>
    deps.runtime.log.error('could not tell the chat that an update failed', { error }),
  );
}

function noticeFor(event: Record<string, unknown>, scope: SessionScope): { target: ReplyTarget; text: string } | undefined {
  if (isJobFireEvent(event)) {
    const parsed = jobFireSchema.safeParse(event);
    if (!parsed.success) return undefined;
    const { job } = parsed.data;
    // Said only when every attempt failed, or the last was about to be killed: whether its run was counted is not known.
    return { target: job.delivery, text: `⚠️ Scheduled task "${job.name}" could not be run and delivered, even after retrying.${jobWords(job)}` };
  }
  const { chatId, threadId } = routeUpdate(event, { scope });
  if (chatId === undefined) return undefined;
  return {
    target: { chatId, ...(threadId !== undefined ? { threadId } : {}) },
    text: '⚠️ Sorry, I could not process your last message, even after retrying. Please send it again.',
  };
}
