/**
 * The newest plain text a sender queued in a conversation, by Telegram's update id (ids only grow). The webhook
 * records each such text as it queues it; the worker, about to answer an earlier one, learns whether more of the
 * sender's words wait behind it in the queue, where it cannot look (an SQS FIFO group shows one message at a time).
 */
export interface TextArrivals {
  record(key: string, updateId: number): Promise<void>;
  /** The newest update id recorded under the key, if any. */
  newest(key: string): Promise<number | undefined>;
}
