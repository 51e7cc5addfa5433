import type { Bot, Context } from 'grammy';
import type { ModelMessage } from 'ai';
import type { Runtime } from '../../agent/runtime.ts';
import type { Turn } from '../../agent/ports/session-store.ts';
import { usage } from '../../tools/memory.ts';
import type { ChatModels } from './chat-model.ts';
import { commandNames, helpText } from './command-list.ts';
import { usageDay } from '../../agent/ports/usage-store.ts';
import { monthStart, usageReport } from './usage-report.ts';
import { isAdmin } from '../../tools/admins.ts';
import { senderOfUpdate } from '../sender-id.ts';
import { textsAnsweredWithNext } from '../../agent/deferred-text.ts';
import { sliceWhole } from '../../tools/char-count.ts';
import { compressConversation, isCompressNote, type CompressResult } from '../../agent/compress-conversation.ts';
import { compressReply } from './compress-reply.ts';
import { abortAtAnswerDeadline } from '../../agent/deadlines.ts';
import { ModelError } from '../../tools/errors.ts';

export interface CommandDeps {
  runtime: Runtime;
  models: ChatModels;
  sessionKeyOf: (ctx: Context) => string;
  /** The group members share this conversation (HERMES_GROUP_SESSIONS_PER_USER=false, or a forum topic). */
  sharedConversation: (ctx: Context) => boolean;
  threadIdOf: (ctx: Context) => number | undefined;
  sentAt: (ctx: Context) => number;
  eventIdOf: (ctx: Context) => string;
  /** Runs a turn for `text` in this chat and sends the answer, exactly as for a message. */
  answer: (ctx: Context, text: string) => Promise<void>;
  /** Epoch ms by which this update must be answered, where the invocation has a limit. */
  deadline?: (() => number | undefined) | undefined;
}

const QUOTE_CHARS = 80;
/**
 * Telegram redelivers an update only after a failed attempt, for at most a day. A redelivered /undo or /retry
 * whose first attempt already removed a turn must not remove the one before it too.
 */
const REMOVAL_CLAIM_SECONDS = 2 * 86_400;

/** The commands of COMMANDS (and /start), the same for the webhook and long polling. None of them but /retry calls the model. */
export function installCommands<C extends Context>(bot: Bot<C>, deps: CommandDeps): void {
  const { runtime, models } = deps;
  const reply = (ctx: Context, text: string) => {
    const threadId = deps.threadIdOf(ctx);
    return ctx.reply(text, threadId === undefined ? {} : { message_thread_id: threadId });
  };

  /**
   * Removes the newest turn once per update and returns it. Where there is none, or an earlier attempt of this update
   * already ran the removal (Telegram redelivers only after a failed attempt), the chat is told in the command's own
   * words. The claim is kept even when nothing was removed: a redelivery must not remove a turn stored since.
   */
  const removeNewest = async (ctx: Context, told: { repeated: string; nothing: string }): Promise<Turn | undefined> => {
    const claim = `tg:remove:${ctx.update.update_id}`;
    if (!(await runtime.dedup.claim(claim, REMOVAL_CLAIM_SECONDS))) {
      runtime.log.warn('redelivered command not repeated: its first attempt already ran the removal', { updateId: ctx.update.update_id });
      await reply(ctx, told.repeated);
      return undefined;
    }
    let removed: Turn | undefined;
    try {
      removed = await runtime.sessions.removeLastTurn(deps.sessionKeyOf(ctx));
    } catch (error) {
      await runtime.dedup.release(claim).catch(() => undefined);
      throw error;
    }
    if (!removed) await reply(ctx, told.nothing);
    return removed;
  };

  /**
   * Where members share the conversation (a forum topic, by default), a change to all of it is the admin's: /new,
   * /undo, /compress and /model change what every member's next message carries. Tells anyone else and returns false.
   */
  const mayChangeShared = async (ctx: Context, refusal: string): Promise<boolean> => {
    if (!deps.sharedConversation(ctx) || isAdmin({ config: runtime.config }, { userId: String(senderOfUpdate(ctx)) })) return true;
    await reply(ctx, `Everyone here shares this conversation, so only the admin of this assistant can ${refusal}`);
    return false;
  };

  bot.command('start', (ctx) => reply(ctx, `Hello${ctx.from?.first_name ? `, ${ctx.from.first_name}` : ''}! ${helpText()}`));
  bot.command(commandNames('help'), (ctx) => reply(ctx, helpText()));

  bot.command(commandNames('new'), async (ctx) => {
    if (!(await mayChangeShared(ctx, 'start it afresh: it is everyone’s history.'))) return;
    await runtime.sessions.reset(deps.sessionKeyOf(ctx), deps.sentAt(ctx), deps.eventIdOf(ctx));
    await reply(ctx, 'Started a fresh conversation. My memory of you and your reminders stay as they are.');
  });

  bot.command(commandNames('undo'), async (ctx) => {
    if (!(await mayChangeShared(ctx, 'undo: the last exchange may be someone else’s.'))) return;
    const removed = await removeNewest(ctx, {
      repeated: 'Removed the last exchange. I no longer see it in this conversation.',
      nothing: 'There is nothing to undo: this conversation has no exchange since it started.',
    });
    if (!removed) return;
    if (isCompressNote(removed)) {
      await reply(ctx, 'Undid /compress: the exchanges it folded into the summary are back in this conversation word for word.');
      return;
    }
    // Texts the removed turn answered with its own (sent in quick succession) go with it: their note says it answers them.
    const answeredWith = await removeTextsAnsweredWith(deps.sessionKeyOf(ctx));
    const text = [...answeredWith, userText(removed)].filter(Boolean).join(' ');
    await reply(ctx, `Removed the last exchange${text ? ` (“${shorten(text)}”)` : ''}. I no longer see it in this conversation.`);
  });

  /** Removes the texts now newest that were answered with the turn just removed; returns their words, oldest first. */
  const removeTextsAnsweredWith = async (sessionKey: string): Promise<string[]> => {
    const { turns } = await runtime.sessions.loadWindow(sessionKey, runtime.config.windowTurns);
    const texts = textsAnsweredWithNext(turns);
    for (let count = 0; count < texts.length; count++) await runtime.sessions.removeLastTurn(sessionKey);
    return texts;
  };

  bot.command(commandNames('retry'), async (ctx) => {
    // Where members share the conversation, the newest message may be another member's, and a retry would answer it
    // as the caller, with their memory and rights.
    if (deps.sharedConversation(ctx)) {
      await reply(ctx, 'Everyone here shares this conversation, so /retry would answer whoever wrote last; please send your message again instead.');
      return;
    }
    const sessionKey = deps.sessionKeyOf(ctx);
    const removed = await removeNewest(ctx, {
      // The first attempt took the message out; its answer was stored unless that attempt failed before it.
      repeated: 'I could not finish retrying that message. Please send it again.',
      nothing: 'There is nothing to retry: this conversation has no message since it started.',
    });
    if (!removed) return;
    if (isCompressNote(removed)) {
      // Put back: a /compress has no answer to give again, and taking it out would undo the compression.
      await runtime.sessions.appendTurn(sessionKey, removed);
      await reply(ctx, 'The last thing here is /compress, which has no answer to give again; send your message again instead.');
      return;
    }
    const text = userText(removed);
    if (text === undefined) {
      // Put it back untouched: only a text message can be asked again.
      await runtime.sessions.appendTurn(sessionKey, removed);
      await reply(ctx, 'I can only retry a text message; please send it again.');
      return;
    }
    await deps.answer(ctx, text);
  });

  bot.command(commandNames('compress'), async (ctx) => {
    if (!(await mayChangeShared(ctx, 'compress it.'))) return;
    const sessionKey = deps.sessionKeyOf(ctx);
    const deadline = deps.deadline?.();
    const chat = await models.forChat(sessionKey);
    let result: CompressResult;
    try {
      result = await compressConversation(
        { ...runtime, ...chat },
        { sessionKey, userId: String(senderOfUpdate(ctx) ?? ''), receivedAt: deps.sentAt(ctx), eventId: deps.eventIdOf(ctx), abortSignal: deadline ? abortAtAnswerDeadline(deadline) : undefined },
      );
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      await reply(ctx, `⚠️ ${error.message}\nThe conversation is as it was${error.lasting ? '; compressing again will not help until that is fixed.' : '; try again in a moment.'}`);
      return;
    }
    await reply(ctx, compressReply(result));
  });

  bot.command(commandNames('model'), async (ctx) => {
    const sessionKey = deps.sessionKeyOf(ctx);
    const wanted = ctx.match.trim();
    const available = models.available;
    if (available.length < 2) {
      await reply(ctx, `This deployment has one model: ${available[0]}. HERMES_MODELS lists more to choose from.`);
      return;
    }
    if (wanted === '') {
      const current = await models.chosen(sessionKey);
      const lines = available.map((id, index) => `${index + 1}. ${id}${id === current ? ' (in use)' : ''}`);
      await reply(ctx, [`This conversation uses ${current}. Available models:`, ...lines, '', 'Switch with /model <name or number>.'].join('\n'));
      return;
    }
    // A switch also changes what the owner pays for every member's messages.
    if (!(await mayChangeShared(ctx, 'switch its model.'))) return;
    const byNumber = /^\d+$/.test(wanted) ? available[Number(wanted) - 1] : undefined;
    const id = byNumber ?? available.find((candidate) => candidate.toLowerCase() === wanted.toLowerCase());
    if (!id) {
      await reply(ctx, `There is no model "${shorten(wanted)}" here. Choose one of: ${available.join(', ')}.`);
      return;
    }
    await models.choose(sessionKey, id);
    await reply(ctx, `This conversation now uses ${id}. What was said so far stays.`);
  });

  bot.command(commandNames('usage'), async (ctx) => {
    const userId = String(senderOfUpdate(ctx) ?? '');
    const now = new Date();
    const [days, model] = await Promise.all([runtime.usage.read(userId, monthStart(now), usageDay(now)), models.chosen(deps.sessionKeyOf(ctx))]);
    await reply(ctx, usageReport(days, { now, model, dailyBudget: runtime.config.limits.dailyTokenBudget, cacheTtl: runtime.config.promptCacheTtl }));
  });

  bot.command(commandNames('status'), async (ctx) => {
    const sessionKey = deps.sessionKeyOf(ctx);
    const userId = String(senderOfUpdate(ctx) ?? '');
    const threadId = deps.threadIdOf(ctx);
    const [model, window, jobs, notes, profile] = await Promise.all([
      models.chosen(sessionKey),
      runtime.sessions.loadWindow(sessionKey, runtime.config.windowTurns),
      runtime.scheduler.list(ctx.chat!.id, threadId).then((all) => all.filter((job) => job.delivery.threadId === threadId)),
      runtime.memory.list(userId, 'memory'),
      runtime.memory.list(userId, 'user'),
    ]);
    const history = `${window.turns.length} exchange${window.turns.length === 1 ? '' : 's'} word for word${window.summary ? ', and a summary of earlier ones' : ''}${window.truncated ? ', and older ones not yet summarized' : ''}`;
    const active = jobs.filter((job) => job.state !== 'paused').length;
    await reply(
      ctx,
      [
        `Model: ${model} (${runtime.config.provider})`,
        `Thinking: ${runtime.config.reasoning} (HERMES_REASONING)`,
        `History: ${history}`,
        `Scheduled jobs here: ${jobs.length}${jobs.length > active ? ` (${jobs.length - active} paused)` : ''}`,
        `Memory, my notes: ${usage(notes, 'memory', runtime.config.memoryLimits).text}`,
        `Memory, about you: ${usage(profile, 'user', runtime.config.memoryLimits).text}`,
      ].join('\n'),
    );
  });
}

/** The text of the user's message a turn began with, or undefined when it held more than text. */
function userText(turn: Turn): string | undefined {
  const first: ModelMessage | undefined = turn.messages[0];
  if (first?.role !== 'user') return undefined;
  if (typeof first.content === 'string') return first.content;
  if (first.content.every((part) => part.type === 'text')) return first.content.map((part) => (part as { text: string }).text).join('\n');
  return undefined;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${sliceWhole(flat, QUOTE_CHARS)}…` : flat;
}
