/** One message of an album as it was received: its id, when it was first seen, and the raw Telegram message. */
export interface AlbumMember {
  messageId: number;
  /** Epoch ms when the message was first recorded; the album is complete once none has been added for a while. */
  recordedAt: number;
  /** The Telegram Message object as JSON, so whoever answers the album can fetch every file in it. */
  message: string;
  /** The message id of the member that answers this one, once taken. */
  takenBy?: number;
}

/**
 * The messages of each album (Telegram's `media_group_id`), recorded as they arrive, so that one of them answers all
 * in one turn even when a queue runs them one after another. Albums are keyed by chat and media group.
 */
export interface AlbumRoster {
  /** Records a member; recording the same message again keeps the first record. */
  add(album: string, member: Omit<AlbumMember, 'takenBy'>): Promise<void>;
  /** Every recorded member, by message id, read strongly consistent. */
  members(album: string): Promise<AlbumMember[]>;
  /**
   * Marks members as answered by `leader`; a member already taken by another leader is left alone. Returns the ids
   * now taken by `leader` (those it held before included, so a retried leader takes its album again).
   */
  take(album: string, options: { leader: number; messageIds: number[] }): Promise<number[]>;
}
