import type { Context } from 'grammy';
import type { Config } from '../agent/config.ts';
import type { Logger } from '../agent/logger.ts';

/** One of the emoji ReactionTypeEmoji allows (Bot API, checked 2026-12-01): "seen, working on it". */
const RECEIPT_REACTION = '👀';

export interface AcknowledgeOptions {
  mode: Config['telegram']['ack'];
  /** How often the typing action is renewed; Telegram shows it for about five seconds. */
  typingIntervalMs: number;
  log: Logger;
}

/**
 * Shows the message was received as soon as its update is admitted: a 👀 reaction on it, the typing action
 * renewed until the answer goes out, both, or nothing (TELEGRAM_ACK). A redelivered update shows nothing.
 * Failures (a chat where reactions are off, say) never affect the turn. Returns the function that stops typing.
 */
export function acknowledge(ctx: Context, admitted: Promise<void>, options: AcknowledgeOptions): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const threadId = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  const typing = () => void ctx.replyWithChatAction('typing', threadId === undefined ? {} : { message_thread_id: threadId }).catch(() => undefined);
  admitted.then(
    () => {
      if (stopped) return;
      if (options.mode === 'reaction' || options.mode === 'both') {
        ctx.react(RECEIPT_REACTION).catch((error: unknown) => options.log.debug('could not react to the message', { error }));
      }
      if (options.mode === 'typing' || options.mode === 'both') {
        typing();
        timer = setInterval(typing, options.typingIntervalMs);
      }
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
