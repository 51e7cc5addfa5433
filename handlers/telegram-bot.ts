import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { runTurn, type TurnInput } from '../agent/agent-loop.ts';
import { DuplicateTurnError, ModelError } from '../tools/errors.ts';
import type { Config } from '../agent/config.ts';
import type { Runtime } from '../agent/runtime.ts';
import { conversationKey, isSharedConversation, type MessagePlace } from '../agent/session-key.ts';
import type { StopRequests } from '../agent/ports/stop-requests.ts';
import type { QueueArrivals } from './queue-arrivals.ts';
import { chunkProgress, type ReplyLedger } from './reply-ledger.ts';
import { abortAtDeadline, retryNetworkErrors } from './bounded-bot-api.ts';
import { ChatModels, type ChatChoice } from './commands/chat-model.ts';
import { commandNames, helpText } from './commands/command-list.ts';
import { installCommands } from './commands/conversation-commands.ts';
import { isFromAnotherBot } from './other-bots.ts';
import { addressesBot, groupGate, isGroupChat, isOtherBotsCommand, mustAddressBot } from './group-policy.ts';
import { chatMediaLibrary } from './chat-media.ts';
import { editClaimOf } from './edit-claim.ts';
import { followGroupMigration } from './group-migration.ts';
import { leadingSlash, unknownCommandText } from './commands/slash-command.ts';
import { skillCommandText } from '../agent/skill-invocation.ts';
import { classifyMessage, type IncomingAction } from './incoming-message.ts';
import { escapeMarkdown } from './markdown-to-telegram-html.ts';
import { modelFailureNotice } from './model-failure-notice.ts';
import type { MediaTurn } from './media/media-turn.ts';
import { retryResetConnection } from './retry-reset-connection.ts';
import { senderOfUpdate } from './sender-id.ts';
import { sendTrackedReply } from './telegram-reply.ts';
import { showProgress, type TurnProgress } from './turn-progress.ts';
import { turnText } from './turn-text.ts';
import { draftStopKey } from './update-route.ts';
import { markUndelivered, resendIfOwed } from './undelivered-replies.ts';
import { abortAtAnswerDeadline, abortMediaBefore, softDeadlineOf } from '../agent/deadlines.ts';
import { MAX_INPUT_CHARS, moreTextsQueued, tooLongText, type TextBatch } from './text-batch.ts';
import { storeDeferredText } from '../agent/deferred-text.ts';

type MediaAction = Extract<IncomingAction, { kind: 'media' }>;

/** How often a stranger is told their id: once a day. */
const STRANGER_NOTICE_SECONDS = 86_400;

/** `admit` settles once this update's dedup claim is decided; it rejects with DuplicateTurnError for a redelivery. */
export type HermesContext = Context & { admit: Promise<void> };

export interface BotOptions {
  token: string;
  botInfo?: UserFromGetMe;
  apiRoot?: string;
  /** Epoch ms by which a turn must have answered (the Lambda time limit, less a margin). */
  deadline?: () => number | undefined;
  /** How often the typing indicator is renewed; Telegram shows it for about five seconds. */
  typingIntervalMs?: number;
  /** False for the queue's worker: the webhook claimed the update and SQS FIFO runs a chat's updates one at a time. */
  claimUpdates?: boolean;
  /** In the worker: records sent replies, so a retry whose turn was stored sends the stored answer once. */
  replies?: ReplyLedger;
  /** In the worker: stop requests the webhook recorded, checked between model steps. */
  stops?: StopRequests;
  /** In the worker: when each update was queued, from which a stop counts. */
  arrivals?: QueueArrivals;
  /** In the worker: texts the webhook recorded, so a sender's quick succession of them is answered as one. */
  textBatch?: TextBatch;
}

/**
 * A claim is a lease covering one processing attempt (the Lambda limit is 90 s). It keeps concurrent
 * redeliveries out; after it lapses, a redelivery of an answered update is recognized by its stored turn,
 * and one whose attempt failed gets processed, even if giving the claim back failed too.
 */
const UPDATE_LEASE_SECONDS = 180;
/** How far Telegram's, SQS's and this machine's clocks may be apart, when a /stop is placed in time. */
const STOP_CLOCK_SLACK_MS = 1_000;
/** Marks the answer to an edited message, so the chat shows which version was answered. */
const EDIT_REPLY_PREFIX = '✏️ (answering your edited message)\n\n';

export const HELP_TEXT = helpText();

/** The bot used by both the webhook (Lambda) and long polling (`npm start`). */
export function createBot(runtime: Runtime, options: BotOptions): Bot<HermesContext> {
  const bot = new Bot<HermesContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  // The reset retry goes in first, so it wraps the network call and auto-retry's backoff never sees a reset.
  bot.api.config.use(retryResetConnection());
  // Every retry is bounded and every call ends by the deadline (see bounded-bot-api.ts).
  bot.api.config.use(retryNetworkErrors());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true }));
  bot.api.config.use(abortAtDeadline(options.deadline));
  const { log } = runtime;
  const allowed = new Set(runtime.config.telegram.allowedUsers ?? []);
  const models = new ChatModels(runtime);
  const { sessionScope } = runtime.config.telegram;
  const sessionKeyOf = (ctx: Context) => conversationKey(placeOf(ctx), sessionScope);
  const sharedConversation = (ctx: Context) => isSharedConversation(placeOf(ctx), sessionScope);

  // Never answered, so two bots cannot keep each other talking (other-bots.ts).
  bot.use((ctx, next) => (isFromAnotherBot(ctx.update) ? undefined : next()));
  bot.use(groupGate(runtime.config.telegram, log));

  bot.use(async (ctx, next) => {
    const userId = ctx.from?.id;
    // Past the group gate, a group is one the owner allowed, so everyone in it may talk to the bot.
    if (userId !== undefined && (allowed.has(String(userId)) || isGroupChat(ctx))) return next();
    log.warn('message from a user not in TELEGRAM_ALLOWED_USERS', { userId, chatId: ctx.chat?.id });
    // Once a day for each stranger: enough to learn their id for the owner, and no stream of replies to someone who
    // keeps writing (Hermes, with an allowlist, says nothing at all).
    const noticeClaim = `tg:stranger:${userId}`;
    if (ctx.chat?.type === 'private' && ctx.message && (await runtime.dedup.claim(noticeClaim, STRANGER_NOTICE_SECONDS).catch(() => true))) {
      await ctx.reply(`Sorry, this is a private assistant. Your Telegram user id is ${userId}; the owner can add it to TELEGRAM_ALLOWED_USERS.`).catch(async (error: unknown) => {
        // Not sent: the retry of this update (or their next message) tells them.
        await runtime.dedup.release(noticeClaim).catch(() => undefined);
        throw error;
      });
    }
  });

  bot.use(async (ctx, next) => {
    const updateId = `tg:update:${ctx.update.update_id}`;
    const claims = options.claimUpdates !== false;
    const claim = claims ? runtime.dedup.claim(updateId, UPDATE_LEASE_SECONDS) : Promise.resolve(true);
    // The queue's worker has none of its own: the webhook's ack claimed the edit with its update (ackWith).
    const edit = claims ? editClaimOf(ctx.update, runtime.config.telegram.editWindowSeconds) : undefined;
    let editClaimed = false;
    // A plain message's turn starts reading history while the claim is in flight and acts only once it holds
    // (see `admit`); everything else waits for the claim first.
    ctx.admit = claim.then(async (claimed) => {
      if (!claimed) throw new DuplicateTurnError(`Update ${ctx.update.update_id} is already being processed or was answered.`);
      if (!edit) return;
      // Held by the update, as the ack holds it (ackWith): a redelivery after a crash is let through, a repeat is not.
      editClaimed = await runtime.dedup.claim(edit.id, edit.ttlSeconds, updateId);
      if (!editClaimed) throw new DuplicateTurnError(`Update ${ctx.update.update_id} repeats an edit already answered, as Telegram sends one when someone reacts.`);
    });
    ctx.admit.catch(() => undefined);
    try {
      if (!isPlainText(ctx)) await ctx.admit;
      await next();
    } catch (error) {
      if (error instanceof DuplicateTurnError) {
        // Without a reply ledger (the webhook answering turns itself), a failed send left a marker instead.
        const resent = await resendIfOwed(runtime.dedup, {
          updateId: ctx.update.update_id,
          error,
          // From the first message that did not go out, as the queue's retry sends a long reply.
          send: (text) => sendTrackedReply(ctx.api, replyTarget(ctx), { markdown: text, progress: chunkProgress(runtime, ctx.update.update_id, { resuming: true }) }),
        });
        log.info(resent ? 'redelivered update: the reply lost before was sent' : 'redelivered update ignored', { updateId: ctx.update.update_id });
        return;
      }
      // Give the claim back so Telegram's redelivery gets another try instead of being dropped.
      if (claims && (await claim.catch(() => false))) await runtime.dedup.release(updateId).catch(() => undefined);
      if (edit && editClaimed) await runtime.dedup.release(edit.id).catch(() => undefined);
      throw error;
    }
  });

  /** What one turn answers: the text (labelled with its sender in groups), any media parts, and a reply prefix. */
  type TurnRequest = { text: string; parts?: TurnInput['parts']; replyPrefix?: string; pdfPages?: number };

  /**
   * One turn, answered in the message's chat and topic; progress shows while it runs. `chat`: the chat's model when
   * the caller already read it (a media message, whose files were converted for that model).
   */
  const answer = async (
    ctx: HermesContext,
    input: TurnRequest,
    { progress = startProgress(ctx), chat: known, startedAt = stopWindowStart(ctx) }: { progress?: TurnProgress; chat?: ChatChoice; startedAt?: number } = {},
  ) => {
    const deadline = options.deadline?.();
    const abort = deadline ? abortAtAnswerDeadline(deadline) : undefined;
    const userId = String(senderOfUpdate(ctx)!);
    const { stops } = options;
    try {
      const chat = known ?? (await models.forChat(sessionKeyOf(ctx)));
      const place = placeOf(ctx);
      const output = await runTurn({ ...runtime, ...chat, media: chatMediaLibrary(chat.config) }, {
        sessionKey: sessionKeyOf(ctx),
        userId,
        delivery: { chatId: place.chatId, ...(place.threadId !== undefined ? { threadId: place.threadId } : {}), userId, ...(place.forum ? { forum: true as const } : {}) },
        text: input.text,
        ...(input.parts?.length ? { parts: input.parts } : {}),
        ...(input.pdfPages ? { pdfPages: input.pdfPages } : {}),
        receivedAt: sentAt(ctx),
        eventId: eventIdOf(ctx),
        admit: ctx.admit,
        deliver: async (reply) => {
          progress.stop();
          const markdown = withPrefix(input, reply);
          const marks = options.replies ? options.replies.progressOf(ctx.update.update_id) : chunkProgress(runtime, ctx.update.update_id, { resuming: false });
          const sent = sendTrackedReply(ctx.api, replyTarget(ctx), { markdown, progress: marks });
          await sent.catch(async (error: unknown) => {
            if (!options.replies) await markUndelivered(runtime.dedup, ctx.update.update_id).catch(() => undefined);
            throw error;
          });
          await options.replies?.delivered(ctx.update.update_id);
        },
        ...(deadline ? { softDeadline: softDeadlineOf(deadline) } : {}),
        ...(abort ? { abortSignal: abort } : {}),
        onStep: (toolNames) => progress.step(toolNames),
        ...(sharedConversation(ctx) ? { shared: true } : {}),
        ...(stops ? { shouldStop: () => stopRequested(stops, ctx, startedAt) } : {}),
      });
      // A queued `/stop` runs after this turn and asks whether it stopped anything (see the command below).
      if (output.stopped === 'stopped' && stops) {
        await stops
          .recordStoppedTurn(sessionKeyOf(ctx), { startedAt, stoppedAt: Date.now() })
          .catch((error: unknown) => log.warn('could not record that the turn stopped', { error }));
      }
    } catch (error) {
      progress.stop();
      if (error instanceof DuplicateTurnError && options.replies) {
        await options.replies.resendStored({
          ...(deadline ? { attemptEndsAt: deadline } : {}),
          updateId: ctx.update.update_id,
          sessionKey: sessionKeyOf(ctx),
          eventId: eventIdOf(ctx),
          ...(error.storedAnswer !== undefined ? { storedAnswer: error.storedAnswer } : {}),
          send: (reply, sentBefore) => sendTrackedReply(ctx.api, replyTarget(ctx), { markdown: withPrefix(input, reply), progress: sentBefore }),
        });
        return;
      }
      if (!(error instanceof ModelError)) throw error;
      try {
        await ctx.reply(modelFailureNotice(error.message, { lasting: error.lasting }), threadOf(ctx));
      } catch (sendError) {
        // The request is stored without an answer, so the redelivery finds it "answered": the notice is owed instead.
        if (!options.replies) await markUndelivered(runtime.dedup, ctx.update.update_id).catch(() => undefined);
        throw sendError;
      }
    }
  };

  /** A stop sent once the update was queued is meant for its turn, even while it still waited (see QueueArrivals). */
  const stopWindowStart = (ctx: Context) => options.arrivals?.of(ctx.update) ?? Date.now();

  /**
   * When a `/stop` was recorded: just before it was queued, or else by Telegram's date, which counts whole seconds;
   * either way the clocks of Telegram, SQS and this machine may differ by a little.
   */
  const stopSentDuring = (ctx: Context): { from: number; to: number } => {
    const queued = options.arrivals?.of(ctx.update);
    if (queued !== undefined) return { from: queued - STOP_CLOCK_SLACK_MS, to: queued + STOP_CLOCK_SLACK_MS };
    const sent = sentAt(ctx);
    return { from: sent - STOP_CLOCK_SLACK_MS, to: sent + 1_000 + STOP_CLOCK_SLACK_MS };
  };

  /** A `/stop` in the conversation, or the stop button of this turn's own draft. */
  const stopRequested = async (stops: StopRequests, ctx: HermesContext, startedAt: number): Promise<boolean> => {
    const [conversation, draft] = await Promise.all([
      stops.requestedSince(sessionKeyOf(ctx), startedAt),
      stops.requestedSince(draftStopKey(sessionKeyOf(ctx), draftIdOf(ctx)), startedAt),
    ]);
    return conversation || draft;
  };

  const startProgress = (ctx: HermesContext) =>
    showProgress(
      ctx.api,
      {
        chatId: ctx.chat!.id,
        ...(threadIdOf(ctx) !== undefined ? { threadId: threadIdOf(ctx) } : {}),
        privateChat: ctx.chat!.type === 'private',
        draftId: draftIdOf(ctx),
        ...(ctx.msg ? { messageId: ctx.msg.message_id } : {}),
      },
      { typingIntervalMs: options.typingIntervalMs ?? 4_500, admitted: ctx.admit, ack: runtime.config.telegram.ack, canStop: options.stops !== undefined },
    );

  // The webhook recorded the stop when it arrived; this queued copy runs once the turn it may have stopped has ended.
  // A stopped turn said so in its answer, so the command adds a word only where there was nothing to stop.
  bot.command(commandNames('stop'), async (ctx) => {
    const { stops } = options;
    if (!stops) {
      await ctx.reply('I can’t stop an answer here: this setup runs each one to its end.', threadOf(ctx));
      return;
    }
    if (await stops.stoppedTurnDuring(sessionKeyOf(ctx), stopSentDuring(ctx))) return;
    await ctx.reply('Nothing to stop: no answer of yours is running now.', threadOf(ctx));
  });

  installCommands(bot, { runtime, models, sessionKeyOf, sharedConversation, threadIdOf, sentAt, eventIdOf, answer: (ctx, text) => answer(ctx as HermesContext, { text }), deadline: options.deadline });

  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());

  bot.on('message:migrate_to_chat_id', (ctx) => followGroupMigration(ctx, runtime));

  bot.on(['message', 'edited_message'], async (ctx) => {
    if (isGroupChat(ctx) && isOtherBotsCommand(ctx.msg, ctx.me)) return;
    const action = classifyMessage(ctx.msg, {
      botUsername: ctx.me.username,
      edited: ctx.editedMessage !== undefined,
      editWindowSeconds: runtime.config.telegram.editWindowSeconds,
      // A queued edit's age was judged on arrival, by the webhook or the poller (ackWith).
      ...(options.replies ? {} : { nowSeconds: Math.floor(Date.now() / 1000) }),
    });
    if (action.kind === 'ignore') {
      log.debug('update ignored', { updateId: ctx.update.update_id, reason: action.reason });
      return;
    }
    if (action.kind === 'reply') {
      // A dice roll in a group that hears everything (TELEGRAM_REQUIRE_MENTION=false) is the members'
      // own play; the bot's one-liner about it answers only what was sent to it.
      if (isGroupChat(ctx) && !addressesBot(ctx.msg, ctx.me)) return;
      await ctx.reply(action.text, threadOf(ctx));
      return;
    }
    // A sticker in a group that hears everything is the members' own play, answered only when sent to the bot.
    if (ctx.msg.sticker && isGroupChat(ctx) && !addressesBot(ctx.msg, ctx.me)) return;
    if (action.kind === 'turn' && !action.edited && isPlainText(ctx) && (await answeredWithNextText(ctx, action.text))) return;
    const slash = action.kind === 'turn' && !action.edited ? leadingSlash(action.text) : undefined;
    if (slash && action.text.length <= MAX_INPUT_CHARS) {
      // What the words reply to or forward comes along; in a group they say who sent them, so a bare command does too.
      const instruction = turnText(ctx, slash.instruction || (isGroupChat(ctx) ? action.text : '')).trim();
      await answerSlash(ctx, { name: slash.name, instruction });
      return;
    }
    let input: TurnRequest = { text: action.text, ...(action.edited ? { replyPrefix: EDIT_REPLY_PREFIX } : {}) };
    // Downloading and transcribing take a while too, so progress shows from the start; but an album message shows
    // none until it turns out to answer the album (album.ts): the others end silently, one after another in a queue.
    // A stop counts from when the update was queued, and a voice note or a PDF shows its draft while still converted.
    const startedAt = stopWindowStart(ctx);
    const albumMember = action.kind === 'media' && action.mediaGroupId !== undefined;
    let progress = albumMember ? undefined : startProgress(ctx);
    let chat: ChatChoice | undefined;
    if (action.kind === 'media') {
      let prepared: MediaTurn;
      try {
        // What a file becomes depends on the model this chat uses (/model).
        chat = await models.forChat(sessionKeyOf(ctx));
        prepared = await prepareMedia(ctx, { action, config: chat.config, onAlbumLead: () => (progress ??= startProgress(ctx)) });
      } catch (error) {
        progress?.stop();
        throw error;
      }
      if (prepared.kind !== 'turn') progress?.stop();
      if (prepared.kind === 'skip') return;
      if (prepared.kind === 'reply') {
        await ctx.reply(prepared.text, threadOf(ctx));
        return;
      }
      input = prepared;
    }
    // The bound is on what was typed; a transcript or a document's text has bounds of its own (length, pages).
    if (action.kind !== 'media' && input.text.length > MAX_INPUT_CHARS) {
      progress?.stop();
      await ctx.reply(tooLongText(input.text.length), threadOf(ctx));
      return;
    }
    await answer(ctx, { ...input, text: turnText(ctx, input.text) }, { ...(progress ? { progress } : {}), ...(chat ? { chat } : {}), startedAt });
  });

  /**
   * A text the sender followed with more before it was answered is stored for the next turn, which answers both;
   * nothing is sent for it. The reply mark keeps a redelivery of it from sending anything either.
   */
  const answeredWithNextText = async (ctx: HermesContext, text: string): Promise<boolean> => {
    const batch = options.textBatch;
    const senderId = senderOfUpdate(ctx);
    if (!batch || batch.delayMs === 0 || senderId === undefined) return false;
    const updateId = ctx.update.update_id;
    const queuedAt = options.arrivals?.of(ctx.update) ?? Date.now();
    const more = await moreTextsQueued(batch, { conversation: sessionKeyOf(ctx), senderId, updateId, text, queuedAt }).catch((error: unknown) => {
      // The text is answered on its own, rather than failing for a courtesy.
      log.warn('could not read the texts queued for batching', { error, updateId });
      return false;
    });
    if (!more) return false;
    // Stored already, the text was answered (or deferred) by an earlier attempt: the usual path sends what is owed.
    if (!(await storeDeferredText(runtime.sessions, { sessionKey: sessionKeyOf(ctx), text: turnText(ctx, text), receivedAt: sentAt(ctx), eventId: eventIdOf(ctx) }))) return false;
    await options.replies?.delivered(updateId);
    log.info('text answered with the next one', { updateId, sessionKey: sessionKeyOf(ctx) });
    return true;
  };

  /**
   * A leading /word no command took: one of Hermes' skill commands, whose SKILL.md the turn reads with the words after
   * it, or a command this bot does not have, answered without the model (which would claim to have done it).
   */
  const answerSlash = async (ctx: HermesContext, slash: { name: string; instruction: string }) => {
    const invoked = await skillCommandText(runtime.skills, slash);
    if (invoked === undefined) {
      await ctx.reply(unknownCommandText(slash.name), threadOf(ctx));
      return;
    }
    await answer(ctx, { text: invoked });
  };

  const prepareMedia = async (ctx: HermesContext, { action, config, onAlbumLead }: { action: MediaAction; config: Config; onAlbumLead: () => void }): Promise<MediaTurn> => {
    // Loaded only when media arrives, so text updates never pay for it.
    const { prepareMediaTurn } = await import('./media/media-turn.ts');
    const deadline = options.deadline?.();
    const addressesBot = mustAddressBot(ctx, runtime.config.telegram);
    const request = { runtime: { ...runtime, config }, api: ctx.api, token: options.token, apiRoot: options.apiRoot, chatId: ctx.chat!.id, message: ctx.msg!, action, onAlbumLead };
    return prepareMediaTurn({ ...request, ...(deadline ? { abortSignal: abortMediaBefore(deadline) } : {}), ...(addressesBot ? { addressesBot } : {}) });
  };

  bot.catch((error) => {
    log.error('update failed', { error: error.error, updateId: error.ctx.update.update_id });
    throw error.error;
  });
  return bot;
}

/**
 * Turns are ordered by when Telegram received the message (its clock is the same for every Lambda instance),
 * then by update_id, padded so it sorts as a number: concurrent messages of one chat keep their order.
 */
function sentAt(ctx: Context): number {
  return (ctx.msg?.edit_date ?? ctx.msg?.date ?? Math.floor(Date.now() / 1000)) * 1000;
}

function eventIdOf(ctx: Context): string {
  return String(ctx.update.update_id).padStart(12, '0');
}

function isPlainText(ctx: Context): boolean {
  return typeof ctx.message?.text === 'string' && !ctx.message.text.startsWith('/');
}

/**
 * The reply as the chat sees it: the answer after its prefix (the edit marker, what a voice note was heard as, why a
 * file was refused). The prefix is plain text, often the user's own words or file names, and is rendered with the
 * model's Markdown, so it is escaped to show exactly as written.
 */
function withPrefix(request: { replyPrefix?: string }, answer: string): string {
  return request.replyPrefix ? `${escapeMarkdown(request.replyPrefix)}${answer}` : answer;
}

/** A turn's draft is named by its update, so a stop pressed on it names the turn (Telegram refuses a draft id of 0). */
function draftIdOf(ctx: Context): number {
  return ctx.update.update_id || 1;
}

function threadIdOf(ctx: Context): number | undefined {
  return ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
}

function placeOf(ctx: Context): MessagePlace {
  const threadId = threadIdOf(ctx);
  const userId = senderOfUpdate(ctx);
  return {
    chatId: ctx.chat!.id,
    group: isGroupChat(ctx),
    forum: ctx.chat!.type === 'supergroup' && ctx.chat!.is_forum === true,
    ...(threadId !== undefined ? { threadId } : {}),
    ...(userId !== undefined ? { userId } : {}),
  };
}

function threadOf(ctx: Context): { message_thread_id?: number } {
  const threadId = threadIdOf(ctx);
  return threadId === undefined ? {} : { message_thread_id: threadId };
}

function replyTarget(ctx: Context) {
  const threadId = threadIdOf(ctx);
  return {
    chatId: ctx.chat!.id,
    ...(threadId !== undefined ? { threadId } : {}),
    ...(ctx.chat!.type !== 'private' && ctx.msg ? { replyToMessageId: ctx.msg.message_id } : {}),
  };
}
