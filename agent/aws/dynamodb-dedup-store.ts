import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DedupStore } from '../ports/dedup-store.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { dedupKey } from './table-keys.ts';

/** One conditional PutItem per claim, so concurrent Lambda invocations for the same event race safely. */
export class DynamoDbDedupStore implements DedupStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async claim(id: string, ttlSeconds: number, holder?: string): Promise<boolean> {
    const nowSeconds = Math.floor(this.now() / 1000);
    // TTL deletes lazily (up to days late), so an expired record must not block a new claim.
    const free = 'attribute_not_exists(pk) OR expiresAt < :now';
    return conditionalWrite(`DynamoDB PutItem (claim of event ${id})`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...dedupKey(id), expiresAt: nowSeconds + ttlSeconds, ...(holder === undefined ? {} : { holder }) },
          ConditionExpression: holder === undefined ? free : `${free} OR holder = :holder`,
          ExpressionAttributeValues: { ':now': nowSeconds, ...(holder === undefined ? {} : { ':holder': holder }) },
        }),
      ),
    );
  }

  async release(id: string, holder?: string): Promise<void> {
    if (holder === undefined) {
      await callAws(`DynamoDB DeleteItem (release of event ${id})`, () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: dedupKey(id) })));
      return;
    }
    // False when another holder has it now: nothing of ours is left to give back.
    await conditionalWrite(`DynamoDB DeleteItem (release of event ${id})`, () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: dedupKey(id), ConditionExpression: 'holder = :holder', ExpressionAttributeValues: { ':holder': holder } })),
    );
  }
}
