import type { Node } from 'constructs';
import { isValidTimezone, loadConfig } from '../agent/config.ts';

export type ModelProvider = 'deepseek' | 'bedrock';

/** Deploy-time choices passed as CDK context (`-c provider=bedrock`); none of them is secret. */
export interface HermesSettings {
  provider: ModelProvider;
  model?: string;
  timezone: string;
  /** Comma-separated numeric Telegram user ids; empty only for offline synth and tests. */
  allowedUsers: string;
  alarmEmail?: string;
  /** Most instances the function may run at once; `none` leaves it unreserved (accounts below 110 concurrency). */
  reservedConcurrency?: number | 'none';
  /** The monthly cost, in USD, past which AWS Budgets alerts. */
  monthlyBudgetUsd?: number;
  /** The function's limits and skill admins, set as context under their variable names; validated at synth. */
  functionEnv?: Record<string, string>;
}

/** Function variables a deployment may set (README, Configuration); the rest are fixed by the stack or secret. */
export const FUNCTION_ENV_CONTEXT = [
  'HERMES_ADMIN_USERS',
  'HERMES_MAX_JOBS_PER_CHAT',
  'HERMES_MIN_JOB_INTERVAL_MINUTES',
  'HERMES_SKILLS_INDEX_CHARS',
  'HERMES_DAILY_TOKEN_BUDGET',
] as const;

export const DEFAULT_RESERVED_CONCURRENCY = 10;
export const DEFAULT_MONTHLY_BUDGET_USD = 10;

const PROVIDERS: readonly ModelProvider[] = ['deepseek', 'bedrock'];

/** Reads and validates the context so that a typo fails synth instead of a cold start. */
export function readHermesSettings(node: Node): HermesSettings {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null) return undefined;
    const trimmed = String(value).trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const provider = text('provider') ?? 'deepseek';
  if (!PROVIDERS.includes(provider as ModelProvider)) {
    throw new Error(`Context "provider" must be one of ${PROVIDERS.join(', ')}; got "${provider}".`);
  }
  const timezone = text('timezone') ?? 'UTC';
  if (!isValidTimezone(timezone)) {
    throw new Error(`Context "timezone" must be an IANA time zone such as Europe/Berlin; got "${timezone}".`);
  }
  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context "alarmEmail" must be an e-mail address; got "${alarmEmail}".`);
  }
  const model = text('model');
  const reserved = text('reservedConcurrency');
  if (reserved !== undefined && reserved !== 'none' && !/^[1-9]\d{0,3}$/.test(reserved)) {
    throw new Error(`Context "reservedConcurrency" must be a whole number from 1 to 9999, or "none"; got "${reserved}".`);
  }
  const budget = text('monthlyBudgetUsd');
  if (budget !== undefined && !(/^\d+(\.\d{1,2})?$/.test(budget) && Number(budget) > 0)) {
    throw new Error(`Context "monthlyBudgetUsd" must be a positive amount in USD such as 10 or 25.50; got "${budget}".`);
  }
  const functionEnv = Object.fromEntries(FUNCTION_ENV_CONTEXT.flatMap((key) => (text(key) === undefined ? [] : [[key, text(key)!]])));
  // The function would refuse these at its cold start; refusing them here fails the deploy instead.
  loadConfig(functionEnv);
  return {
    provider: provider as ModelProvider,
    ...(model ? { model } : {}),
    timezone,
    allowedUsers: normalizeAllowedUsers(text('allowedUsers') ?? ''),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(reserved !== undefined ? { reservedConcurrency: reserved === 'none' ? ('none' as const) : Number(reserved) } : {}),
    ...(budget !== undefined ? { monthlyBudgetUsd: Number(budget) } : {}),
    ...(Object.keys(functionEnv).length > 0 ? { functionEnv } : {}),
  };
}

/** Accepts "1, 2,3" as typed by people and stores the canonical "1,2,3" the function expects. */
export function normalizeAllowedUsers(raw: string): string {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const invalid = ids.find((id) => !/^\d+$/.test(id));
  if (invalid !== undefined) {
    throw new Error(`Allowed users must be numeric Telegram user ids separated by commas; "${invalid}" is not one.`);
  }
  return ids.join(',');
}
