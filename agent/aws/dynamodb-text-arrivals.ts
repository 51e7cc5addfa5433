import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TextArrivals } from '../ports/text-arrivals.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { textArrivalKey } from './table-keys.ts';

/** A text waits in the queue at most as long as the turns before it run; the record is needed no longer. */
const ARRIVAL_TTL_SECONDS = 3_600;

/** One item per conversation and sender: the newest update id, never moved back by a webhook that ran late. */
export class DynamoDbTextArrivals implements TextArrivals {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  async record(key: string, updateId: number): Promise<void> {
    await conditionalWrite(`DynamoDB UpdateItem (texts of ${key})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: textArrivalKey(key),
          UpdateExpression: 'SET newestUpdateId = :id, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(newestUpdateId) OR newestUpdateId < :id',
          ExpressionAttributeValues: { ':id': updateId, ':expires': Math.floor(this.now() / 1000) + ARRIVAL_TTL_SECONDS },
        }),
      ),
    );
  }

  async newest(key: string): Promise<number | undefined> {
    const { Item } = await callAws(`DynamoDB GetItem (texts of ${key})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: textArrivalKey(key), ConsistentRead: true })),
    );
    return typeof Item?.newestUpdateId === 'number' ? Item.newestUpdateId : undefined;
  }
}
