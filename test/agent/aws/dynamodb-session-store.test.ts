import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ModelMessage } from 'ai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbSessionStore } from '../../../agent/aws/dynamodb-session-store.ts';
import { StoreError } from '../../../tools/errors.ts';
import type { Turn } from '../../../agent/ports/session-store.ts';
import { resetId, turnId } from '../../../agent/session-keys.ts';
import { sessionStoreContract } from '../../contracts/session-store.contract.ts';
import { documentClientFor, startDynalite, type DynaliteHarness } from '../../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

sessionStoreContract('DynamoDB on dynalite', async () => ({
  subject: new DynamoDbSessionStore(dynamo.doc, { tableName: await dynamo.createTable(), ttlDays: 30 }),
}));

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const EXPIRES_AT = NOW / 1000 + 30 * 86_400;

function turnOf(at: number, text: string): Turn {
  const messages: ModelMessage[] = [
    { role: 'user', content: text },
    { role: 'assistant', content: [{ type: 'text', text: `re: ${text}` }] },
  ];
  return { id: turnId(at), at, messages };
}

/** A turn whose serialized messages take about `kilobytes` KB. */
function bulkyTurn(at: number, kilobytes: number): Turn {
  return { id: turnId(at), at, messages: [{ role: 'user', content: 'x'.repeat(kilobytes * 1024) }] };
}

/** Records the DynamoDB operation of every command sent through `doc`, once per send (retries not counted). */
function recordCommands(doc: DynamoDBDocumentClient): string[] {
  const commands: string[] = [];
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return commands;
}

function failEveryRequestWith(doc: DynamoDBDocumentClient, error: Error): void {
  doc.middlewareStack.add(
    () => async () => {
      throw error;
    },
    { step: 'initialize', name: 'injectFailure' },
  );
}

describe('DynamoDbSessionStore on dynalite', () => {
  let doc: DynamoDBDocumentClient;
  let tableName: string;
  let commands: string[];
  let store: DynamoDbSessionStore;
  beforeEach(async () => {
    doc = documentClientFor(dynamo.endpoint);
    commands = recordCommands(doc);
    tableName = await dynamo.createTable();
    store = new DynamoDbSessionStore(doc, { tableName, ttlDays: 30, now: () => NOW });
    commands.length = 0;
  });
  afterEach(() => {
    doc.destroy();
  });

  async function itemsOf(sessionKey: string): Promise<Record<string, unknown>[]> {
    const result = await dynamo.doc.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SESSION#${sessionKey}` } }),
    );
    return result.Items ?? [];
  }

  it('stores turns, the summary on the turn that compacted, resets and META in the documented layout', async () => {
    const first = turnOf(1000, 'hello');
    await store.appendTurn('tg:1', first);
    expect(await itemsOf('tg:1')).toEqual([
      { pk: 'SESSION#tg:1', sk: `MSG#${first.id}`, kind: 'turn', at: 1000, expiresAt: EXPIRES_AT, messages: JSON.stringify(first.messages) },
    ]);

    const compacting = { ...turnOf(2000, 'and again'), summary: { text: 'said hello', coversThrough: first.id } };
    await store.appendTurn('tg:1', compacting);
    await store.reset('tg:1', 3000);
    const items = await itemsOf('tg:1');
    expect(items).toContainEqual({
      pk: 'SESSION#tg:1',
      sk: `MSG#${compacting.id}`,
      kind: 'turn',
      at: 2000,
      expiresAt: EXPIRES_AT,
      messages: JSON.stringify(compacting.messages),
      summary: 'said hello',
      coversThrough: first.id,
    });
    expect(items).toContainEqual({ pk: 'SESSION#tg:1', sk: `MSG#${resetId(3000)}`, kind: 'reset', at: 3000, expiresAt: EXPIRES_AT });
    expect(items).toContainEqual({
      pk: 'SESSION#tg:1',
      sk: 'META',
      createdAt: NOW,
      updatedAt: NOW,
      expiresAt: EXPIRES_AT,
      lastReset: resetId(3000),
      resets: 1,
    });
    expect(items).toHaveLength(4);
  });

  it('costs one Query to load and one PutItem to append a turn, never touching META', async () => {
    await store.loadWindow('tg:1', 20);
    await store.appendTurn('tg:1', turnOf(1000, 'hello'));
    expect(commands).toEqual(['Query', 'PutItem']);
    expect((await itemsOf('tg:1')).map((item) => item.sk)).not.toContain('META');
  });

  it('stores a compacting turn and its summary in that same single PutItem', async () => {
    const first = turnOf(1000, 'hello');
    await store.appendTurn('tg:1', first);
    commands.length = 0;
    await store.loadWindow('tg:1', 20);
    await store.appendTurn('tg:1', { ...turnOf(2000, 'again'), summary: { text: 'said hello', coversThrough: first.id } });
    expect(commands).toEqual(['Query', 'PutItem']);
    expect((await store.loadWindow('tg:1', 20)).summary).toEqual({ text: 'said hello', coversThrough: first.id });
  });

  it('reads a second page only when the 1 MB page limit cut the first short', async () => {
    const bulky = [1, 2, 3, 4, 5].map((i) => bulkyTurn(i * 1000, 300));
    for (const turn of bulky) await store.appendTurn('tg:big', turn);
    commands.length = 0;
    const window = await store.loadWindow('tg:big', 10);
    expect(window.turns.map((turn) => turn.id)).toEqual(bulky.map((turn) => turn.id));
    expect(commands).toEqual(['Query', 'Query']);
  });

  it('refuses a turn over the item budget without sending it, and accepts one just under', async () => {
    const tooBig = bulkyTurn(1000, 395);
    const error = await store.appendTurn('tg:1', tooBig).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/Turn .* of session tg:1 is 396 KB, over the 390 KB DynamoDB item budget/);
    expect(commands).toEqual([]);

    const fits = bulkyTurn(2000, 385);
    await store.appendTurn('tg:1', fits);
    expect((await store.loadWindow('tg:1', 5)).turns.map((turn) => turn.id)).toEqual([fits.id]);
  });

  it.each([
    ['appendTurn', new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: {} })],
    ['loadWindow', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })],
  ])('reports throttling during %s as a StoreError that keeps the cause', async (operation, throttled) => {
    failEveryRequestWith(doc, throttled);
    const call = operation === 'appendTurn' ? store.appendTurn('tg:1', turnOf(1000, 'hi')) : store.loadWindow('tg:1', 5);
    const error = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(new RegExp(`session tg:1\\) failed: AWS is throttling requests \\(${throttled.name}\\)`));
    expect((error as StoreError).cause).toBe(throttled);
  });
});
