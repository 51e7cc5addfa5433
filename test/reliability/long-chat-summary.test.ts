import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { DynamoDbSessionStore } from '../../agent/aws/dynamodb-session-store.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { instantModel, type InstantModel } from '../stand-ins/instant-model.ts';

/** Enough short turns for compaction to run many times with the default window. */
const TURNS = 90;

describe('a long chat of short messages on DynamoDB', () => {
  let dynamo: DynaliteHarness;
  let model: InstantModel;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    dynamo = await startDynalite();
    model = instantModel();
    const local = await makeLocalRuntime({ model: model.model });
    cleanup = local.cleanup;
    const deps = { ...local.runtime, sessions: new DynamoDbSessionStore(dynamo.doc, { tableName: dynamo.tableName, ttlDays: 90 }) };
    for (let index = 0; index < TURNS; index += 1) {
      await runTurn(deps, { sessionKey: 'tg:1', userId: '1', delivery: { chatId: 1, userId: '1' }, text: `fact number ${index}`, receivedAt: 1_000_000 + index });
    }
  });
  afterAll(async () => {
    await cleanup();
    await dynamo.close();
  });

  it('compacts more than once', () => {
    expect(model.summaryInputs.length).toBeGreaterThanOrEqual(2);
  });

  it('builds each new summary on the previous one', () => {
    model.summaryInputs.slice(1).forEach((input, index) => {
      expect(input).toContain(`Summary ${index + 1} of the earlier conversation.`);
    });
  });

  it('folds every turn that leaves the window into some summary', () => {
    const summarized = new Set(model.summaryInputs.flatMap((input) => [...input.matchAll(/fact number (\d+)\b/g)].map((match) => Number(match[1]))));
    const lastSummarized = Math.max(...summarized);
    const missing = Array.from({ length: lastSummarized + 1 }, (_, index) => index).filter((index) => !summarized.has(index));
    expect(missing).toEqual([]);
  });
});
