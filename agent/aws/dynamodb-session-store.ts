import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DuplicateTurnError, StoreError } from '../../tools/errors.ts';
import type { ChatSettings, SessionStore, SessionWindow, Turn } from '../ports/session-store.ts';
import { resetId } from '../session-keys.ts';
import { windowFromNewestRows } from '../session-window.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { itemSizeBytes, resetItem, rowFromItem, turnItem, type SessionItem } from './dynamodb-session-items.ts';
import { MESSAGE_SK_PREFIX, META_SK, sessionPk } from './table-keys.ts';

/** DynamoDB refuses items over 400 KB; the margin keeps our size estimate on the safe side of that limit. */
const MAX_ITEM_BYTES = 390 * 1024;
const SECONDS_PER_DAY = 86_400;

export interface DynamoDbSessionStoreOptions {
  tableName: string;
  ttlDays: number;
  now?: () => number;
}

/**
 * One row per turn and per reset under `SESSION#<key>`, so appending never rewrites earlier turns and every
 * turn, compacting ones included, costs one Query and one PutItem. The META row is bookkeeping touched only
 * by resets.
 */
export class DynamoDbSessionStore implements SessionStore {
  private readonly tableName: string;
  private readonly ttlDays: number;
  private readonly now: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    { tableName, ttlDays, now = Date.now }: DynamoDbSessionStoreOptions,
  ) {
    this.tableName = tableName;
    this.ttlDays = ttlDays;
    this.now = now;
  }

  async appendTurn(sessionKey: string, turn: Turn): Promise<void> {
    const item = turnItem(sessionKey, turn, this.expiresAt());
    assertFits(item, `Turn ${turn.id} of session ${sessionKey}`);
    // Turn ids are unique per event, so the condition turns a redelivered event into a DuplicateTurnError.
    const stored = await conditionalWrite(`DynamoDB PutItem (turn ${turn.id} of session ${sessionKey})`, () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(sk)' })),
    );
    if (!stored) throw new DuplicateTurnError(`Turn ${turn.id} of session ${sessionKey} is already stored.`);
  }

  async loadWindow(sessionKey: string, maxTurns: number): Promise<SessionWindow> {
    const wanted = maxTurns + 1;
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    // A second page is read only when DynamoDB's 1 MB page limit cut the first one short.
    do {
      const page = await this.newestRows(sessionKey, { what: 'window', limit: wanted - items.length, ...(startKey ? { startKey } : {}) });
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey && items.length < wanted);
    return windowFromNewestRows(items.map(rowFromItem), maxTurns);
  }

  /**
   * One page of a session's message rows (turns and resets), newest first. Every read of a session is strongly
   * consistent: the queue starts a chat's next turn as soon as the last one is written, and an eventually consistent
   * read "may not reflect the results of a recently completed write" (DynamoDB Developer Guide, "Read consistency",
   * checked 2026-12-02), so the turn would answer without the exchange just before it, and /undo remove the wrong one.
   */
  private newestRows(sessionKey: string, page: { what: string; limit: number; startKey?: Record<string, unknown> }) {
    return callAws(`DynamoDB Query (${page.what} of session ${sessionKey})`, () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
          ExpressionAttributeValues: { ':pk': sessionPk(sessionKey), ':msg': MESSAGE_SK_PREFIX },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: page.limit,
          ...(page.startKey ? { ExclusiveStartKey: page.startKey } : {}),
        }),
      ),
    );
  }

  async hasTurn(sessionKey: string, id: string): Promise<boolean> {
    const { Item } = await callAws(`DynamoDB GetItem (turn ${id} of session ${sessionKey})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: sessionPk(sessionKey), sk: MESSAGE_SK_PREFIX + id }, ProjectionExpression: 'sk', ConsistentRead: true })),
    );
    return Item !== undefined;
  }

  async reset(sessionKey: string, at: number, eventId?: string): Promise<void> {
    const expiresAt = this.expiresAt();
    const reset = { kind: 'reset' as const, id: resetId(at, eventId), at };
    await callAws(`DynamoDB PutItem (reset of session ${sessionKey})`, () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: resetItem(sessionKey, reset, expiresAt) })),
    );
    await callAws(`DynamoDB UpdateItem (META of session ${sessionKey})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: sessionPk(sessionKey), sk: META_SK },
          UpdateExpression:
            'SET updatedAt = :now, expiresAt = :expiresAt, lastReset = :id, createdAt = if_not_exists(createdAt, :now) ADD resets :one',
          ExpressionAttributeValues: { ':now': this.now(), ':expiresAt': expiresAt, ':id': reset.id, ':one': 1 },
        }),
      ),
    );
  }

  async removeLastTurn(sessionKey: string): Promise<Turn | undefined> {
    const { Items } = await this.newestRows(sessionKey, { what: 'newest row', limit: 1 });
    const newest = Items?.[0] ? rowFromItem(Items[0]) : undefined;
    if (!newest || newest.kind !== 'turn') return undefined;
    // The condition makes two concurrent removals of the same turn report it once.
    const removed = await conditionalWrite(`DynamoDB DeleteItem (turn ${newest.id} of session ${sessionKey})`, () =>
      this.doc.send(
        new DeleteCommand({ TableName: this.tableName, Key: { pk: sessionPk(sessionKey), sk: MESSAGE_SK_PREFIX + newest.id }, ConditionExpression: 'attribute_exists(sk)' }),
      ),
    );
    if (!removed) return undefined;
    const { kind: _kind, ...turn } = newest;
    return turn;
  }

  /** Settings live on the session's META row, outside the MSG# range the window reads. */
  async loadSettings(sessionKey: string): Promise<ChatSettings> {
    const { Item } = await callAws(`DynamoDB GetItem (settings of session ${sessionKey})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: sessionPk(sessionKey), sk: META_SK }, ProjectionExpression: 'settings', ConsistentRead: true })),
    );
    return typeof Item?.settings === 'string' ? (JSON.parse(Item.settings) as ChatSettings) : {};
  }

  async saveSettings(sessionKey: string, settings: ChatSettings): Promise<void> {
    await callAws(`DynamoDB UpdateItem (settings of session ${sessionKey})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: sessionPk(sessionKey), sk: META_SK },
          UpdateExpression: 'SET settings = :settings, updatedAt = :now, expiresAt = :expiresAt, createdAt = if_not_exists(createdAt, :now)',
          ExpressionAttributeValues: { ':settings': JSON.stringify(settings), ':now': this.now(), ':expiresAt': this.expiresAt() },
        }),
      ),
    );
  }

  /** Epoch seconds, the unit DynamoDB TTL reads. */
  private expiresAt(): number {
    return Math.floor(this.now() / 1000) + this.ttlDays * SECONDS_PER_DAY;
  }
}

function assertFits(item: SessionItem, what: string): void {
  const bytes = itemSizeBytes(item);
  if (bytes > MAX_ITEM_BYTES) {
    throw new StoreError(
      `${what} is ${Math.ceil(bytes / 1024)} KB, over the ${MAX_ITEM_BYTES / 1024} KB DynamoDB item budget; it was not stored.`,
    );
  }
}
