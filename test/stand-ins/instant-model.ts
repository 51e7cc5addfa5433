import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { TIME_STAMP_PREFIX } from '../../agent/turn-rendering.ts';
import { textResult } from './mock-model.ts';

export interface InstantModel {
  model: LanguageModelV4;
  /**
   * What each chat call would send a provider, in call order, when `keepPrompts` is set: the prompt and the
   * tool definitions, which providers count as input tokens too.
   */
  chatRequests: Array<Pick<LanguageModelV4CallOptions, 'prompt' | 'tools'>>;
  /** The user text each chat call ended with, in call order. */
  userTexts: string[];
  /** The transcript each compaction call was given (its user message), in call order. */
  summaryInputs: string[];
}

export interface InstantModelOptions {
  /** What compaction gets back; a realistic length keeps prompt-size measurements honest. */
  summaryText?: string;
  reply?: (userText: string) => string;
  /** Only measurements of prompt size keep the prompts: a long run would otherwise grow the heap every turn. */
  keepPrompts?: boolean;
}

/**
 * A model that answers at once, so whatever time a turn takes is the pipeline's own. Unlike the SDK's mock it
 * keeps no prompts unless asked to.
 */
export function instantModel(options: InstantModelOptions = {}): InstantModel {
  const reply = options.reply ?? ((userText: string) => `Noted: ${userText.slice(0, 200)}`);
  const state: InstantModel = {
    chatRequests: [],
    userTexts: [],
    summaryInputs: [],
    model: {
      specificationVersion: 'v4',
      provider: 'bench',
      modelId: 'instant',
      supportedUrls: {},
      doGenerate: async (call: LanguageModelV4CallOptions) => {
        if (isSummaryCall(call.prompt)) {
          state.summaryInputs.push(lastUserText(call.prompt));
          return textResult(options.summaryText ?? `Summary ${state.summaryInputs.length} of the earlier conversation.`);
        }
        const userText = lastUserText(call.prompt).replace(TIME_STAMP_PREFIX, '');
        if (options.keepPrompts) state.chatRequests.push({ prompt: call.prompt, tools: call.tools });
        state.userTexts.push(userText);
        return textResult(reply(userText));
      },
      doStream: () => Promise.reject(new Error('the instant model only answers generateText calls')),
    },
  };
  return state;
}

/** A compaction call: its system prompt is the summary instructions. */
export function isSummaryCall(prompt: LanguageModelV4Prompt): boolean {
  const system = prompt.find((message) => message.role === 'system');
  return typeof system?.content === 'string' && system.content.includes('running summary');
}

export function lastUserText(prompt: LanguageModelV4Prompt): string {
  const last = prompt.findLast((message) => message.role === 'user');
  if (!last || typeof last.content === 'string') return '';
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
