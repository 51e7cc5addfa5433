import { deepseekThinkingText } from '../../stand-ins/provider-wire.ts';
import type { RecordedExchange } from '../../stand-ins/replay-model-server.ts';

/** A DeepSeek chat completion that answers with plain text, as the replay server sends it back. */
export function deepseekText(text: string, delayMs = 0): RecordedExchange {
  return { delayMs, response: deepseekThinkingText(text) };
}

/** A DeepSeek error answer; `message` is what the provider puts in its error body. */
export function deepseekError(status: number, message: string): RecordedExchange {
  return { status, response: { error: { message, type: 'api_error', code: null } } };
}
