import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runTurn, type AgentDeps } from '../agent/agent-loop.ts';
import { MESSAGE_SK_PREFIX, sessionPk } from '../agent/aws/dynamodb-session-items.ts';
import { errorMessage } from '../agent/errors.ts';
import { estimateTokens } from '../agent/tokens.ts';
import { documentClientFor } from '../test/helpers/dynalite.ts';
import { instantModel, type InstantModel } from '../test/reliability/helpers/instant-model.ts';
import type { BenchStack } from './bench-stack.ts';
import { answerTo, SUMMARY_TEXT, userText } from './chat-fixture.ts';
import { pastTurns, seedHistory } from './history-seeder.ts';
import { NaiveHistoryStore } from './naive-history-store.ts';
import { mean, median, msSince } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

const SIZES = [10, 1_000, 10_000];
/** Twenty turns keep every chat between 20 and 40 unsummarized turns, the range compaction maintains. */
const MEASURED_TURNS = 20;
const CHATS_PER_SIZE = 3;
const FLAT = 1.2;
/** HERMES_WINDOW_TURNS (40) plus the one extra row the store reads. */
const WINDOW_ROWS = 41;

interface Series {
  timeP50: number;
  tokensMean: number;
}

interface RealStoreSeries extends Series {
  /** The window read alone (one Query), to tell the emulator's share from the pipeline's. */
  windowQueryP50: number;
}

/**
 * Turn time and prompt size with 10, 1,000 and 10,000 stored turns in one chat, for the real store and for a
 * naive one that keeps the whole history in one item. Both run the same agent loop and model; the naive one is
 * given a budget so large that compaction never runs, which is what "the prompt is the whole history" means.
 */
export async function measureGrowth(stack: BenchStack): Promise<BenchRow[]> {
  const real = await measureRealStore(stack);
  const rows: BenchRow[] = SIZES.map((size, index) => ({
    metric: `real store, ${size.toLocaleString('en')} stored turns`,
    value: `${describe(real[index]!)} (window Query ${ms(real[index]!.windowQueryP50)})`,
    target: '',
    data: { ...real[index] },
  }));
  rows.push(flatness('growth 10 -> 10,000 turns (real store)', real), flatness('growth 1,000 -> 10,000 turns (real store)', real.slice(1)));
  rows.push(...(await measureNaive(stack)));
  return rows;
}

/**
 * Several chats per size, driven in rounds that visit every chat in turn, so drift in machine load during the
 * run lands on every size alike instead of on whichever size happened to run last.
 */
async function measureRealStore(stack: BenchStack): Promise<RealStoreSeries[]> {
  const chats = SIZES.flatMap((size) => Array.from({ length: CHATS_PER_SIZE }, (_, copy) => ({ size, sessionKey: `tg:growth-${size}-${copy}` })));
  for (const chat of chats) await seedHistory(stack.doc, stack.table, chat.sessionKey, pastTurns(chat.size));
  const models = new Map(SIZES.map((size) => [size, instantModel({ reply: answerTo, summaryText: SUMMARY_TEXT, keepPrompts: true })]));
  const times = new Map(SIZES.map((size) => [size, [] as number[]]));
  for (let round = 0; round < MEASURED_TURNS; round += 1) {
    for (const chat of chats) {
      times.get(chat.size)!.push(await timeTurn({ ...stack.runtime, model: models.get(chat.size)!.model }, chat.sessionKey, chat.size + round));
    }
  }
  const queries = documentClientFor(stack.emulators.dynamo.endpoint);
  try {
    const series: RealStoreSeries[] = [];
    for (const size of SIZES) {
      series.push({
        timeP50: median(times.get(size)!),
        tokensMean: meanPromptTokens(models.get(size)!),
        windowQueryP50: await windowQueryTime(queries, stack.table, `tg:growth-${size}-0`),
      });
    }
    return series;
  } finally {
    queries.destroy();
  }
}

function flatness(metric: string, series: Series[]): BenchRow {
  const timeRatio = spread(series.map((one) => one.timeP50));
  const tokenRatio = spread(series.map((one) => one.tokensMean));
  return {
    metric,
    value: `time x${timeRatio.toFixed(2)}, tokens x${tokenRatio.toFixed(2)}`,
    target: `both within x${FLAT.toFixed(2)}`,
    pass: timeRatio <= FLAT && tokenRatio <= FLAT,
    data: { timeRatio, tokenRatio },
  };
}

/** The store's window read as the session store issues it: newest first, one row past the window. */
async function windowQueryTime(doc: DynamoDBDocumentClient, table: string, sessionKey: string): Promise<number> {
  const times: number[] = [];
  for (let n = 0; n < MEASURED_TURNS; n += 1) {
    const started = process.hrtime.bigint();
    await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': sessionPk(sessionKey), ':msg': MESSAGE_SK_PREFIX },
        ScanIndexForward: false,
        Limit: WINDOW_ROWS,
      }),
    );
    times.push(msSince(started));
  }
  return median(times);
}

async function measureNaive(stack: BenchStack): Promise<BenchRow[]> {
  const store = new NaiveHistoryStore(stack.doc, stack.table);
  const deps: AgentDeps = {
    ...stack.runtime,
    sessions: store,
    config: { ...stack.runtime.config, contextTokens: Number.MAX_SAFE_INTEGER, windowTurns: Number.MAX_SAFE_INTEGER },
  };
  const rows: BenchRow[] = [];
  const capacity = await largestHistoryThatFits(store);
  // The measured turns must fit too, so the largest series starts that many turns below the limit.
  const sizes = [...SIZES.filter((size) => size + MEASURED_TURNS <= capacity), capacity - MEASURED_TURNS];
  for (const size of sizes) {
    const sessionKey = `tg:naive-${size}`;
    await store.write(sessionKey, { turns: pastTurns(size) });
    const series = await driveTurns(deps, sessionKey, size);
    rows.push({ metric: `naive one-item store, ${size.toLocaleString('en')} stored turns`, value: describe(series), target: '', data: { ...series } });
  }
  for (const size of SIZES.filter((size) => size + MEASURED_TURNS > capacity)) {
    const history = { turns: pastTurns(size) };
    const refusal = await store.write(`tg:naive-${size}`, history).then(
      () => 'stored',
      (error: unknown) => `refused: ${errorMessage(error)}`,
    );
    rows.push({
      metric: `naive one-item store, ${size.toLocaleString('en')} stored turns`,
      value: `${refusal} (${Math.round(Buffer.byteLength(JSON.stringify(history)) / 1024)} KB item)`,
      target: '',
      data: { refusal },
    });
  }
  rows.push({
    metric: 'naive one-item store: history limit',
    value: `${capacity} turns fit in one item`,
    target: '',
    data: { capacity },
  });
  return rows;
}

/** Where DynamoDB's 400 KB item limit stops the naive store, found by writing (binary search). */
async function largestHistoryThatFits(store: NaiveHistoryStore): Promise<number> {
  let fits = 1;
  let refused = SIZES.at(-1)!;
  while (refused - fits > 1) {
    const probe = Math.floor((fits + refused) / 2);
    const stored = await store.write('tg:naive-capacity', { turns: pastTurns(probe) }).then(
      () => true,
      () => false,
    );
    if (stored) fits = probe;
    else refused = probe;
  }
  return fits;
}

async function driveTurns(deps: AgentDeps, sessionKey: string, storedTurns: number): Promise<Series> {
  const model = instantModel({ reply: answerTo, summaryText: SUMMARY_TEXT, keepPrompts: true });
  const times: number[] = [];
  for (let n = 0; n < MEASURED_TURNS; n += 1) times.push(await timeTurn({ ...deps, model: model.model }, sessionKey, storedTurns + n));
  return { timeP50: median(times), tokensMean: meanPromptTokens(model) };
}

/** One turn of the agent loop, continuing the fixture conversation at message `n`. */
async function timeTurn(deps: AgentDeps, sessionKey: string, n: number): Promise<number> {
  const started = process.hrtime.bigint();
  await runTurn(deps, {
    sessionKey,
    userId: '77',
    delivery: { chatId: 77, userId: '77' },
    text: userText(n),
    receivedAt: Date.now(),
    // The same id shape as seeded turns, so the naive item grows by exactly what the capacity probe measured.
    eventId: String(n).padStart(12, '0'),
  });
  return msSince(started);
}

/** Counted after the timed turns, so estimating sizes never lands in the measured time. */
function meanPromptTokens(model: InstantModel): number {
  return mean(model.chatPrompts.map((prompt) => estimateTokens(JSON.stringify(prompt))));
}

function describe(series: Series): string {
  return `${ms(series.timeP50)} p50, ${Math.round(series.tokensMean).toLocaleString('en')} prompt tokens`;
}

/** Largest over smallest: 1.00 means perfectly flat. */
function spread(values: number[]): number {
  return Math.max(...values) / Math.min(...values);
}
