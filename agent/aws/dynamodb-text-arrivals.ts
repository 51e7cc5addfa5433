import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TextArrivals } from '../ports/text-arrivals.ts';
import { ARRIVAL_TTL_MS, seenOf, type Recorded } from '../text-arrivals-seen.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { textArrivalKey } from './table-keys.ts';

/** Each sender's newest text is an attribute of its own (`t<sender id>`), anything else `other`: `{ id, at }`. */
const TEXT_PREFIX = 't';
const OTHER = 'other';

/**
 * One item per conversation. Each write sets one attribute, never moving it back to an older id (a webhook that ran
 * late) unless what it holds is stale, so concurrent webhooks need no read first. The worker reads it strongly
 * consistent; DynamoDB's TTL deletes the item in its own time, so staleness is judged by `at`, not by its presence.
 */
export class DynamoDbTextArrivals implements TextArrivals {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(conversation: string, { updateId, textOf }: { updateId: number; textOf?: number }): Promise<void> {
    const at = this.now();
    await conditionalWrite(`DynamoDB UpdateItem (updates queued in ${conversation})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: textArrivalKey(conversation),
          UpdateExpression: 'SET #entry = :entry, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#entry) OR #entry.#id < :id OR #entry.#at < :stale',
          ExpressionAttributeNames: { '#entry': textOf === undefined ? OTHER : `${TEXT_PREFIX}${textOf}`, '#id': 'id', '#at': 'at' },
          ExpressionAttributeValues: { ':entry': { id: updateId, at }, ':id': updateId, ':stale': at - ARRIVAL_TTL_MS, ':expires': Math.floor((at + ARRIVAL_TTL_MS) / 1000) },
        }),
      ),
    );
  }

  async seen(conversation: string, senderId: number, since: number): Promise<{ newestText?: number; newestOther?: number }> {
    const { Item } = await callAws(`DynamoDB GetItem (updates queued in ${conversation})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: textArrivalKey(conversation), ConsistentRead: true })),
    );
    const entries = Object.entries(Item ?? {}).flatMap(([name, value]): Array<[string, Recorded]> => {
      const recorded = value as Partial<Recorded> | undefined;
      if (typeof recorded?.id !== 'number' || typeof recorded.at !== 'number') return [];
      if (name === OTHER) return [[OTHER, { id: recorded.id, at: recorded.at }]];
      return /^t-?\d+$/.test(name) ? [[name.slice(TEXT_PREFIX.length), { id: recorded.id, at: recorded.at }]] : [];
    });
    return seenOf(entries, { senderId: String(senderId), since });
  }
}
