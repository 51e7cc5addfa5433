import type { ModelMessage } from 'ai';

/** DynamoDB items stop at 400 KB; a turn stays well below so keys and attributes always fit too. */
export const MAX_TURN_BYTES = 300_000;
const MAX_PART_CHARS = 24_000;

/**
 * Clips oversized text and tool outputs before a turn is stored, so one huge tool result can neither break
 * the store's item limit nor crowd every later prompt. The clipped text says so, for the model to see.
 */
export function boundTurnMessages(messages: ModelMessage[]): ModelMessage[] {
  let limit = MAX_PART_CHARS;
  let bounded = messages.map((message) => clipMessage(message, limit));
  while (Buffer.byteLength(JSON.stringify(bounded)) > MAX_TURN_BYTES && limit > 200) {
    limit = Math.floor(limit / 2);
    bounded = messages.map((message) => clipMessage(message, limit));
  }
  return bounded;
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n[… ${text.length - limit} characters clipped]`;
}

function clipMessage(message: ModelMessage, limit: number): ModelMessage {
  if (typeof message.content === 'string') return { ...message, content: clip(message.content, limit) } as ModelMessage;
  const content = message.content.map((part) => {
    if (part.type === 'text') return { ...part, text: clip(part.text, limit) };
    if (part.type === 'tool-result') {
      const serialized = JSON.stringify(part.output);
      if (serialized.length <= limit) return part;
      return { ...part, output: { type: 'text' as const, value: clip(serialized, limit) } };
    }
    return part;
  });
  return { ...message, content } as ModelMessage;
}
