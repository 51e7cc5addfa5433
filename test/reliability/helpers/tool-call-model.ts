import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Content } from '@ai-sdk/provider';
import { TIME_STAMP_PREFIX } from '../../../agent/turn-rendering.ts';
import { isSummaryCall, lastUserText } from '../../stand-ins/instant-model.ts';
import { textResult } from '../../stand-ins/mock-model.ts';

export interface ScriptedCall {
  toolName: string;
  input: Record<string, unknown>;
}

export interface ToolCallModel {
  model: LanguageModelV4;
  /** Every chat call, in order; each turn is one call that asks for the tools and one that answers. */
  calls: number;
  /** What each tool returned, as the model saw it on its second call. */
  toolResults: unknown[];
}

const usage = { inputTokens: { total: 1_000, noCache: 800, cacheRead: 200, cacheWrite: 0 }, outputTokens: { total: 50, text: 40, reasoning: 10 } };

/**
 * A model that, for a new user message, thinks (a reasoning part, as DeepSeek's thinking mode returns) and calls
 * the scripted tools in one step, then answers once it reads their results.
 */
export function toolCallModel(script: (userText: string) => ScriptedCall[], answer = 'Done.'): ToolCallModel {
  const state: ToolCallModel = {
    calls: 0,
    toolResults: [],
    model: {
      specificationVersion: 'v4',
      provider: 'reliability',
      modelId: 'tool-caller',
      supportedUrls: {},
      doGenerate: async (call: LanguageModelV4CallOptions) => {
        if (isSummaryCall(call.prompt)) return textResult('Summary.');
        state.calls++;
        const last = call.prompt.at(-1);
        if (last?.role === 'tool') {
          for (const part of last.content) if (part.type === 'tool-result') state.toolResults.push(part.output);
          return textResult(answer);
        }
        const content: LanguageModelV4Content[] = [
          { type: 'reasoning', text: `Thinking about it. ${'Considering the details. '.repeat(2_000)}` },
          ...script(lastUserText(call.prompt).replace(TIME_STAMP_PREFIX, '')).map((scripted, index) => ({
            type: 'tool-call' as const,
            toolCallId: `call_${state.calls}_${index}`,
            toolName: scripted.toolName,
            input: JSON.stringify(scripted.input),
          })),
        ];
        return { content, finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage, warnings: [] };
      },
      doStream: () => Promise.reject(new Error('the tool-call model only answers generateText calls')),
    },
  };
  return state;
}
