import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4GenerateResult, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { runTurn } from '../agent/agent-loop.ts';
import { TIME_STAMP_PREFIX } from '../agent/turn-rendering.ts';
import type { Runtime } from '../agent/runtime.ts';
import { answerTo, SUMMARY_TEXT, userText } from './chat-fixture.ts';
import { chatTimeline } from './history-seeder.ts';
import { median } from './stats.ts';
import type { BenchRow } from './table.ts';

/** A chat of this many messages, a message a minute: several compactions at the default 20-turn window. */
const MESSAGES = 120;
/** Every third message makes a tool step (skills_list), every fifteenth saves a memory, which changes the snapshot. */
const TOOL_EVERY = 3;
const MEMORY_EVERY = 15;
const CHARS_PER_TOKEN = 4;
const TARGET_SHARE = 0.9;

/** One model request as a provider receives it: tool definitions first, then the prompt. */
export interface RecordedRequest {
  kind: 'chat' | 'summary';
  serialized: string;
  prompt: LanguageModelV4Prompt;
  tools: unknown;
  /** When the request was made, for the previous layout's time line. */
  at: number;
}

export interface PromptCacheFigures {
  requests: RecordedRequest[];
  /** Per chat request: the share of it that is a byte-identical prefix of the previous chat request. */
  shares: number[];
  previousLayoutShares: number[];
  cachedTokens: number;
  uncachedTokens: number;
  summaryTokens: number;
  messages: number;
}

const usage = { inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 0, text: 0, reasoning: 0 } };
const answer = (content: LanguageModelV4GenerateResult['content'], unified: 'stop' | 'tool-calls'): LanguageModelV4GenerateResult => ({
  content,
  finishReason: { unified, raw: unified === 'stop' ? 'stop' : 'tool_calls' },
  usage,
  warnings: [],
});

function lastUserText(prompt: LanguageModelV4Prompt): string {
  const last = prompt.findLast((message) => message.role === 'user');
  if (!last || typeof last.content === 'string') return '';
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Answers at once like a provider would: tool steps and memory saves on a fixed rhythm, text otherwise. */
function pacedChatModel(requests: RecordedRequest[], clock: () => number): LanguageModelV4 {
  let message = 0;
  return {
    specificationVersion: 'v4',
    provider: 'bench',
    modelId: 'paced-chat',
    supportedUrls: {},
    doGenerate: async (call: LanguageModelV4CallOptions) => {
      const system = call.prompt.find((entry) => entry.role === 'system');
      const kind = typeof system?.content === 'string' && system.content.includes('running summary') ? 'summary' : 'chat';
      requests.push({ kind, serialized: JSON.stringify({ tools: call.tools ?? [], prompt: call.prompt }), prompt: call.prompt, tools: call.tools ?? [], at: clock() });
      if (kind === 'summary') return answer([{ type: 'text', text: SUMMARY_TEXT }], 'stop');
      const newTurn = call.prompt.at(-1)?.role === 'user';
      if (!newTurn) return answer([{ type: 'text', text: answerTo(lastUserText(call.prompt).replace(TIME_STAMP_PREFIX, '')) }], 'stop');
      message += 1;
      if (message % MEMORY_EVERY === 0) {
        const input = JSON.stringify({ action: 'add', target: 'user', content: `Fact number ${message} about the user.` });
        return answer([{ type: 'tool-call', toolCallId: `call_m${message}`, toolName: 'memory', input }], 'tool-calls');
      }
      if (message % TOOL_EVERY === 0) return answer([{ type: 'tool-call', toolCallId: `call_s${message}`, toolName: 'skills_list', input: '{}' }], 'tool-calls');
      return answer([{ type: 'text', text: answerTo(lastUserText(call.prompt).replace(TIME_STAMP_PREFIX, '')) }], 'stop');
    },
    doStream: () => Promise.reject(new Error('the bench model only answers generateText calls')),
  };
}

function commonPrefix(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
  return index;
}

/**
 * The same request as the layout before issue 17 sent it: the current time to the millisecond as the system
 * prompt's second paragraph, and user messages without their sending time.
 */
export function previousLayout(request: RecordedRequest): string {
  const prompt = request.prompt.map((message) => {
    if (message.role === 'system') {
      const [persona, ...rest] = message.content.split('\n\n');
      return { ...message, content: [persona, `Current time: ${new Date(request.at).toISOString()} (user time zone: UTC).`, ...rest].join('\n\n') };
    }
    if (message.role !== 'user') return message;
    const content = message.content
      .map((part) => (part.type === 'text' ? { ...part, text: part.text.replace(TIME_STAMP_PREFIX, '') } : part))
      .filter((part) => part.type !== 'text' || part.text !== '');
    return { ...message, content };
  });
  return JSON.stringify({ tools: request.tools, prompt });
}

function shares(serialized: string[]): { shares: number[]; cached: number; total: number } {
  const result: number[] = [];
  let cached = 0;
  let total = 0;
  serialized.forEach((current, index) => {
    const shared = index === 0 ? 0 : commonPrefix(serialized[index - 1]!, current);
    if (index > 0) result.push(shared / current.length);
    cached += shared;
    total += current.length;
  });
  return { shares: result, cached, total };
}

/** A paced chat through the real loop; every request the provider would get is recorded and compared with the one before. */
export async function measurePromptCache(runtime: Runtime): Promise<PromptCacheFigures> {
  const requests: RecordedRequest[] = [];
  const { receivedAt } = chatTimeline(0, MESSAGES);
  let now = receivedAt(0);
  const model = pacedChatModel(requests, () => (now += 1_234));
  const deps = { ...runtime, model, now: () => new Date(now) };
  for (let n = 0; n < MESSAGES; n += 1) {
    now = receivedAt(n) + 700;
    await runTurn(deps, { sessionKey: 'tg:cache-1', userId: 'bench-user', delivery: { chatId: 1, userId: 'bench-user' }, text: userText(n), receivedAt: receivedAt(n) });
  }
  const chat = requests.filter((request) => request.kind === 'chat');
  const current = shares(chat.map((request) => request.serialized));
  const previous = shares(chat.map(previousLayout));
  const summaryChars = requests.filter((request) => request.kind === 'summary').reduce((sum, request) => sum + request.serialized.length, 0);
  return {
    requests,
    shares: current.shares,
    previousLayoutShares: previous.shares,
    cachedTokens: current.cached / CHARS_PER_TOKEN,
    uncachedTokens: (current.total - current.cached + summaryChars) / CHARS_PER_TOKEN,
    summaryTokens: summaryChars / CHARS_PER_TOKEN,
    messages: MESSAGES,
  };
}

export function promptCacheRows(figures: PromptCacheFigures): BenchRow[] {
  const share = median(figures.shares);
  const previous = median(figures.previousLayoutShares);
  const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
  return [
    {
      metric: 'prompt prefix share (median per request)',
      value: `${pct(share)} now; ${pct(previous)} with the previous layout (time in the system prompt)`,
      target: `>= ${pct(TARGET_SHARE)}`,
      pass: share >= TARGET_SHARE,
      data: { share, previous, requests: figures.shares.length + 1, messages: figures.messages },
    },
  ];
}
