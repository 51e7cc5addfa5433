import { LanguageCode } from '@aws-sdk/client-transcribe';
import type { Node } from 'constructs';
import { parseTelegramIds } from '../agent/telegram-ids.ts';
import { PROVIDERS, REASONING_LEVELS, type ModelProvider, type ReasoningLevel } from '../agent/providers.ts';
import { canonicalTimezone, loadConfig } from '../agent/config.ts';

/** Deploy-time choices passed as CDK context (`-c provider=bedrock`); none of them is secret. */
export interface HermesSettings {
  provider: ModelProvider;
  model?: string;
  timezone: string;
  /** How much the model thinks (HERMES_REASONING); the function's own default when unset. */
  reasoning?: ReasoningLevel;
  /** Comma-separated numeric Telegram user ids; empty only for offline synth and tests. */
  allowedUsers: string;
  alarmEmail?: string;
  /** Most turns the worker runs at once; `none` reserves nothing, for the worker or the webhook (accounts below 113 concurrency). */
  reservedConcurrency?: number | 'none';
  /** The monthly cost, in USD, past which AWS Budgets alerts. */
  monthlyBudgetUsd?: number;
  /** The function's limits and skill admins, set as context under their variable names; validated at synth. */
  functionEnv?: Record<string, string>;
  /** The function's timeout, which bounds one turn of the worker (60-900 s). */
  workerTimeoutSeconds: number;
  /**
   * HERMES_SESSION_TTL_DAYS, which the function applies to the conversation rows: received files, and the conversation
   * events AgentCore keeps, are kept as long as the rows that mention them.
   */
  sessionTtlDays: number;
}

/** Several minutes: a thinking model with a few tool steps fits, and a failed turn is retried soon after. */
const DEFAULT_WORKER_TIMEOUT_SECONDS = 300;

/** Function variables a deployment may set (README, Configuration); the rest are fixed by the stack or secret. */
export const FUNCTION_ENV_CONTEXT = [
  'HERMES_ADMIN_USERS',
  'HERMES_MAX_JOBS_PER_CHAT',
  'HERMES_MIN_JOB_INTERVAL_MINUTES',
  'HERMES_SKILLS_INDEX_CHARS',
  'HERMES_DAILY_TOKEN_BUDGET',
  'TELEGRAM_ALLOWED_CHATS',
  'TELEGRAM_REQUIRE_MENTION',
  'HERMES_GROUP_SESSIONS_PER_USER',
  'HERMES_THREAD_SESSIONS_PER_USER',
  'TELEGRAM_ACK',
  'HERMES_MODELS',
  'HERMES_SESSION_TTL_DAYS',
  'TELEGRAM_BOT_USERNAME',
  'HERMES_TRANSCRIBE_LANGUAGE',
  'HERMES_VOICE_MAX_SECONDS',
  'HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS',
  'HERMES_TELEGRAM_TEXT_BATCH_SPLIT_DELAY_SECONDS',
  // Set here, a level survives the next deploy, which a console edit does not, and a typo fails the deploy instead of
  // every cold start.
  'HERMES_LOG_LEVEL',
  'HERMES_PROMPT_CACHE_TTL',
] as const;

export const DEFAULT_MONTHLY_BUDGET_USD = 10;

/**
 * The variable of `npm run deploy` each context key comes from (cdk-deploy-args.ts); the function's variables are
 * context under their own names. Errors name both, for whoever set either.
 */
export const CONTEXT_VARIABLES: Record<string, string> = {
  provider: 'HERMES_PROVIDER',
  model: 'HERMES_MODEL',
  timezone: 'HERMES_TIMEZONE',
  reasoning: 'HERMES_REASONING',
  allowedUsers: 'TELEGRAM_ALLOWED_USERS',
  alarmEmail: 'HERMES_ALARM_EMAIL',
  reservedConcurrency: 'HERMES_RESERVED_CONCURRENCY',
  monthlyBudgetUsd: 'HERMES_MONTHLY_BUDGET_USD',
  workerTimeoutSeconds: 'HERMES_WORKER_TIMEOUT_SECONDS',
};

/** How a context value is named in an error: its deploy variable, then the context key a `cdk` user passes. */
const named = (key: string) => `${CONTEXT_VARIABLES[key]} (context "${key}")`;

/** Reads and validates the context so that a typo fails synth instead of a cold start. */
export function readHermesSettings(node: Node): HermesSettings {
  return hermesSettingsOf((key) => node.tryGetContext(key));
}

/** The same from any source of context values, so `npm run deploy` can refuse a value before it runs cdk. */
export function hermesSettingsOf(contextValue: (key: string) => unknown): HermesSettings {
  const text = (key: string): string | undefined => {
    const value: unknown = contextValue(key);
    if (value === undefined || value === null) return undefined;
    const trimmed = String(value).trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const provider = text('provider') ?? 'deepseek';
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`${named('provider')} must be one of ${PROVIDERS.join(', ')}; got "${provider}".`);
  }
  const timezoneText = text('timezone') ?? 'UTC';
  const timezone = canonicalTimezone(timezoneText);
  if (timezone === undefined) {
    throw new Error(`${named('timezone')} must be an IANA time zone such as Europe/Berlin; got "${timezoneText}".`);
  }
  const reasoning = text('reasoning');
  if (reasoning !== undefined && !(REASONING_LEVELS as readonly string[]).includes(reasoning)) {
    throw new Error(`${named('reasoning')} must be one of ${REASONING_LEVELS.join(', ')}; got "${reasoning}".`);
  }
  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`${named('alarmEmail')} must be an e-mail address; got "${alarmEmail}".`);
  }
  const model = text('model');
  const reserved = text('reservedConcurrency');
  // The worker's reservation is also the queue poller's maximum, which is at least 2 (hermes-stack.ts).
  if (reserved !== undefined && reserved !== 'none' && !(/^[1-9]\d{0,3}$/.test(reserved) && Number(reserved) >= 2)) {
    throw new Error(`${named('reservedConcurrency')} must be a whole number from 2 to 9999, or "none"; got "${reserved}".`);
  }
  const budget = text('monthlyBudgetUsd');
  if (budget !== undefined && !(/^\d+(\.\d{1,2})?$/.test(budget) && Number(budget) > 0)) {
    throw new Error(`${named('monthlyBudgetUsd')} must be a positive amount in USD such as 10 or 25.50; got "${budget}".`);
  }
  const functionEnv = Object.fromEntries(FUNCTION_ENV_CONTEXT.flatMap((key) => (text(key) === undefined ? [] : [[key, text(key)!]])));
  // The function would refuse these at its cold start; refusing them here fails the deploy instead.
  const functionConfig = loadConfig(functionEnv);
  const language = functionConfig.transcription.language;
  // The function checks only the shape, so its cold start need not load Transcribe's client; the deploy can.
  if (language !== undefined && !(Object.values(LanguageCode) as string[]).includes(language)) {
    throw new Error(`HERMES_TRANSCRIBE_LANGUAGE: "${language}" is not a language Amazon Transcribe knows (such as en-US, de-DE or ast-ES).`);
  }
  const workerTimeoutSeconds = Number(text('workerTimeoutSeconds') ?? DEFAULT_WORKER_TIMEOUT_SECONDS);
  if (!Number.isInteger(workerTimeoutSeconds) || workerTimeoutSeconds < 60 || workerTimeoutSeconds > 900) {
    throw new Error(`${named('workerTimeoutSeconds')} must be a whole number of seconds from 60 to 900 (Lambda's limit); got "${text('workerTimeoutSeconds')}".`);
  }
  return {
    provider: provider as ModelProvider,
    ...(model ? { model } : {}),
    timezone,
    ...(reasoning ? { reasoning: reasoning as ReasoningLevel } : {}),
    allowedUsers: normalizeAllowedUsers(text('allowedUsers') ?? ''),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(reserved !== undefined ? { reservedConcurrency: reserved === 'none' ? ('none' as const) : Number(reserved) } : {}),
    ...(budget !== undefined ? { monthlyBudgetUsd: Number(budget) } : {}),
    ...(Object.keys(functionEnv).length > 0 ? { functionEnv } : {}),
    workerTimeoutSeconds,
    sessionTtlDays: functionConfig.sessions.ttlDays,
  };
}

/** Accepts "1, 2,3" as typed by people and stores the canonical "1,2,3" the function expects. */
export function normalizeAllowedUsers(raw: string): string {
  try {
    return parseTelegramIds(raw).join(',');
  } catch (error) {
    throw new Error(`Allowed users ${(error as Error).message}.`);
  }
}
