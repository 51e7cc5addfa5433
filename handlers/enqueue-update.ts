import type { Message } from 'grammy/types';
import { loadConfig } from '../agent/config.ts';
import { configuredLogger } from '../agent/configured-logger.ts';
import type { Logger } from '../agent/logger.ts';
import type { SessionScope } from '../agent/session-key.ts';
import { ConfigError } from '../tools/errors.ts';
import type { AlbumRoster } from '../agent/ports/album-roster.ts';
import type { DedupStore } from '../agent/ports/dedup-store.ts';
import type { StopRequests } from '../agent/ports/stop-requests.ts';
import type { TurnQueue } from '../agent/ports/turn-queue.ts';
import type { TextArrivals } from '../agent/ports/text-arrivals.ts';
import { isBatchedText } from './text-batch.ts';
import { albumMemberOf } from './album-member.ts';
import { isFromAnotherBot } from './other-bots.ts';
import { botIdentity, type BotIdentity } from './bot-identity.ts';
import { editClaimOf } from './edit-claim.ts';
import { editIgnoredBecause } from './edit-rules.ts';
import { CHANNEL_DIRECT_MESSAGES_UNSUPPORTED, isChannelDirectMessages, updatePassesMentionRule } from './group-policy.ts';
import { loadSecretsIntoEnv, onSecretsChanged } from './lambda-secrets.ts';
import { oncePerContainer } from './once-per-container.ts';
import { draftStopKey, routeUpdate } from './update-route.ts';

/** What the webhook did with an update it accepted; every outcome is answered 200 except `inline`. */
export type AckOutcome = 'inline' | 'queued' | 'duplicate' | 'ignored' | 'not-addressed' | 'stop-recorded';

/** The parts the ack path needs, none of them the agent: the update is only routed, claimed and enqueued. */
export interface AckParts {
  queue: TurnQueue;
  dedup: DedupStore;
  stops: StopRequests;
  /** Album messages are recorded as they arrive, so the first one the worker runs answers the whole album. */
  albums: AlbumRoster;
  allowedUsers: ReadonlySet<string>;
  /** Groups the owner allowed (TELEGRAM_ALLOWED_CHATS): everyone in them may talk to the bot, as the bot itself rules. */
  allowedChats: ReadonlySet<string>;
  /** Whether group members each have a conversation, and so a queue and stop requests, of their own. */
  sessionScope: SessionScope;
  /** Tells `/stop@this_bot` from a stop meant for another bot in a group. */
  botUsername?: string;
  /**
   * With TELEGRAM_REQUIRE_MENTION (the default) and the bot's identity known: a group message that does not address
   * the bot is dropped here, as the bot's group gate would drop it, so it costs no claim, no SQS message and no
   * worker run. That matters with privacy mode off, where Telegram delivers every message of the group.
   */
  mentionRequiredOf?: BotIdentity;
  /** Where queued updates are recorded (texts by sender), for the worker's batching; absent when it is off. */
  texts?: TextArrivals;
  /** HERMES_EDIT_WINDOW_SECONDS: an edit made longer ago than this is judged stale here, on arrival (classifyEdit). */
  editWindowSeconds: number;
  log: Logger;
  now?: () => number;
}

/**
 * A lease over one ack: it keeps concurrent deliveries of an update from both being queued. It is short on purpose:
 * should the function die between claim and enqueue, Telegram's redelivery (which comes after its 60-second wait)
 * must find it lapsed. Later duplicates are dropped by SQS's five-minute deduplication, and after that by the
 * worker, which recognizes a stored turn and sends its reply at most once.
 */
const ACK_CLAIM_SECONDS = 60;

const parts = oncePerContainer(buildParts);
onSecretsChanged(() => parts.forget());

/**
 * The webhook's work in queue mode: allowlist, stop requests, the dedup claim, the enqueue. It answers in a few
 * milliseconds however long the turn will take. Without HERMES_TURN_QUEUE_URL the webhook runs the turn itself.
 */
export async function acknowledgeUpdate(update: Record<string, unknown>, body: string): Promise<AckOutcome> {
  const ready = await parts.get();
  return ready ? ackWith(ready, update, body) : 'inline';
}

/** Tests switch environments within one process. */
export function resetAckPath(): void {
  parts.forget();
}

export async function ackWith(ack: AckParts, update: Record<string, unknown>, body: string): Promise<AckOutcome> {
  if (isFromAnotherBot(update)) return 'ignored';
  const route = routeUpdate(update, { botUsername: ack.botUsername, scope: ack.sessionScope });
  const inGroup = route.chatType === 'group' || route.chatType === 'supergroup';
  if (inGroup && !ack.allowedChats.has(String(route.chatId))) {
    // Dropped as the bot's group gate drops it. Logged when the owner may be the one writing: that is how they learn a
    // new group's id (README, "Using the bot in groups"), while strangers' chatter in other groups stays out of the
    // logs. The owner is an allowed user, or an anonymous admin (who writes as the group itself), or anyone where only
    // groups are allowed (TELEGRAM_ALLOWED_USERS empty).
    const mayBeOwner = route.userId !== undefined && (ack.allowedUsers.has(String(route.userId)) || route.userId === route.chatId || ack.allowedUsers.size === 0);
    if (mayBeOwner) {
      ack.log.warn('message in a group not in TELEGRAM_ALLOWED_CHATS ignored', { chatId: route.chatId, userId: route.userId });
    }
    return 'ignored';
  }
  const chat = ((update.message ?? update.edited_message) as Message | undefined)?.chat;
  if (inGroup && chat && isChannelDirectMessages(chat)) {
    ack.log.warn(CHANNEL_DIRECT_MESSAGES_UNSUPPORTED, { chatId: route.chatId });
    return 'ignored';
  }
  if (inGroup && ack.mentionRequiredOf && !updatePassesMentionRule(update, ack.mentionRequiredOf)) return 'not-addressed';
  // An edit the worker would not answer (a reaction, the bot's own 👀 receipt included; each position of a live
  // location; an edit of an old message) is neither claimed nor queued. How long ago the edit was made is judged on
  // arrival: the worker may take it up minutes later (a queue behind a long turn, a retry), and must not take a fresh
  // edit for a stale one.
  const edited = update.edited_message as Message | undefined;
  if (edited && editIgnoredBecause(edited, { editWindowSeconds: ack.editWindowSeconds, nowSeconds: Math.floor((ack.now ?? Date.now)() / 1000) })) return 'ignored';
  const allowed = inGroup || (route.userId !== undefined && ack.allowedUsers.has(String(route.userId)));
  // A stranger's private message is queued so the worker tells them how to get access; nothing else of theirs is.
  if (!allowed && !(route.chatType === 'private' && 'message' in update)) return 'ignored';
  if (allowed && route.stop) {
    // Recorded here, not queued: the queue holds this chat's next update until the running turn ends. Telegram's own
    // date bounds it, so the same /stop delivered again later does not reach the messages sent after it; the date
    // counts whole seconds, so the stop covers the rest of its second.
    const now = (ack.now ?? Date.now)();
    const sent = (update.message as Message | undefined)?.date;
    const stopKey = route.draftId === undefined ? route.sessionKey : draftStopKey(route.sessionKey, route.draftId);
    await ack.stops.request(stopKey, sent === undefined ? now : Math.min(now, sent * 1000 + 999));
    if ('stopped_message_generation' in update) return 'stop-recorded';
  }
  const id = `tg:update:${String(update.update_id)}`;
  if (!(await ack.dedup.claim(id, ACK_CLAIM_SECONDS))) return 'duplicate';
  // The same edit again under a new update id, as Telegram sends it when someone reacts (edit-claim.ts). Held by this
  // update, so that Telegram's redelivery of it after a crash before the enqueue is not turned away as a repeat.
  const edit = editClaimOf(update as { edited_message?: Message }, ack.editWindowSeconds);
  const member = allowed ? albumMemberOf(update) : undefined;
  const held = [id];
  try {
    if (edit) {
      if (!(await ack.dedup.claim(edit.id, edit.ttlSeconds, id))) return 'duplicate';
      held.push(edit.id);
    }
    // What texts are not batched across (a command, a photo, an edit) is recorded before it is queued, and the ack
    // fails without it, as without its claim: a text before it must not be answered with one after it (a /new between
    // them would reset the conversation in between). Recorded but not queued, it only makes batching more careful.
    const textOf = allowed && isBatchedText(update) ? route.userId : undefined;
    if (ack.texts && allowed && textOf === undefined) await ack.texts.record(route.sessionKey, { updateId: Number(update.update_id) });
    await ack.queue.enqueue({ groupId: route.sessionKey, deduplicationId: id, body });
    // A text only once queued, as the album member below. Batching is a courtesy: a text record that fails leaves the
    // texts to be answered on their own, and must not fail an update already queued.
    const recorded =
      textOf === undefined
        ? undefined
        : ack.texts?.record(route.sessionKey, { updateId: Number(update.update_id), textOf }).catch((error: unknown) => ack.log.warn('could not record a queued text for batching', { error }));
    // Only once queued: a member recorded but never queued would lead the album and never run.
    if (member) await ack.albums.add(member.album, { messageId: member.messageId, recordedAt: (ack.now ?? Date.now)(), message: member.message });
    await recorded;
  } catch (error) {
    // Telegram redelivers after a failed answer; the claims must not turn that redelivery away. An edit claim that
    // failed to be written may be another update's, and stays.
    await Promise.all(held.map((claimed) => ack.dedup.release(claimed).catch(() => undefined)));
    throw error;
  }
  return 'queued';
}

async function buildParts(): Promise<AckParts | undefined> {
  await loadSecretsIntoEnv();
  const config = loadConfig();
  const url = config.turnQueue.url;
  if (!url) return undefined;
  if (config.sessions.backend !== 'dynamodb') {
    throw new ConfigError('HERMES_SESSION_BACKEND', 'must be dynamodb with HERMES_TURN_QUEUE_URL: the webhook and the worker share claims and stop requests.');
  }
  // DynamoDB and SQS clients of its own: the shared aws-clients module would load the S3 client as well.
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { DynamoDbDedupStore }, { DynamoDbStopRequests }, { DynamoDbAlbumRoster }, { DynamoDbTextArrivals }, { SQSClient }, { SqsTurnQueue }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('../agent/aws/dynamodb-dedup-store.ts'),
    import('../agent/aws/dynamodb-stop-requests.ts'),
    import('../agent/aws/dynamodb-album-roster.ts'),
    import('../agent/aws/dynamodb-text-arrivals.ts'),
    import('@aws-sdk/client-sqs'),
    import('../agent/aws/sqs-turn-queue.ts'),
  ]);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const identity = botIdentity(config.telegram.token, config.telegram.botUsername);
  return {
    queue: new SqsTurnQueue(new SQSClient({}), url),
    dedup: new DynamoDbDedupStore(doc, config.sessions.table),
    stops: new DynamoDbStopRequests(doc, config.sessions.table),
    albums: new DynamoDbAlbumRoster(doc, config.sessions.table),
    ...(config.telegram.textBatch.delayMs > 0 ? { texts: new DynamoDbTextArrivals(doc, config.sessions.table) } : {}),
    allowedUsers: new Set(config.telegram.allowedUsers ?? []),
    allowedChats: new Set(config.telegram.allowedChats ?? []),
    sessionScope: config.telegram.sessionScope,
    ...(config.telegram.botUsername ? { botUsername: config.telegram.botUsername } : {}),
    ...(config.telegram.requireMention && identity ? { mentionRequiredOf: identity } : {}),
    editWindowSeconds: config.telegram.editWindowSeconds,
    log: configuredLogger(config, { defaultLevel: 'info' }),
  };
}
