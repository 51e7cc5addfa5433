import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, type Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { runTurn } from '../agent/agent-loop.ts';
import { DuplicateTurnError, ModelError } from '../tools/errors.ts';
import type { Runtime } from '../agent/runtime.ts';
import { telegramSessionKey } from '../agent/session-key.ts';
import { acknowledge } from './acknowledge.ts';
import { ChatModels } from './commands/chat-model.ts';
import { helpText } from './commands/command-list.ts';
import { installCommands } from './commands/conversation-commands.ts';
import { groupGate, isGroupChat, turnText } from './group-policy.ts';
import { retryResetConnection } from './retry-reset-connection.ts';
import { sendReply } from './telegram-reply.ts';
import { markUndelivered, resendIfOwed } from './undelivered-replies.ts';

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
}

/**
 * A claim is a lease covering one processing attempt (the Lambda limit is 90 s). It keeps concurrent
 * redeliveries out; after it lapses, a redelivery of an answered update is recognized by its stored turn,
 * and one whose attempt failed gets processed, even if giving the claim back failed too.
 */
const UPDATE_LEASE_SECONDS = 180;
const MAX_INPUT_CHARS = 16_000;

export const HELP_TEXT = helpText();

/** The bot used by both the webhook (Lambda) and long polling (`npm start`). */
export function createBot(runtime: Runtime, options: BotOptions): Bot<HermesContext> {
  const bot = new Bot<HermesContext>(options.token, {
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    client: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}) },
  });
  // The reset retry goes in first, so it wraps the network call and auto-retry's backoff never sees a reset.
  bot.api.config.use(retryResetConnection());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30 }));
  const { log } = runtime;
  const allowed = new Set(runtime.config.telegram.allowedUsers ?? []);
  const models = new ChatModels(runtime);

  bot.use(groupGate(runtime.config.telegram, log));

  bot.use(async (ctx, next) => {
    const userId = ctx.from?.id;
    // Past the group gate, a group is one the owner allowed, so everyone in it may talk to the bot.
    if (userId !== undefined && (allowed.has(String(userId)) || isGroupChat(ctx))) return next();
    log.warn('message from a user not in TELEGRAM_ALLOWED_USERS', { userId, chatId: ctx.chat?.id });
    if (ctx.chat?.type === 'private' && ctx.message) {
      await ctx.reply(`Sorry, this is a private assistant. Your Telegram user id is ${userId}; the owner can add it to TELEGRAM_ALLOWED_USERS.`);
    }
  });

  bot.use(async (ctx, next) => {
    const updateId = `tg:update:${ctx.update.update_id}`;
    const claim = runtime.dedup.claim(updateId, UPDATE_LEASE_SECONDS);
    // A plain message's turn starts reading history while the claim is in flight and acts only once it holds
    // (see `admit`); everything else waits for the claim first.
    ctx.admit = claim.then((claimed) => {
      if (!claimed) throw new DuplicateTurnError(`Update ${ctx.update.update_id} is already being processed or was answered.`);
    });
    ctx.admit.catch(() => undefined);
    try {
      if (!isPlainText(ctx)) await ctx.admit;
      await next();
    } catch (error) {
      if (error instanceof DuplicateTurnError) {
        const resent = await resendIfOwed(runtime.dedup, ctx.update.update_id, error, (text) => sendReply(ctx.api, replyTarget(ctx), text));
        log.info(resent ? 'redelivered update: the reply lost before was sent' : 'redelivered update ignored', { updateId: ctx.update.update_id });
        return;
      }
      // Give the claim back so Telegram's redelivery gets another try instead of being dropped.
      if (await claim.catch(() => false)) await runtime.dedup.release(updateId).catch(() => undefined);
      throw error;
    }
  });

  /** One turn for `text` (already labelled with its sender in groups), answered in the message's chat and topic. */
  const answer = async (ctx: HermesContext, text: string) => {
    const stopTyping = acknowledge(ctx, ctx.admit, { mode: runtime.config.telegram.ack, typingIntervalMs: options.typingIntervalMs ?? 4_500, log });
    const deadline = options.deadline?.();
    const abort = deadline ? AbortSignal.timeout(Math.max(1_000, deadline - Date.now())) : undefined;
    const userId = String(ctx.from!.id);
    try {
      await runTurn({ ...runtime, model: await models.modelFor(sessionKeyOf(ctx)) }, {
        sessionKey: sessionKeyOf(ctx),
        userId,
        delivery: { chatId: ctx.chat!.id, ...(threadIdOf(ctx) !== undefined ? { threadId: threadIdOf(ctx) } : {}), userId },
        text,
        receivedAt: sentAt(ctx),
        eventId: eventIdOf(ctx),
        admit: ctx.admit,
        deliver: async (answer) => {
          stopTyping();
          await sendReply(ctx.api, replyTarget(ctx), answer).catch(async (error: unknown) => {
            await markUndelivered(runtime.dedup, ctx.update.update_id).catch(() => undefined);
            throw error;
          });
        },
        ...(deadline ? { softDeadline: deadline - 8_000 } : {}),
        ...(abort ? { abortSignal: abort } : {}),
      });
    } catch (error) {
      stopTyping();
      if (!(error instanceof ModelError)) throw error;
      await ctx.reply(`⚠️ ${error.message}\nYour message is saved; try again in a moment.`, threadOf(ctx));
    }
  };

  installCommands(bot, { runtime, models, sessionKeyOf, threadIdOf, sentAt, eventIdOf, answer: (ctx, text) => answer(ctx as HermesContext, text) });

  bot.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (text.length > MAX_INPUT_CHARS) {
      await ctx.reply(`That message is ${text.length} characters; I can read up to ${MAX_INPUT_CHARS}. Please shorten it or split it up.`, threadOf(ctx));
      return;
    }
    await answer(ctx, turnText(ctx, text));
  });

  bot.on('message', (ctx) => ctx.reply('I can only read text messages for now.', threadOf(ctx)));

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
  return (ctx.message?.date ?? Math.floor(Date.now() / 1000)) * 1000;
}

function eventIdOf(ctx: Context): string {
  return String(ctx.update.update_id).padStart(12, '0');
}

function isPlainText(ctx: Context): boolean {
  return typeof ctx.message?.text === 'string' && !ctx.message.text.startsWith('/');
}

function threadIdOf(ctx: Context): number | undefined {
  return ctx.message?.is_topic_message ? ctx.message.message_thread_id : undefined;
}

function sessionKeyOf(ctx: Context): string {
  return telegramSessionKey(ctx.chat!.id, threadIdOf(ctx));
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
    ...(ctx.chat!.type !== 'private' && ctx.message ? { replyToMessageId: ctx.message.message_id } : {}),
  };
}
