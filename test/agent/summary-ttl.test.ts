import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { DynamoDbSessionStore } from '../../agent/aws/dynamodb-session-store.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { turnId } from '../../agent/session-keys.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel } from '../stand-ins/mock-model.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 9);

describe('the row holding a summary does not expire while later turns remain', () => {
  let dynamo: DynaliteHarness;
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  let clock = T0;

  beforeAll(async () => {
    dynamo = await startDynalite();
    ({ runtime, cleanup } = await makeLocalRuntime({ model: echoModel() }));
    runtime.sessions = new DynamoDbSessionStore(dynamo.doc, { tableName: dynamo.tableName, ttlDays: 90, now: () => clock });
    const first = { id: turnId(T0 - HOUR, 'a'), at: T0 - HOUR, messages: [{ role: 'user' as const, content: 'old' }] };
    await runtime.sessions.appendTurn('tg:9', first);
    await runtime.sessions.appendTurn('tg:9', {
      id: turnId(T0, 'b'),
      at: T0,
      messages: [{ role: 'user', content: 'compacting turn' }],
      summary: { text: 'The user said something old.', coversThrough: first.id },
    });
  });
  afterAll(async () => {
    await cleanup();
    await dynamo.close();
  });

  const rows = async () =>
    (
      await dynamo.doc.send(
        new QueryCommand({ TableName: dynamo.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'SESSION#tg:9' } }),
      )
    ).Items!;

  const turnAt = async (at: number, eventId: string) => {
    clock = at;
    await runTurn({ ...runtime, now: () => new Date(at) }, { sessionKey: 'tg:9', userId: '9', delivery: { chatId: 9, userId: '9' }, text: eventId, receivedAt: at, eventId });
    return (await rows()).find((row) => String(row.sk).endsWith(eventId))!;
  };

  it('a turn soon after the summary does not repeat it', async () => {
    expect((await turnAt(T0 + HOUR, 'soon')).summary).toBeUndefined();
  });

  it('a turn received hours later carries it again, so the newest summary row expires after the turns before it', async () => {
    const later = await turnAt(T0 + 7 * HOUR, 'later');
    expect(later.summary).toBe('The user said something old.');
    const newestExpiry = Math.max(...(await rows()).filter((row) => row.summary === undefined && row.kind === 'turn').map((row) => Number(row.expiresAt)));
    expect(Number(later.expiresAt)).toBeGreaterThanOrEqual(newestExpiry);
    const window = await runtime.sessions.loadWindow('tg:9', 14);
    expect(window.summary).toEqual({ text: 'The user said something old.', coversThrough: turnId(T0 - HOUR, 'a') });
    expect(window.turns.map((turn) => turn.messages[0]!.content)).toEqual(['compacting turn', 'soon', 'later']);
  });
});
