import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StopRequests, StoppedTurn } from '../ports/stop-requests.ts';
import { callAws, conditionalWrite } from './aws-failure.ts';
import { stopKey } from './table-keys.ts';

/** A stop matters only to the turn running when it was pressed; Lambda runs no turn longer than 15 minutes. */
const STOP_TTL_SECONDS = 3_600;

/**
 * One item per session in the single table: the newest request, and the last turn that ended on one. Each write
 * sets only its own attributes, so a newer stop does not erase what an older one stopped before its `/stop` is
 * answered. The worker reads it strongly consistent.
 */
export class DynamoDbStopRequests implements StopRequests {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async request(sessionKey: string, at: number): Promise<void> {
    // The newest time wins: webhook instances' clocks may differ a little, and a stop is never moved back.
    await conditionalWrite(`DynamoDB UpdateItem (stop of ${sessionKey})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stopKey(sessionKey),
          UpdateExpression: 'SET requestedAt = :at, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(requestedAt) OR requestedAt < :at',
          ExpressionAttributeValues: { ':at': at, ':expires': expiresAt(at) },
        }),
      ),
    );
  }

  async requestedSince(sessionKey: string, since: number): Promise<boolean> {
    const item = await this.read(sessionKey);
    return typeof item?.requestedAt === 'number' && item.requestedAt >= since;
  }

  async recordStoppedTurn(sessionKey: string, turn: StoppedTurn): Promise<void> {
    await callAws(`DynamoDB UpdateItem (stop of ${sessionKey})`, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stopKey(sessionKey),
          UpdateExpression: 'SET stoppedTurnStartedAt = :started, stoppedTurnStoppedAt = :stopped, expiresAt = :expires',
          ExpressionAttributeValues: { ':started': turn.startedAt, ':stopped': turn.stoppedAt, ':expires': expiresAt(turn.stoppedAt) },
        }),
      ),
    );
  }

  async stoppedTurnDuring(sessionKey: string, during: { from: number; to: number }): Promise<boolean> {
    const item = await this.read(sessionKey);
    const startedAt = item?.stoppedTurnStartedAt;
    const stoppedAt = item?.stoppedTurnStoppedAt;
    return typeof startedAt === 'number' && typeof stoppedAt === 'number' && startedAt <= during.to && during.from <= stoppedAt;
  }

  private async read(sessionKey: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await callAws(`DynamoDB GetItem (stop of ${sessionKey})`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: stopKey(sessionKey), ConsistentRead: true })),
    );
    return Item;
  }
}

function expiresAt(at: number): number {
  return Math.floor(at / 1000) + STOP_TTL_SECONDS;
}
