import type { MessageOrigin, Update } from 'grammy/types';
import { checkBotApiRequest } from './bot-api-rules.ts';
import { connectionReset, jsonReply, startLocalHttpServer, type LocalHttpServer, type LocalReply } from './local-http-server.ts';

/** A file the stand-in serves through getFile and its download path. */
interface HostedFile {
  fileUniqueId: string;
  content: Buffer;
  filePath: string;
  /** What getFile reports; defaults to the content length. Lets a test claim a size over the limit without the bytes. */
  size: number | undefined;
  /** The download sends this many bytes, then stalls. */
  stallAfterBytes?: number;
}

/**
 * Bot API getFile: "bots can download files of up to 20MB in size"; the link is
 * https://api.telegram.org/file/bot<token>/<file_path> (core.telegram.org/bots/api#getfile, read 2026-12-01).
 */
export const GETFILE_MAX_BYTES = 20 * 1024 * 1024;

export interface BotApiCall {
  method: string;
  token: string;
  params: Record<string, unknown>;
}

/** An error answer from the Bot API, or a dropped connection (`errorCode` absent). */
export type InjectedFault = { method: string } & ({ errorCode: number; description: string; retryAfter?: number; migrateToChatId?: number } | { errorCode?: undefined; resetConnection: true });

/**
 * A small local Telegram Bot API: enough of getUpdates, sendMessage, sendChatAction, setMessageReaction,
 * setMyCommands and the webhook methods for grammY to run against it, recording every call. It refuses what the
 * Bot API refuses (see bot-api-rules.ts), HTML it cannot parse included. Faults can be queued per method to test
 * 429 retries and dropped connections.
 */
export class FakeBotApi {
  readonly calls: BotApiCall[] = [];
  private readonly updates: Update[] = [];
  private readonly faults: InjectedFault[] = [];
  private readonly deletedTopics = new Set<string>();
  private readonly deletedMessages = new Set<string>();
  private readonly hooks = new Map<string, () => Promise<void>>();
  private waiting: Array<() => void> = [];
  private server: LocalHttpServer | undefined;
  private nextMessageId = 1000;
  private nextUpdateId = 1;
  private readonly files = new Map<string, HostedFile>();
  /** Download paths requested, in order. */
  readonly downloads: string[] = [];
  /**
   * The update types getUpdates or setWebhook last asked for; Telegram keeps them for the token until a request names
   * others, and with none (or an empty list) sends every type but chat_member, message_reaction and
   * message_reaction_count (Bot API, getUpdates `allowed_updates`, read 2026-12-02). Set it to stand for what another
   * program left.
   */
  allowedUpdates: string[] | undefined;

  /** Makes a file available under `fileId`, as if a user had sent it. */
  hostFile(fileId: string, content: Buffer, options: { filePath?: string; size?: number | null; fileUniqueId?: string; stallAfterBytes?: number } = {}): void {
    this.files.set(fileId, {
      content,
      ...(options.stallAfterBytes !== undefined ? { stallAfterBytes: options.stallAfterBytes } : {}),
      filePath: options.filePath ?? `documents/file_${this.files.size}`,
      // `null`: getFile reports no size, as File.file_size is optional in the Bot API.
      size: options.size === null ? undefined : (options.size ?? content.length),
      fileUniqueId: options.fileUniqueId ?? `u-${fileId}`,
    });
  }

  get apiRoot(): string {
    return this.server!.url;
  }

  /** Messages the bot sent, in order. */
  sent(chatId?: number): Array<{ chat_id: number; text: string; parse_mode?: string; message_thread_id?: number }> {
    return this.calls
      .filter((call) => call.method === 'sendMessage' && (chatId === undefined || call.params.chat_id === chatId))
      .map((call) => call.params as { chat_id: number; text: string; parse_mode?: string; message_thread_id?: number });
  }

  /** Runs `action` once, when the bot next calls `method`, before answering it: something the user does meanwhile. */
  whenCalled(method: string, action: () => Promise<void>): void {
    this.hooks.set(method, action);
  }

  injectFault(fault: InjectedFault): void {
    this.faults.push(fault);
  }

  /** A forum topic an admin deleted (or Telegram archived): sending into it is refused from now on. */
  deleteTopic(chatId: number, threadId: number): void {
    this.deletedTopics.add(`${chatId}:${threadId}`);
  }

  /** A message its sender (or an admin) deleted: a reply quoting it or a reaction on it is refused from now on. */
  deleteMessage(chatId: number, messageId: number): void {
    this.deletedMessages.add(`${chatId}:${messageId}`);
  }

  /** Queues an update for long polling and returns it. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const full = { update_id: this.nextUpdateId++, ...update } as Update;
    this.updates.push(full);
    for (const wake of this.waiting.splice(0)) wake();
    return full;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > timeoutMs) throw new Error('FakeBotApi: timed out waiting for the bot');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async start(): Promise<this> {
    this.server = await startLocalHttpServer(async (req) => {
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(req.url);
      if (download) return this.serveDownload(download[1]!, decodeURIComponent(download[2]!));
      const match = /^\/bot([^/]+)\/(\w+)/.exec(req.url);
      if (!match) return jsonReply(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token, method] = match as unknown as [string, string, string];
      const params = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
      this.calls.push({ method, token, params });
      const hook = this.hooks.get(method);
      if (hook) {
        this.hooks.delete(method);
        await hook();
      }
      const faultIndex = this.faults.findIndex((fault) => fault.method === method);
      if (faultIndex >= 0) {
        const fault = this.faults.splice(faultIndex, 1)[0]!;
        if (fault.errorCode === undefined) return connectionReset();
        // A refusal Telegram cannot give to this request would let a test pass on a failure that never happens.
        if (/message thread not found/i.test(fault.description) && params.message_thread_id === undefined) {
          throw new Error(`FakeBotApi: Telegram answers "${fault.description}" only to a request that names a thread (deleteTopic).`);
        }
        const parameters = {
          ...(fault.retryAfter !== undefined ? { retry_after: fault.retryAfter } : {}),
          ...(fault.migrateToChatId !== undefined ? { migrate_to_chat_id: fault.migrateToChatId } : {}),
        };
        return jsonReply(fault.errorCode, {
          ok: false,
          error_code: fault.errorCode,
          description: fault.description,
          ...(Object.keys(parameters).length > 0 ? { parameters } : {}),
        });
      }
      const refusal = checkBotApiRequest(method, params) ?? refuse(method, params) ?? this.validate(method, params);
      if (refusal) return jsonReply(400, { ok: false, error_code: 400, description: refusal });
      return jsonReply(200, { ok: true, result: await this.answer(method, params, token) });
    });
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.waiting.splice(0)) wake();
    await this.server?.close();
  }

  /** The Bot API's documented refusals for the methods whose rules the tests depend on. */
  private validate(method: string, params: Record<string, unknown>): string | undefined {
    // "Unique identifier for the target message thread (topic) of a forum" (sendMessage, Bot API, read 2026-12-02); a
    // deleted topic answers this (tdlib/telegram-bot-api issue 854).
    if (params.message_thread_id !== undefined && this.deletedTopics.has(`${String(params.chat_id)}:${String(params.message_thread_id)}`)) {
      return 'Bad Request: message thread not found';
    }
    const refusal = this.refuseMissingMessage(method, params);
    if (refusal) return refusal;
    if (method === 'answerCallbackQuery' && typeof params.callback_query_id !== 'string') return 'Bad Request: query is too old and response timeout expired or query ID is invalid';
    if (method === 'getFile') {
      const file = typeof params.file_id === 'string' ? this.files.get(params.file_id) : undefined;
      if (!file) return 'Bad Request: invalid file_id';
      if ((file.size ?? file.content.length) > GETFILE_MAX_BYTES) return 'Bad Request: file is too big';
    }
    return undefined;
  }

  /**
   * A reply to a deleted message is refused unless it may go without the reply (ReplyParameters.
   * allow_sending_without_reply); a reaction on one is refused always (Bot API, read 2026-12-02; the texts are the
   * server's).
   */
  private refuseMissingMessage(method: string, params: Record<string, unknown>): string | undefined {
    const gone = (messageId: unknown) => typeof messageId !== 'number' || messageId <= 0 || this.deletedMessages.has(`${String(params.chat_id)}:${messageId}`);
    const reply = params.reply_parameters as { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    if (method.startsWith('send') && reply !== undefined && reply.allow_sending_without_reply !== true && gone(reply.message_id)) {
      return 'Bad Request: message to be replied not found';
    }
    if (method === 'setMessageReaction' && gone(params.message_id)) return 'Bad Request: message to react not found';
    return undefined;
  }

  private serveDownload(token: string, filePath: string): LocalReply {
    this.downloads.push(filePath);
    const entry = [...this.files.entries()].find(([, candidate]) => candidate.filePath === filePath);
    // A file path is only handed out by getFile, to the bot whose token asked.
    const fetched = entry && this.calls.some((call) => call.method === 'getFile' && call.token === token && call.params.file_id === entry[0]);
    const file = entry?.[1];
    if (!fetched || !file) return jsonReply(404, { ok: false, error_code: 404, description: 'Not Found' });
    return {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) },
      body: file.content,
      ...(file.stallAfterBytes !== undefined ? { stallAfterBytes: file.stallAfterBytes } : {}),
    };
  }

  private isAllowed(update: Update): boolean {
    const kind = Object.keys(update).find((key) => key !== 'update_id') ?? '';
    return this.allowedUpdates?.length ? this.allowedUpdates.includes(kind) : !['chat_member', 'message_reaction', 'message_reaction_count'].includes(kind);
  }

  private async answer(method: string, params: Record<string, unknown>, token: string): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return { id: Number(token.split(':')[0]), is_bot: true, first_name: 'Hermes', username: 'hermes_test_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'getUpdates': {
        const offset = Number(params.offset ?? 0);
        if (Array.isArray(params.allowed_updates)) this.allowedUpdates = params.allowed_updates.map(String);
        // "An update is considered confirmed as soon as getUpdates is called with an offset higher than its
        // update_id" (Bot API, getUpdates): Telegram forgets it, and no later poller gets it again.
        if (offset > 0) this.updates.splice(0, this.updates.length, ...this.updates.filter((update) => update.update_id >= offset));
        const pending = () => this.updates.filter((update) => update.update_id >= offset && this.isAllowed(update));
        if (pending().length === 0 && Number(params.timeout ?? 0) > 0) {
          await new Promise<void>((resolve) => {
            this.waiting.push(resolve);
            setTimeout(resolve, Math.min(Number(params.timeout) * 1000, 1_000));
          });
        }
        return pending();
      }
      case 'sendMessage':
        return { message_id: this.nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: params.chat_id, type: 'private' }, text: params.text };
      case 'setWebhook':
        if (Array.isArray(params.allowed_updates)) this.allowedUpdates = params.allowed_updates.map(String);
        return true;
      case 'sendChatAction':
      case 'deleteWebhook':
      case 'setMyCommands':
        return true;
      case 'getFile': {
        const file = this.files.get(String(params.file_id))!;
        return { file_id: params.file_id, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath };
      }
      case 'getWebhookInfo':
        return { url: '', has_custom_certificate: false, pending_update_count: 0 };
      default:
        return true;
    }
  }
}

/**
 * The documented rules of the methods whose misuse would otherwise pass unnoticed here. sendMessageDraft
 * (Bot API 9.5): private chats only (their ids are positive), a non-zero draft_id, 0-4096 characters.
 */
function refuse(method: string, params: Record<string, unknown>): string | undefined {
  if (method !== 'sendMessageDraft') return undefined;
  if (typeof params.chat_id !== 'number' || params.chat_id <= 0) return 'Bad Request: drafts can be sent only to private chats';
  if (!Number.isInteger(params.draft_id) || params.draft_id === 0) return 'Bad Request: draft_id must be non-zero';
  if (typeof params.text === 'string' && params.text.length > 4096) return 'Bad Request: text is too long';
  return undefined;
}

export interface TextUpdateOptions {
  userId?: number;
  chatId?: number;
  updateId?: number;
  threadId?: number;
  chatType?: 'private' | 'group' | 'supergroup';
  firstName?: string;
  username?: string;
  /**
   * The message this one replies to, e.g. one of the bot's (`fromId` = the bot's id, the token's number); `quote`, a
   * part of its text the user selected, which Telegram sends as the message's `quote`.
   */
  replyTo?: { fromId: number; text: string; isBot?: boolean; firstName?: string; quote?: string };
  /** A reply to a message of another chat or topic (`external_reply`), with the part of it the user quoted, if any. */
  externalReply?: { origin: MessageOrigin; quote?: string; photo?: true };
}

/** The entities Telegram marks in a text: a leading /command and every @username (offsets in UTF-16 code units). */
export function textEntities(text: string): Array<{ type: 'bot_command' | 'mention'; offset: number; length: number }> {
  return [
    ...(text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(/\s/)[0]!.length }] : []),
    ...Array.from(text.matchAll(/(?<![\w/@])@\w{5,32}/g), (match) => ({ type: 'mention' as const, offset: match.index, length: match[0].length })),
  ];
}

/**
 * A text message as Telegram delivers it, entities included: a leading /command is a bot_command entity and every
 * @username a mention entity (offsets in UTF-16 code units, as the Bot API counts them).
 */
export function textUpdate(text: string, options: TextUpdateOptions = {}): Update {
  const userId = options.userId ?? 77;
  const chatId = options.chatId ?? userId;
  const isTopic = options.threadId !== undefined;
  const chatType = options.chatType ?? (chatId < 0 ? 'supergroup' : 'private');
  const entities = textEntities(text);
  const chat =
    chatType === 'private'
      ? { id: chatId, type: 'private', first_name: options.firstName ?? 'Ada' }
      : chatType === 'group'
        ? { id: chatId, type: 'group', title: 'Group' }
        : { id: chatId, type: 'supergroup', title: 'Group', is_forum: isTopic || undefined };
  const date = Math.floor(Date.now() / 1000);
  return {
    update_id: options.updateId ?? 1,
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      date,
      chat,
      from: { id: userId, is_bot: false, first_name: options.firstName ?? 'Ada', ...(options.username ? { username: options.username } : {}) },
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...(isTopic ? { message_thread_id: options.threadId, is_topic_message: true } : {}),
      ...(options.replyTo
        ? {
            reply_to_message: {
              message_id: Math.floor(Math.random() * 1e6),
              date: date - 60,
              chat,
              from: { id: options.replyTo.fromId, is_bot: options.replyTo.isBot ?? false, first_name: options.replyTo.firstName ?? 'Hermes' },
              text: options.replyTo.text,
            },
          }
        : {}),
      ...(options.externalReply
        ? {
            external_reply: {
              origin: options.externalReply.origin,
              ...(options.externalReply.photo ? { photo: [{ file_id: 'AgACAgIAAxkBAAIBexternal', file_unique_id: 'AQADexternal', file_size: 1043, width: 90, height: 90 }] } : {}),
            },
          }
        : {}),
      ...quoteOf(options),
    },
  } as Update;
}

/** TextQuote: the text the user selected, where it starts in the original (UTF-16 code units), chosen by hand. */
function quoteOf(options: TextUpdateOptions): { quote?: { text: string; position: number; is_manual: true } } {
  if (options.replyTo?.quote !== undefined) return { quote: { text: options.replyTo.quote, position: Math.max(0, options.replyTo.text.indexOf(options.replyTo.quote)), is_manual: true } };
  if (options.externalReply?.quote !== undefined) return { quote: { text: options.externalReply.quote, position: 0, is_manual: true } };
  return {};
}
