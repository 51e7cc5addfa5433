import { Bot } from 'grammy';
import type { Config } from '../agent/config.ts';
import { join, resolve } from 'node:path';
import { FileQueueJournal } from '../agent/local/file-queue-journal.ts';
import { InProcessTurnQueue } from '../agent/local/in-process-turn-queue.ts';
import { MemoryStopRequests } from '../agent/local/memory-stop-requests.ts';
import { MemoryTextArrivals } from '../agent/local/memory-text-arrivals.ts';
import type { JobFire } from '../tools/ports/scheduler.ts';
import type { StopRequests } from '../agent/ports/stop-requests.ts';
import type { Runtime } from '../agent/runtime.ts';
import { queuedFire } from '../agent/queued-fire.ts';
import { albumMemberOf } from './album-member.ts';
import { isJobFireEvent } from './event-kinds.ts';
import { isBatchedText } from './text-batch.ts';
import { ackWith } from './enqueue-update.ts';
import { QueueArrivals } from './queue-arrivals.ts';
import { runQueuedEvent } from './queued-event.ts';
import { replyLedger } from './reply-ledger.ts';
import { routeUpdate } from './update-route.ts';
import { createBot, type HermesContext } from './telegram-bot.ts';
import { answerDeadline } from '../agent/deadlines.ts';

/** Under HERMES_HOME: the updates and fires the queue holds, kept across a restart. */
export const QUEUE_FOLDER = 'queue';

export interface LocalTelegram {
  /** Polls Telegram until stopped. */
  poller: Bot;
  worker: Bot<HermesContext>;
  queue: InProcessTurnQueue;
  stops: StopRequests;
  /** Enqueues a scheduled fire behind the messages of the chat it answers in. */
  enqueueFire(fire: JobFire): Promise<void>;
  /** Queues again what the last run kept in HERMES_HOME/queue and did not finish; returns how many. */
  resume(): Promise<number>;
}

/**
 * `npm start` with a bot token, shaped like the deployment: polling plays the webhook (allowlist, stop requests,
 * claim, enqueue) and an in-process queue plays SQS FIFO and the worker, so a chat's turns run one at a time in
 * order while chats run side by side, and a long turn never holds up getUpdates.
 */
export function createLocalTelegram(runtime: Runtime, config: Config, options: { token: string; apiRoot?: string; retryDelaysMs?: number[] }): LocalTelegram {
  const { workerTimeoutSeconds, maxReceives } = config.turnQueue;
  const client = options.apiRoot ? { apiRoot: options.apiRoot } : {};
  const stops = new MemoryStopRequests();
  const arrivals = new QueueArrivals();
  const { delayMs, splitDelayMs } = config.telegram.textBatch;
  const texts = delayMs > 0 ? new MemoryTextArrivals() : undefined;
  const worker = createBot(runtime, {
    token: options.token,
    ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
    claimUpdates: false,
    replies: replyLedger(runtime),
    stops,
    arrivals,
    ...(texts ? { textBatch: { arrivals: texts, delayMs, splitDelayMs } } : {}),
    // Each turn gets the worker's limit from its own start: several chats' turns run at once here.
    deadline: () => answerDeadline(workerTimeoutSeconds * 1000),
  });
  const queue = new InProcessTurnQueue({
    journal: new FileQueueJournal(join(resolve(config.home), QUEUE_FOLDER)),
    log: runtime.log,
    maxAttempts: maxReceives,
    ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    consume: (event, attempt, sentAt) =>
      runQueuedEvent({ runtime, worker, maxReceives, arrivals, stops }, { body: event.body, attempt, sentAt, deadline: answerDeadline(workerTimeoutSeconds * 1000) }),
    deadLetter: (event, error) => runtime.log.error('queued event given up after every attempt', { groupId: event.groupId, id: event.deduplicationId, error }),
  });
  const ack = {
    queue,
    dedup: runtime.dedup,
    stops,
    albums: runtime.albums,
    ...(texts ? { texts } : {}),
    allowedUsers: new Set(config.telegram.allowedUsers ?? []),
    allowedChats: new Set(config.telegram.allowedChats ?? []),
    sessionScope: config.telegram.sessionScope,
    editWindowSeconds: config.telegram.editWindowSeconds,
    log: runtime.log,
  };
  const poller = new Bot(options.token, { client });
  poller.use(async (ctx) => {
    const update = ctx.update as unknown as Record<string, unknown>;
    // The poller knows the bot from getMe, so stops and the group rules need no TELEGRAM_BOT_USERNAME here.
    const me = { botUsername: ctx.me.username, ...(config.telegram.requireMention ? { mentionRequiredOf: ctx.me } : {}) };
    await ackWith({ ...ack, ...me }, update, JSON.stringify(update));
  });
  poller.catch((error) => runtime.log.error('could not queue an update', { error: error.error, updateId: error.ctx.update.update_id }));
  return {
    poller,
    worker,
    queue,
    stops,
    enqueueFire: (fire) => queue.enqueue(queuedFire(fire)),
    // What arrival records (ackWith) the restart forgot: an album's messages in the roster, and each update for text
    // batching. Recorded again first, an album is answered as one again, and texts sent together as one turn.
    resume: () =>
      queue.replay({
        before: async ({ event, sentAt }) => {
          const update = JSON.parse(event.body) as Record<string, unknown>;
          if (isJobFireEvent(update)) return;
          const member = albumMemberOf(update);
          if (member) await runtime.albums.add(member.album, { messageId: member.messageId, recordedAt: sentAt, message: member.message });
          // The sender as the ack named it: an anonymous admin or a channel by the chat it wrote as, not `from`.
          const { userId } = routeUpdate(update, { scope: config.telegram.sessionScope });
          const textOf = isBatchedText(update) ? userId : undefined;
          await texts?.record(event.groupId, { updateId: Number(update.update_id), ...(textOf === undefined ? {} : { textOf }) });
        },
      }),
  };
}
