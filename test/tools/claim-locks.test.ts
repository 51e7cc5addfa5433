import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDedupStore } from '../../agent/aws/dynamodb-dedup-store.ts';
import { ClaimLocks } from '../../tools/claim-locks.ts';
import { StoreError } from '../../tools/errors.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';

let dynamo: DynaliteHarness;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo.close());

/** Two Lambda instances: each its own locks object and client, over one table. */
async function twoInstances(timing = { leaseSeconds: 30, waitMs: 10_000, pollMs: 20 }) {
  const table = await dynamo.createTable();
  return [new ClaimLocks(new DynamoDbDedupStore(dynamo.doc, table), timing), new ClaimLocks(new DynamoDbDedupStore(dynamo.doc, table), timing)] as const;
}

describe('locks on the dedup table', () => {
  it('run the work of one key one at a time across instances, and other keys beside it', async () => {
    const [a, b] = await twoInstances();
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      events.push(`${name} out`);
      return name;
    };
    expect(await Promise.all([a.hold('memory:7:user', work('a')), b.hold('memory:7:user', work('b'))])).toEqual(['a', 'b']);
    expect([events.slice(0, 2), events.slice(2)].map((pair) => pair.map((event) => event.split(' ')[1]))).toEqual([
      ['in', 'out'],
      ['in', 'out'],
    ]);
    events.length = 0;
    await Promise.all([a.hold('jobs:1', work('one')), b.hold('jobs:2', work('two'))]);
    expect(events.slice(0, 2).sort()).toEqual(['one in', 'two in']);
  });

  it('give the key back when the work fails, and tell a change that waited too long to try again', async () => {
    const [a, b] = await twoInstances({ leaseSeconds: 30, waitMs: 100, pollMs: 20 });
    await expect(a.hold('skill:trip', () => Promise.reject(new Error('S3 refused')))).rejects.toThrow('S3 refused');
    expect(await b.hold('skill:trip', async () => 'free again')).toBe('free again');
    let release!: () => void;
    const holding = a.hold('skill:trip', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(b.hold('skill:trip', async () => 'never')).rejects.toThrow(new StoreError('Another change of the same kind is still being made; try again in a moment.'));
    release();
    await holding;
  });
});
