import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runTurn, type AgentDeps } from '../agent/agent-loop.ts';
import { maxTailTurns } from '../agent/compaction.ts';
import type { Turn } from '../agent/ports/session-store.ts';
import { MESSAGE_SK_PREFIX, sessionPk } from '../agent/aws/table-keys.ts';
import { errorMessage } from '../tools/errors.ts';
import { estimateTokens } from '../agent/tokens.ts';
import { documentClientFor } from '../test/stand-ins/dynalite.ts';
import { instantModel, type InstantModel } from '../test/stand-ins/instant-model.ts';
import type { BenchStack } from './bench-stack.ts';
import { answerTo, SUMMARY_TEXT, userText } from './chat-fixture.ts';
import { chatTimeline, compactedHistory, seedHistory, type CompactionSettings } from './history-seeder.ts';
import { NaiveHistoryStore } from './naive-history-store.ts';
import { mean, median, msSince } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

const SIZES = [10, 1_000, 10_000];
/** At least this many measured turns per size, rounded up to whole compaction cycles. */
const MIN_MEASURED_TURNS = 40;
const CHATS_PER_LONG_SIZE = 3;
const FLAT = 1.2;

interface Series {
  timeP50: number;
  tokensMean: number;
}

interface RealStoreSeries extends Series {
  /** The window read alone (one Query), to tell the emulator's share from the pipeline's. */
  windowQueryP50: number;
}

/** One chat of a size: where its conversation stands and how many turns it is measured for. */
interface SampleChat {
  sessionKey: string;
  storedTurns: number;
  turns: number;
  /** When Telegram received the chat's n-th message. */
  receivedAt: (n: number) => number;
}

interface Sampling {
  /** Keeps each series' chats apart in the shared table. */
  prefix: string;
  settings: CompactionSettings;
  measuredTurns: number;
}

/**
 * How a size is sampled. A chat shorter than one window has one exact state, so each sample is a fresh chat
 * holding exactly `size` turns. A longer chat's prompt depends on where it stands between two compactions,
 * which is arbitrary at any given length, so its turns run on from `size` over whole compaction cycles: their
 * mean is what such a chat costs per turn.
 */
function sampleChats(size: number, { prefix, settings, measuredTurns }: Sampling): { chats: SampleChat[]; history: Turn[] } {
  const short = size < settings.windowTurns;
  const turns = short ? 1 : measuredTurns;
  const { turns: history, receivedAt } = chatTimeline(size, turns);
  const copies = short ? measuredTurns : CHATS_PER_LONG_SIZE;
  const chats = Array.from({ length: copies }, (_, copy) => ({ sessionKey: `tg:${prefix}-${size}-${copy}`, storedTurns: size, turns, receivedAt }));
  return { chats, history };
}

/** Compaction keeps its tail and runs again when the window is full: one cycle is the rest of the window. */
function measuredTurnsFor(settings: CompactionSettings): number {
  const cycle = settings.windowTurns - maxTailTurns(settings.windowTurns);
  return cycle * Math.ceil(MIN_MEASURED_TURNS / cycle);
}

/**
 * Turn time and prompt size with 10, 1,000 and 10,000 stored turns in one chat, for the real store and for a
 * naive one that keeps the whole history in one item. Both run the same agent loop and model; the naive one is
 * given a budget so large that compaction never runs, which is what "the prompt is the whole history" means.
 * Prompt size counts what a provider is sent and bills as input: the messages and the tool definitions.
 */
export async function measureGrowth(stack: BenchStack): Promise<BenchRow[]> {
  const settings = stack.runtime.config;
  const measuredTurns = measuredTurnsFor(settings);
  const real = await measureRealStore(stack, settings, measuredTurns);
  const rows: BenchRow[] = SIZES.map((size, index) => ({
    metric: `real store, ${size.toLocaleString('en')} stored turns`,
    value: `${describe(real[index]!)} (window Query ${ms(real[index]!.windowQueryP50)})`,
    target: '',
    data: { ...real[index], sampling: size < settings.windowTurns ? `exactly ${size} stored, fresh chat per sample` : `${measuredTurns} turns on from ${size}, ${CHATS_PER_LONG_SIZE} chats` },
  }));
  rows.push(flatness('growth 10 -> 10,000 turns (real store)', real), flatness('growth 1,000 -> 10,000 turns (real store)', real.slice(1)));
  rows.push(...(await measureNaive(stack, settings, measuredTurns)));
  return rows;
}

/**
 * Driven in rounds that visit every size in turn, so drift in machine load during the run lands on every size
 * alike instead of on whichever size happened to run last.
 */
async function measureRealStore(stack: BenchStack, settings: CompactionSettings, measuredTurns: number): Promise<RealStoreSeries[]> {
  const chats = new Map<number, SampleChat[]>();
  for (const size of SIZES) {
    const sample = sampleChats(size, { prefix: 'growth', settings, measuredTurns });
    const history = compactedHistory(sample.history, settings);
    for (const chat of sample.chats) await seedHistory(stack.doc, { table: stack.table, sessionKey: chat.sessionKey, turns: history });
    chats.set(size, sample.chats);
  }
  const models = new Map(SIZES.map((size) => [size, instantModel({ reply: answerTo, summaryText: SUMMARY_TEXT, keepPrompts: true })]));
  const times = new Map(SIZES.map((size) => [size, [] as number[]]));
  for (let round = 0; round < measuredTurns; round += 1) {
    for (const size of SIZES) {
      const deps = { ...stack.runtime, model: models.get(size)!.model };
      for (const chat of turnsOfRound(chats.get(size)!, round)) {
        times.get(size)!.push(await timeTurn(deps, chat));
      }
    }
  }
  const queries = documentClientFor(stack.emulators.dynamo.endpoint);
  try {
    const series: RealStoreSeries[] = [];
    for (const size of SIZES) {
      series.push({
        timeP50: median(times.get(size)!),
        tokensMean: meanRequestTokens(models.get(size)!),
        windowQueryP50: await windowQueryTime(queries, {
          table: stack.table,
          sessionKey: chats.get(size)![0]!.sessionKey,
          windowTurns: settings.windowTurns,
          samples: measuredTurns,
        }),
      });
    }
    return series;
  } finally {
    queries.destroy();
  }
}

/** The chats that take a turn in this round: a short size's next fresh chat, or every long chat again. */
function turnsOfRound(chats: SampleChat[], round: number): SampleChat[] {
  return chats[0]!.turns === 1 ? [chats[round]!] : chats;
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

interface WindowQuery {
  table: string;
  sessionKey: string;
  windowTurns: number;
  samples: number;
}

/** The store's window read as the session store issues it: newest first, one row past the window. */
async function windowQueryTime(doc: DynamoDBDocumentClient, { table, sessionKey, windowTurns, samples }: WindowQuery): Promise<number> {
  const times: number[] = [];
  for (let n = 0; n < samples; n += 1) {
    const started = process.hrtime.bigint();
    await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': sessionPk(sessionKey), ':msg': MESSAGE_SK_PREFIX },
        ScanIndexForward: false,
        Limit: windowTurns + 1,
      }),
    );
    times.push(msSince(started));
  }
  return median(times);
}

async function measureNaive(stack: BenchStack, settings: CompactionSettings, measuredTurns: number): Promise<BenchRow[]> {
  const store = new NaiveHistoryStore(stack.doc, stack.table);
  const deps: AgentDeps = {
    ...stack.runtime,
    sessions: store,
    config: { ...stack.runtime.config, contextTokens: Number.MAX_SAFE_INTEGER, windowTurns: Number.MAX_SAFE_INTEGER },
  };
  const rows: BenchRow[] = [];
  const capacity = await largestHistoryThatFits(store);
  // The measured turns must fit too, so the largest series starts that many turns below the limit.
  const sizes = [...SIZES.filter((size) => size + measuredTurns <= capacity), capacity - measuredTurns];
  for (const size of sizes) {
    const { chats, history } = sampleChats(size, { prefix: 'naive', settings, measuredTurns });
    for (const chat of chats) await store.write(chat.sessionKey, { turns: history });
    const series = await driveNaive(deps, chats, measuredTurns);
    rows.push({ metric: `naive one-item store, ${size.toLocaleString('en')} stored turns`, value: describe(series), target: '', data: { ...series } });
  }
  for (const size of SIZES.filter((size) => size + measuredTurns > capacity)) {
    const history = { turns: chatTimeline(size).turns };
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
    const stored = await store.write('tg:naive-capacity', { turns: chatTimeline(probe).turns }).then(
      () => true,
      () => false,
    );
    if (stored) fits = probe;
    else refused = probe;
  }
  return fits;
}

async function driveNaive(deps: AgentDeps, chats: SampleChat[], measuredTurns: number): Promise<Series> {
  const model = instantModel({ reply: answerTo, summaryText: SUMMARY_TEXT, keepPrompts: true });
  const times: number[] = [];
  for (let round = 0; round < measuredTurns; round += 1) {
    for (const chat of turnsOfRound(chats, round)) {
      times.push(await timeTurn({ ...deps, model: model.model }, chat));
    }
  }
  return { timeP50: median(times), tokensMean: meanRequestTokens(model) };
}

/** The chat's next turn through the agent loop, continuing the fixture conversation. */
async function timeTurn(deps: AgentDeps, chat: SampleChat): Promise<number> {
  const n = chat.storedTurns;
  const started = process.hrtime.bigint();
  await runTurn(deps, {
    sessionKey: chat.sessionKey,
    userId: '77',
    delivery: { chatId: 77, userId: '77' },
    text: userText(n),
    receivedAt: chat.receivedAt(n),
    // The same id shape as seeded turns, so the naive item grows by exactly what the capacity probe measured.
    eventId: String(n).padStart(12, '0'),
  });
  const time = msSince(started);
  chat.storedTurns += 1;
  return time;
}

/** Counted after the timed turns, so estimating sizes never lands in the measured time. */
function meanRequestTokens(model: InstantModel): number {
  return mean(model.chatRequests.map((request) => estimateTokens(JSON.stringify(request))));
}

function describe(series: Series): string {
  return `${ms(series.timeP50)} p50, ${Math.round(series.tokensMean).toLocaleString('en')} prompt tokens`;
}

/** Largest over smallest: 1.00 means perfectly flat. */
function spread(values: number[]): number {
  return Math.max(...values) / Math.min(...values);
}
