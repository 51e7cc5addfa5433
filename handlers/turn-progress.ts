import type { Api } from 'grammy';
import type { Config } from '../agent/config.ts';
import type { HermesTools } from '../tools/index.ts';

/** One of the emoji ReactionTypeEmoji allows (Bot API, checked 2026-12-01): "seen, working on it". */
const RECEIPT_REACTION = '👀';

export interface ProgressTarget {
  chatId: number;
  threadId?: number;
  /** Drafts exist only in private chats; other chats see the typing action alone. */
  privateChat: boolean;
  /** Non-zero; one per turn, so the drafts of a turn animate into each other. */
  draftId: number;
  /** The message being answered, for the receipt reaction. */
  messageId?: number;
}

export interface ProgressOptions {
  /** Telegram shows "typing…" for about five seconds; it is renewed this often. */
  typingIntervalMs: number;
  /** A draft is a 30-second preview; it is sent again this often while nothing new happens. */
  draftRefreshMs?: number;
  /** Nothing is shown before this settles, and nothing if it rejects (a redelivered update). */
  admitted: Promise<void>;
  /** How receipt is shown at once (TELEGRAM_ACK): the typing action, a 👀 reaction, both, or neither. */
  ack: Config['telegram']['ack'];
  /**
   * Whether the draft offers Telegram's stop button: only where a press can reach the running turn (the queue's stop
   * requests, or the poller's); a webhook answering turns itself has nowhere to record it.
   */
  canStop: boolean;
}

export interface TurnProgress {
  /** A model step finished; these tools ran in it. */
  step(toolNames: string[]): void;
  /** The answer is about to go out with sendMessage, which finalizes the draft. */
  stop(): void;
}

/** What the draft says while a step with these tools is in progress; a new tool fails the type check until it has one. */
const STEP_LABELS: Record<keyof HermesTools, string> = {
  cronjob: 'Setting up the schedule…',
  skills_list: 'Looking through my skills…',
  skill_view: 'Reading a skill…',
  skill_manage: 'Updating a skill…',
  memory: 'Updating my notes…',
  memory_recall: 'Searching my memory…',
  media_view: 'Looking at your file again…',
};

/**
 * What the chat shows while a turn runs: the typing action, and in private chats a draft (sendMessageDraft,
 * Bot API 9.5) naming the step in progress, with the stop button (`can_stop`) that sends
 * `stopped_message_generation`. The draft starts as Telegram's "Thinking…" placeholder (empty text) and is
 * finalized by the answer's sendMessage. Failures never touch the turn; a Bot API without drafts is asked once.
 * Source: core.telegram.org/bots/api#sendmessagedraft (checked 2026-12-01).
 */
export function showProgress(api: Api, target: ProgressTarget, options: ProgressOptions): TurnProgress {
  let stopped = false;
  let drafts = target.privateChat;
  let draftText = '';
  let sinceDraft = 0;
  let timer: NodeJS.Timeout | undefined;
  const thread = target.threadId !== undefined ? { message_thread_id: target.threadId } : {};
  const refreshEvery = Math.max(1, Math.round((options.draftRefreshMs ?? 20_000) / options.typingIntervalMs));

  const showsTyping = options.ack === 'typing' || options.ack === 'both';
  const typing = () => {
    if (showsTyping) void api.sendChatAction(target.chatId, 'typing', thread).catch(() => undefined);
  };
  const draft = () => {
    if (!drafts || stopped) return;
    sinceDraft = 0;
    api.sendMessageDraft(target.chatId, target.draftId, draftText, { ...thread, ...(options.canStop ? { can_stop: true } : {}) }).catch(() => {
      drafts = false;
    });
  };

  options.admitted.then(
    () => {
      if (stopped) return;
      if ((options.ack === 'reaction' || options.ack === 'both') && target.messageId !== undefined) {
        // A chat where reactions are off refuses it; receipt is a courtesy and never affects the turn.
        api.setMessageReaction(target.chatId, target.messageId, [{ type: 'emoji', emoji: RECEIPT_REACTION }]).catch(() => undefined);
      }
      typing();
      draft();
      timer = setInterval(() => {
        typing();
        if (++sinceDraft >= refreshEvery) draft();
      }, options.typingIntervalMs);
    },
    () => undefined,
  );

  return {
    step: (toolNames) => {
      const label = [...toolNames].reverse().map((name) => STEP_LABELS[name as keyof HermesTools]).find(Boolean);
      if (!label || label === draftText) return;
      draftText = label;
      draft();
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
