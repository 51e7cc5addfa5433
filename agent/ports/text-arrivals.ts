/**
 * What the webhook queued in a conversation, by Telegram's update id (ids grow, but are picked afresh after a week
 * without updates, so a record counts only within the hour before the text in question): each sender's newest plain
 * text, and the newest update of any other kind (a photo, a command, an edit). The worker, about to answer a text,
 * learns whether the sender's next words wait behind it in the queue, with nothing else in between, where it cannot
 * look (an SQS FIFO group shows one message at a time).
 */
export interface TextArrivals {
  /** An update queued in the conversation: a plain text of the sender `textOf`, or (without it) anything else. */
  record(conversation: string, update: { updateId: number; textOf?: number }): Promise<void>;
  /**
   * The sender's newest text there, and the newest update that is not theirs or not a text (another's text counts),
   * of those recorded at or after `since` (epoch ms).
   */
  seen(conversation: string, senderId: number, since: number): Promise<{ newestText?: number; newestOther?: number }>;
}
