import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StopRequests } from '../ports/stop-requests.ts';
import { callAws } from './aws-failure.ts';
import { stopKey } from './table-keys.ts';

/** A stop matters only to the turn running when it was pressed; Lambda runs no turn longer than 15 minutes. */
const STOP_TTL_SECONDS = 3_600;

/** One item per session in the single table, overwritten by each stop; the worker reads it strongly consistent. */
export class DynamoDbStopRequests implements StopRequests {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async request(sessionKey: string, at: number): Promise<void> {
    await callAws(`DynamoDB PutItem (stop of ${sessionKey})`, () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...stopKey(sessionKey), requestedAt: at, expiresAt: Math.floor(at / 1000) + STOP_TTL_SECONDS },
        }),
      ),
    );
  }

  async requestedSince(sessionKey: string, since: number): Promise<boolean> {
    const { Item } = await callAws(`DynamoDB GetItem (stop of ${sessionKey})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: stopKey(sessionKey), ConsistentRead: true })),
    );
    return typeof Item?.requestedAt === 'number' && Item.requestedAt >= since;
  }
}
