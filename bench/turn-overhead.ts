import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClientFor } from '../test/stand-ins/dynalite.ts';
import { instantModel } from '../test/stand-ins/instant-model.ts';
import { messageUpdate } from '../test/stand-ins/telegram-updates.ts';
import type { BenchStack } from './bench-stack.ts';
import { answerTo, SUMMARY_TEXT, userText } from './chat-fixture.ts';
import { chatTimeline } from './history-seeder.ts';
import type { EmulatorCounts } from './emulators.ts';
import { mean, median, msSince, percentile } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

/**
 * A fresh container is slower until V8 has optimized the hot path: on this machine the p50 of successive blocks
 * of 50 turns falls from about 15 ms to a steady level after 200 to 300 turns. The first turns are reported on
 * their own row; the target applies to the warm container, after this many.
 */
const WARM_UP_TURNS = 250;
const FRESH_CONTAINER_TURNS = 20;
const MEASURED_TURNS = 300;
const COUNTED_TURNS = 100;
const CHAT = 5_001;

const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
const difference = (later: Record<string, number>, earlier: Record<string, number>) =>
  Object.fromEntries(Object.entries(later).map(([operation, count]) => [operation, count - (earlier[operation] ?? 0)]));

/**
 * Sequential turns of one chat through the Lambda handler with a model that answers at once, so each
 * invocation's time is the pipeline's own: webhook checks, dedup claim, window read, prompt, turn write, reply.
 * One chat, a message a minute, long enough that compaction runs every few turns, as it does in real use. Times are taken in a pass
 * of their own; store requests are counted per turn in a later pass, since asking the emulators for their
 * counts between turns would disturb the timing.
 */
export async function measureTurnOverhead(stack: BenchStack): Promise<BenchRow[]> {
  stack.useModel(instantModel({ reply: answerTo, summaryText: SUMMARY_TEXT }).model);
  const { receivedAt } = chatTimeline(0, WARM_UP_TURNS + MEASURED_TURNS + COUNTED_TURNS);
  let updateId = 100_000;
  let n = 0;
  const turn = async () => {
    const result = await stack.post(messageUpdate(userText(n), updateId++, { chatId: CHAT, sentAt: receivedAt(n) }));
    if (result.statusCode !== 200) throw new Error(`turn ${n} answered ${result.statusCode}`);
    n += 1;
    return result.ms;
  };

  const warmUp: number[] = [];
  for (let count = 0; count < WARM_UP_TURNS; count += 1) warmUp.push(await turn());
  const times: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let count = 0; count < MEASURED_TURNS; count += 1) times.push(await turn());
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerTurn = (cpu.user + cpu.system) / 1_000 / MEASURED_TURNS;

  const dynamoRequests: number[] = [];
  const s3Requests: number[] = [];
  const start = await stack.emulators.counts();
  let before: EmulatorCounts = start;
  for (let count = 0; count < COUNTED_TURNS; count += 1) {
    await turn();
    const after = await stack.emulators.counts();
    dynamoRequests.push(total(after.dynamo) - total(before.dynamo));
    s3Requests.push(total(after.s3) - total(before.s3));
    before = after;
  }
  const storeRequests = dynamoRequests.map((count, index) => count + s3Requests[index]!);
  const roundTrips = await storeRoundTrips(stack);
  const fresh = warmUp.slice(0, FRESH_CONTAINER_TURNS);

  return [
    {
      metric: 'turn overhead p50 (warm handler, instant model)',
      value: ms(median(times)),
      target: '< 10 ms',
      pass: median(times) < 10,
      data: { turns: MEASURED_TURNS, afterWarmUp: WARM_UP_TURNS, p50: median(times), p99: percentile(times, 0.99), mean: mean(times) },
    },
    { metric: 'turn overhead p99', value: ms(percentile(times, 0.99)), target: '' },
    {
      metric: '  CPU time of the function process per turn (all threads)',
      value: ms(cpuPerTurn),
      target: '',
      data: { cpuPerTurn, userPerTurn: cpu.user / 1_000 / MEASURED_TURNS, systemPerTurn: cpu.system / 1_000 / MEASURED_TURNS, note: 'all threads of the function process (JIT, GC, thread pool); the emulators run in another process' },
    },
    {
      metric: `  first ${FRESH_CONTAINER_TURNS} turns of a fresh container, p50`,
      value: ms(median(fresh)),
      target: '',
      data: { p50: median(fresh), p99: percentile(fresh, 0.99) },
    },
    {
      metric: '  the 3 store calls alone against dynalite, p50',
      value: ms(median(roundTrips)),
      target: '',
      data: { samples: roundTrips.length, p50: median(roundTrips) },
    },
    {
      metric: 'store requests per turn (DynamoDB + S3)',
      value: `${median(storeRequests)} median, ${mean(storeRequests).toFixed(2)} mean, ${Math.max(...storeRequests)} max`,
      // The claim, the window Query and the turn PutItem, plus the per-user usage count issued alongside the write.
      target: '<= 4 per normal turn',
      pass: median(storeRequests) <= 4,
      data: {
        turns: COUNTED_TURNS,
        dynamoMean: mean(dynamoRequests),
        s3Mean: mean(s3Requests),
        turnsAbove3: storeRequests.filter((count) => count > 3).length,
        dynamoByOperation: difference(before.dynamo, start.dynamo),
        s3ByOperation: difference(before.s3, start.s3),
      },
    },
  ];
}

/**
 * What the emulator alone costs per turn: the same three calls a turn makes (conditional claim, window
 * Query, turn PutItem), issued directly one after another. The rest of the overhead is the pipeline's.
 */
async function storeRoundTrips(stack: BenchStack): Promise<number[]> {
  const doc = documentClientFor(stack.emulators.dynamo.endpoint);
  const samples: number[] = [];
  try {
    for (let n = 0; n < 100; n += 1) {
      const started = process.hrtime.bigint();
      await doc.send(new PutCommand({ TableName: stack.table, Item: { pk: `DEDUP#bench:${n}`, sk: 'DEDUP', expiresAt: 1 }, ConditionExpression: 'attribute_not_exists(pk)' }));
      await doc.send(new QueryCommand({ TableName: stack.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)', ExpressionAttributeValues: { ':pk': `SESSION#tg:${CHAT}`, ':msg': 'MSG#' }, ScanIndexForward: false, Limit: stack.runtime.config.windowTurns + 1 }));
      await doc.send(new PutCommand({ TableName: stack.table, Item: { pk: 'SESSION#bench-round-trip', sk: `MSG#${n}`, kind: 'turn', at: n, messages: '[]' } }));
      samples.push(msSince(started));
    }
  } finally {
    doc.destroy();
  }
  return samples;
}
