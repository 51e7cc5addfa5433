import { instantModel } from '../test/stand-ins/instant-model.ts';
import { storedTurns } from '../test/stand-ins/stored-turns.ts';
import { messageUpdate } from '../test/stand-ins/telegram-updates.ts';
import type { BenchStack } from './bench-stack.ts';
import { answerTo, userText } from './chat-fixture.ts';
import { msSince, percentile } from './stats.ts';
import { ms, type BenchRow } from './table.ts';

const UPDATES = 200;
const CHATS = 50;
const FIRST_CHAT = 8_000;

/**
 * 200 webhook deliveries over 50 chats, all at once, into one warm container: every update must be answered
 * (a reply each, seen by the Bot API) and stored (a turn each, read back from the table), none twice.
 */
export async function measureBurst(stack: BenchStack): Promise<BenchRow[]> {
  const model = instantModel({ reply: answerTo });
  stack.useModel(model.model);
  await stack.emulators.resetCounts();
  const updates = Array.from({ length: UPDATES }, (_, n) => messageUpdate(userText(n), 500_000 + n, { chatId: FIRST_CHAT + (n % CHATS) }));

  const started = process.hrtime.bigint();
  const results = await Promise.all(updates.map((update) => stack.post(update)));
  const wallMs = msSince(started);

  const ok = results.filter((result) => result.statusCode === 200).length;
  const { repliesByChat } = await stack.emulators.counts();
  const chats = Array.from({ length: CHATS }, (_, n) => FIRST_CHAT + n);
  const replies = chats.reduce((sum, chat) => sum + (repliesByChat[chat] ?? 0), 0);
  const stored = (await Promise.all(chats.map((chat) => storedTurns(stack.doc, stack.table, `tg:${chat}`)))).reduce((sum, turns) => sum + turns.length, 0);
  const latencies = results.map((result) => result.ms);
  const everything = ok === UPDATES && replies === UPDATES && stored === UPDATES && model.userTexts.length === UPDATES;

  return [
    {
      metric: `burst: ${UPDATES} updates / ${CHATS} chats at once`,
      value: `${ok} x 200 OK, ${replies} replies, ${stored} turns stored, ${model.userTexts.length} model calls`,
      target: `all ${UPDATES}, none lost or doubled`,
      pass: everything,
      data: { ok, replies, stored, modelCalls: model.userTexts.length, wallMs },
    },
    {
      metric: 'burst latency p50 / p99 (wall time of all)',
      value: `${ms(percentile(latencies, 0.5))} / ${ms(percentile(latencies, 0.99))} (${ms(wallMs)})`,
      target: '',
      data: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    },
  ];
}
