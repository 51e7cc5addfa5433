import type { RecordedExchange } from '../../helpers/replay-model-server.ts';

/** A DeepSeek chat completion that answers with plain text, as the replay server sends it back. */
export function deepseekText(text: string, delayMs = 0): RecordedExchange {
  return {
    delayMs,
    response: {
      id: 'reliability',
      object: 'chat.completion',
      created: 1,
      model: 'deepseek-chat',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  };
}

/** A DeepSeek error answer; `message` is what the provider puts in its error body. */
export function deepseekError(status: number, message: string): RecordedExchange {
  return { status, response: { error: { message, type: 'api_error', code: null } } };
}
