/**
 * One unit of work for the worker: a Telegram update or a scheduled fire, serialized as JSON. Events of one
 * group (a conversation: a chat, a forum topic, or a group member's) run one at a time in the order they were
 * enqueued; groups run in parallel.
 */
export interface QueuedEvent {
  /** The session key (`tg:<chat>[:<topic>][:u<member>]`), or a job's chat for its fires: what must run in order. */
  groupId: string;
  /** The event's own id (`tg:update:<update_id>`, `cron:<job>:<slot>`): a second enqueue within five minutes is dropped. */
  deduplicationId: string;
  body: string;
}

/** Hands events to a durable per-group FIFO (SQS FIFO on AWS, an in-process queue for `npm start`). */
export interface TurnQueue {
  enqueue(event: QueuedEvent): Promise<void>;
}

/** SQS's rule for group and deduplication ids, which the in-process queue enforces too. */
export const QUEUE_ID_PATTERN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** SQS keeps a deduplication id for five minutes. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
