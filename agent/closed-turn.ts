import type { ModelMessage, ToolModelMessage } from 'ai';

/** What the model reads for a call of its own that never ran. */
export const NOT_RUN_RESULT = 'Not run: the answer ended (cut off, filtered or interrupted by the provider) before this call could run.';

/**
 * Every tool call followed by a result before the next message of another kind, as the AI SDK requires of a prompt
 * (it refuses one without, `MissingToolResultsError`, before any request). A step that ends other than by "stop" or
 * "tool-calls" (DeepSeek's `length`, `content_filter`, `insufficient_system_resource`; Bedrock's `max_tokens`,
 * `malformed_tool_use`, `model_context_window_exceeded`) keeps the calls it wrote but runs none of them; stored as they
 * are, every later turn of the chat failed until compaction folded that one away. Each such call gets a result saying
 * it did not run, so the call, and the reasoning DeepSeek needs beside it, stay as the model wrote them.
 */
export function withResultForEveryCall(messages: ModelMessage[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  const open = new Map<string, string>();
  const close = () => {
    if (open.size === 0) return;
    const results: ToolModelMessage = {
      role: 'tool',
      content: [...open].map(([toolCallId, toolName]) => ({ type: 'tool-result', toolCallId, toolName, output: { type: 'error-text', value: NOT_RUN_RESULT } })),
    };
    out.push(results);
    open.clear();
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      for (const part of message.content) if (part.type === 'tool-result') open.delete(part.toolCallId);
      out.push(message);
      continue;
    }
    close();
    out.push(message);
    if (message.role === 'assistant' && typeof message.content !== 'string') {
      for (const part of message.content) if (part.type === 'tool-call' && !part.providerExecuted) open.set(part.toolCallId, part.toolName);
    }
  }
  close();
  return out.length === messages.length ? messages : out;
}

/** What closes a turn stored by an earlier version that ended on tool results. */
export const ENDED_AFTER_TOOLS = '(The answer ended here, after the tools above.)';

/**
 * A turn as it can be sent back: every call with its result, and the assistant's words last. A turn that ends on tool
 * results (cut off at the step limit or the deadline, or stopped, after a tool step) would merge with the next user
 * message into a tool-result continuation, which Claude with thinking refuses unless the call's message starts with a
 * thinking block, and earlier turns are sent without theirs (earlier-thinking.ts): every later turn failed.
 */
export function closedTurn(messages: ModelMessage[], closing: string = ENDED_AFTER_TOOLS): ModelMessage[] {
  const answered = withResultForEveryCall(messages);
  return answered.at(-1)?.role === 'tool' ? [...answered, { role: 'assistant', content: closing }] : answered;
}
