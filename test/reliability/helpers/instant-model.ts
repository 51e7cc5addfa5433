import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import { MockLanguageModelV3 } from 'ai/test';
import { estimateTokens } from '../../../agent/tokens.ts';
import { textResult } from '../../helpers/mock-model.ts';

export interface InstantModel {
  model: MockLanguageModelV3;
  /** Estimated prompt tokens of each chat call, in call order; summary calls are counted apart. */
  chatPromptTokens: number[];
  /** The user text each chat call ended with, in call order. */
  userTexts: string[];
  /** The transcript each compaction call was given (its user message), in call order. */
  summaryInputs: string[];
}

export interface InstantModelOptions {
  /** What compaction gets back; a realistic length keeps prompt-size measurements honest. */
  summaryText?: string;
  reply?: (userText: string) => string;
}

/** A model that answers at once, so whatever time a turn takes is the pipeline's own. */
export function instantModel(options: InstantModelOptions = {}): InstantModel {
  const reply = options.reply ?? ((userText: string) => `Noted: ${userText.slice(0, 200)}`);
  const state: InstantModel = {
    chatPromptTokens: [],
    userTexts: [],
    summaryInputs: [],
    model: new MockLanguageModelV3({
      doGenerate: async (call: LanguageModelV3CallOptions) => {
        if (isSummaryCall(call.prompt)) {
          state.summaryInputs.push(lastUserText(call.prompt));
          return textResult(options.summaryText ?? `Summary ${state.summaryInputs.length} of the earlier conversation.`);
        }
        const userText = lastUserText(call.prompt);
        state.chatPromptTokens.push(estimateTokens(JSON.stringify(call.prompt)));
        state.userTexts.push(userText);
        return textResult(reply(userText));
      },
    }),
  };
  return state;
}

function isSummaryCall(prompt: LanguageModelV3Prompt): boolean {
  const system = prompt.find((message) => message.role === 'system');
  return typeof system?.content === 'string' && system.content.includes('running summary');
}

function lastUserText(prompt: LanguageModelV3Prompt): string {
  const last = prompt.findLast((message) => message.role === 'user');
  if (!last || typeof last.content === 'string') return '';
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
