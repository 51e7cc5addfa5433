import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';

export interface DynaliteHarness {
  endpoint: string;
  /** The emulator's own HTTP server, e.g. to count requests on the wire. */
  server: Server;
  doc: DynamoDBDocumentClient;
  /** A table created at start, for suites that need only one. */
  tableName: string;
  /** A fresh, uniquely named table: isolation per test without restarting the server. */
  createTable(): Promise<string>;
  close(): Promise<void>;
}

/** A client of its own lets a test add middleware (request counting, fault injection) without touching others. */
export function documentClientFor(endpoint: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export async function createHermesTable(doc: DynamoDBDocumentClient): Promise<string> {
  const tableName = `hermes-${randomUUID()}`;
  await doc.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return tableName;
}

/** In-memory dynalite on a free loopback port; tables are usable at once (createTableMs 0). */
export async function startDynalite(): Promise<DynaliteHarness> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const doc = documentClientFor(endpoint);
  return {
    endpoint,
    server,
    doc,
    tableName: await createHermesTable(doc),
    createTable: () => createHermesTable(doc),
    close: async () => {
      doc.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
