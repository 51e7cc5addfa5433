import type { JSONObject } from '@ai-sdk/provider';
import { claudeThinkingOff } from './claude-thinking.ts';

/**
 * The model providers, their default models and thinking levels: the one place the rest of the code (config,
 * infra, evals, tests) takes them from.
 */
export const PROVIDERS = ['deepseek', 'bedrock'] as const;
export type ModelProvider = (typeof PROVIDERS)[number];

/**
 * DeepSeek's "Models & Pricing" page (checked 2026-12-01) names `deepseek-flash` (DeepSeek-V4.1-Flash) as the model
 * to use. Claude Sonnet 5.5 is the current Sonnet in the installed `@ai-sdk/amazon-bedrock` list; the `us.` id is
 * its cross-region inference profile.
 */
export const DEFAULT_MODELS: Record<ModelProvider, string> = {
  deepseek: 'deepseek-flash',
  bedrock: 'us.anthropic.claude-sonnet-5-5',
};

/** Converse: "each image's size … no more than 3.75 MB" (Bedrock API Reference, Message, read 2026-12-02). */
export const BEDROCK_IMAGE_MAX_BYTES = 3_750_000;

/**
 * The most bytes of files one model request may carry, before base64. Files travel base64-encoded (4/3 larger),
 * next to the history and the tools. DeepSeek refuses a body past 48 MiB (Vision guide, read 2026-12-02); Claude on
 * Bedrock a request past 32 MB ("API restrictions", Bedrock User Guide), Nova one past 25 MB. Every request of a turn
 * repeats the user's files and those tools opened, so the allowance is the turn's.
 */
export const MEDIA_BYTES_PER_REQUEST: Record<ModelProvider, number> = {
  deepseek: 32 * 1024 * 1024,
  bedrock: 16 * 1024 * 1024,
};

/**
 * The most output tokens one answer of a provider's models may ask for; a request past it is refused, every time.
 * DeepSeek's "Models & Pricing": 384K for deepseek-flash and deepseek-v4-pro. Anthropic's model pages: 128K for
 * Claude Sonnet 5.5 and the other current Claude models (read 2026-12-02).
 */
export const MAX_OUTPUT_TOKENS: Record<ModelProvider, number> = {
  deepseek: 393_216,
  bedrock: 128_000,
};

/**
 * Model ids a provider no longer serves, with the id that replaces each. DeepSeek made these retired ids
 * inaccessible after 2026-07-24 15:59 UTC; a request naming one fails with HTTP 400 at the first message.
 */
export const RETIRED_MODELS: Readonly<Record<string, { replacement: string; retiredOn: string }>> = {
  'deepseek-chat': { replacement: 'deepseek-flash', retiredOn: '2026-07-24' },
  'deepseek-reasoner': { replacement: 'deepseek-flash', retiredOn: '2026-07-24' },
};

/** What the owner checks when a provider refuses the bot's credentials (HTTP 401 or 403). */
export const CREDENTIALS: Record<ModelProvider, string> = {
  deepseek: 'DEEPSEEK_API_KEY',
  bedrock: 'AWS_BEARER_TOKEN_BEDROCK, or the AWS credentials when it is not set',
};

/**
 * What else a refused access (HTTP 403) may mean. On Bedrock most often the account is not yet subscribed to a
 * third-party model, which its first call does only for a caller allowed to subscribe ("Request access to models",
 * Bedrock User Guide, read 2026-12-02); the function's role is not.
 */
export const ACCESS_CHECKS: Record<ModelProvider, string> = {
  deepseek: 'that the model is enabled for the key',
  bedrock: 'that the account may use the model: one prompt in the Bedrock console playground subscribes it',
};

/** `HERMES_REASONING`: how much the model thinks before it answers. */
export const REASONING_LEVELS = ['off', 'low', 'high', 'max'] as const;
export type ReasoningLevel = (typeof REASONING_LEVELS)[number];

/** What `generateText` takes for a thinking level. */
export interface ReasoningSettings {
  reasoning: 'none' | 'low' | 'high' | 'xhigh';
  providerOptions?: { deepseek: { reasoningEffort: 'max' } } | { bedrock: { additionalModelRequestFields: JSONObject } };
}

/**
 * The AI SDK's provider-neutral `reasoning` value for a level, which the provider packages map: DeepSeek to
 * `thinking: {type}` and `reasoning_effort`, Bedrock Claude to adaptive thinking with an `output_config.effort`.
 * Neither package maps `max` (both warn and drop it), so DeepSeek gets its own `reasoning_effort: max` and Claude its
 * highest effort the package knows. The Bedrock package reads `none` as "send nothing", which newer Claude models
 * take as thinking at their default effort (high), so `off` names each model's least (see claude-thinking.ts).
 */
export function reasoningSettings(provider: ModelProvider, level: ReasoningLevel, model: string): ReasoningSettings {
  if (level === 'off') return provider === 'bedrock' ? claudeLeastThinking(model) : { reasoning: 'none' };
  if (level !== 'max') return { reasoning: level };
  return provider === 'deepseek' ? { reasoning: 'high', providerOptions: { deepseek: { reasoningEffort: 'max' } } } : { reasoning: 'xhigh' };
}

function claudeLeastThinking(model: string): ReasoningSettings {
  const off = claudeThinkingOff(model);
  if (off === 'least-effort') return { reasoning: 'low' };
  if (off === 'between-tools') return withThinkingFields({ thinking: { type: 'between_tools' }, output_config: { effort: 'low' } });
  if (off === 'disabled') return withThinkingFields({ thinking: { type: 'disabled' } });
  return { reasoning: 'none' };
}

function withThinkingFields(additionalModelRequestFields: JSONObject): ReasoningSettings {
  return { reasoning: 'none', providerOptions: { bedrock: { additionalModelRequestFields } } };
}
