import type { ModelMessage } from 'ai';
import { sliceWhole } from '../tools/char-count.ts';

/** DynamoDB items stop at 400 KB; a turn stays well below so keys, attributes and a summary always fit too. */
export const MAX_TURN_BYTES = 300_000;
const MAX_PART_CHARS = 24_000;
const MIN_PART_CHARS = 200;
/** The last-resort form: the user's words and the answer, each this long at most (4 bytes a character at worst). */
const LAST_RESORT_USER_CHARS = 4_000;
const LAST_RESORT_ANSWER_CHARS = 8_000;
export const DROPPED_STEPS_NOTE = '[The tool calls and results of this turn were too large to keep in the history.]';
/** Stands in for a file a tool showed the model (media_view): its bytes stay in the media store, not in the session. */
export const FILE_NOT_KEPT_NOTE = '[The file was shown here; open it again with media_view to see it.]';

/**
 * Clips every part of a turn before it is stored (text, reasoning, tool-call inputs and tool results), so one huge
 * part can neither break the store's item limit nor crowd every later prompt. The clipped text says so, for the
 * model to see. Parts shrink together until the turn fits; a turn of so many parts that even the smallest clip
 * does not fit is kept as its user message and final answer. The reasoning of a message that made tool calls is
 * never changed: DeepSeek requires it passed back in full with every later request (thinking mode guide, checked
 * 2026-12-01) and Bedrock checks its signature, so such a turn that is too large falls back to the last-resort form,
 * which has no tool calls. Other reasoning is clipped like text. Files in tool results (media_view) become a note.
 */
export function boundTurnMessages(messages: ModelMessage[]): ModelMessage[] {
  // The answer is what a retry sends again when its reply was lost (reply-ledger.ts): it stays whole while the turn
  // fits, or the user would get it cut, with the clip marker, in place of what the model wrote.
  const answer = answerIndex(messages);
  const clipped = (limit: number, answerLimit: number) => messages.map((message, index) => clipMessage(message, index === answer ? answerLimit : limit));
  for (const keepAnswer of [true, false]) {
    let limit = MAX_PART_CHARS;
    let bounded = clipped(limit, keepAnswer ? Infinity : limit);
    while (turnBytes(bounded) > MAX_TURN_BYTES && limit > MIN_PART_CHARS) {
      limit = Math.max(MIN_PART_CHARS, Math.floor(limit / 2));
      bounded = clipped(limit, keepAnswer ? Infinity : limit);
    }
    if (turnBytes(bounded) <= MAX_TURN_BYTES) return bounded;
  }
  return lastResortTurn(messages);
}

/** The last assistant message with text: the turn's answer. */
function answerIndex(messages: ModelMessage[]): number {
  return messages.findLastIndex((message) => message.role === 'assistant' && textOf(message).trim() !== '');
}

export function turnBytes(messages: ModelMessage[]): number {
  return Buffer.byteLength(JSON.stringify(messages));
}

/**
 * The user's message and the final answer as plain text, without the steps between: always far below the limit,
 * and a valid conversation for every provider (no tool call is left without its result or reasoning).
 */
export function lastResortTurn(messages: ModelMessage[]): ModelMessage[] {
  const user = messages.find((message) => message.role === 'user');
  const answer = [...messages].reverse().find((message) => message.role === 'assistant' && textOf(message).trim() !== '');
  const answerText = answer ? clip(textOf(answer), LAST_RESORT_ANSWER_CHARS) : '';
  return [
    { role: 'user', content: clip(user ? textOf(user) : '', LAST_RESORT_USER_CHARS) },
    { role: 'assistant', content: [answerText, DROPPED_STEPS_NOTE].filter(Boolean).join('\n\n') },
  ];
}

function textOf(message: ModelMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function clip(text: string, limit: number): string {
  const kept = sliceWhole(text, limit);
  return kept.length === text.length ? text : `${kept}\n[… ${text.length - kept.length} characters clipped]`;
}

function clipMessage(message: ModelMessage, limit: number): ModelMessage {
  if (typeof message.content === 'string') return { ...message, content: clip(message.content, limit) } as ModelMessage;
  const madeToolCalls = message.content.some((part) => part.type === 'tool-call');
  const content = message.content.map((part) => {
    switch (part.type) {
      case 'reasoning':
        return madeToolCalls ? part : { ...part, text: clip(part.text, limit) };
      case 'text':
        return { ...part, text: clip(part.text, limit) };
      case 'tool-call':
        return { ...part, input: clipInput(part.input, limit) };
      case 'tool-result': {
        const output = withoutFiles(part.output);
        const serialized = JSON.stringify(output);
        if (serialized.length <= limit) return output === part.output ? part : { ...part, output };
        return { ...part, output: { type: 'text' as const, value: clip(serialized, limit) } };
      }
      default:
        return part;
    }
  });
  return { ...message, content } as ModelMessage;
}

type ToolOutput = Extract<Exclude<ModelMessage['content'], string>[number], { type: 'tool-result' }>['output'];

function withoutFiles(output: ToolOutput): ToolOutput {
  if (output.type !== 'content' || output.value.every((part) => part.type === 'text')) return output;
  return { ...output, value: output.value.map((part) => (part.type === 'text' ? part : { type: 'text' as const, text: FILE_NOT_KEPT_NOTE })) };
}

/**
 * A tool call's arguments stay an object of the same shape where possible (each long string clipped), so the model
 * still reads which call it made; arguments that are large by their number of fields become one clipped string.
 */
function clipInput(input: unknown, limit: number): unknown {
  if (JSON.stringify(input ?? null).length <= limit) return input;
  const leaves = clipStrings(input, limit);
  const serialized = JSON.stringify(leaves ?? null);
  return serialized.length <= limit * 2 ? leaves : { clipped_arguments: clip(serialized, limit) };
}

function clipStrings(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return clip(value, limit);
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, limit));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clipStrings(inner, limit)]));
  }
  return value;
}
