import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TextArrivals } from '../ports/text-arrivals.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { textArrivalKey } from './table-keys.ts';

/** An update waits in the queue at most as long as the turns before it run; the record is needed no longer. */
const ARRIVAL_TTL_SECONDS = 3_600;
/** Each sender's newest text is an attribute of its own (`t<sender id>`); anything else is `other`. */
const TEXT_PREFIX = 't';
const OTHER = 'other';

/**
 * One item per conversation. Each write sets one attribute, and never moves it back (a webhook that ran late), so
 * concurrent webhooks need no read first. The worker reads it strongly consistent.
 */
export class DynamoDbTextArrivals implements TextArrivals {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(conversation: string, { updateId, textOf }: { updateId: number; textOf?: number }): Promise<void> {
    await conditionalWrite(`DynamoDB UpdateItem (updates queued in ${conversation})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: textArrivalKey(conversation),
          UpdateExpression: 'SET #newest = :id, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#newest) OR #newest < :id',
          ExpressionAttributeNames: { '#newest': textOf === undefined ? OTHER : `${TEXT_PREFIX}${textOf}` },
          ExpressionAttributeValues: { ':id': updateId, ':expires': Math.floor(this.now() / 1000) + ARRIVAL_TTL_SECONDS },
        }),
      ),
    );
  }

  async seen(conversation: string, senderId: number): Promise<{ newestText?: number; newestOther?: number }> {
    const { Item } = await callAws(`DynamoDB GetItem (updates queued in ${conversation})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: textArrivalKey(conversation), ConsistentRead: true })),
    );
    if (!Item) return {};
    const own = `${TEXT_PREFIX}${senderId}`;
    const others = Object.entries(Item).filter(([name, value]) => typeof value === 'number' && name !== own && (name === OTHER || /^t-?\d+$/.test(name)));
    const newestOther = Math.max(-1, ...others.map(([, value]) => value as number));
    const newestText = Item[own];
    return { ...(typeof newestText === 'number' ? { newestText } : {}), ...(newestOther >= 0 ? { newestOther } : {}) };
  }
}
