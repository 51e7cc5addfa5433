import type { Node } from 'constructs';
import { isValidTimezone } from '../agent/config.ts';

export type ModelProvider = 'deepseek' | 'bedrock';

/** Deploy-time choices passed as CDK context (`-c provider=bedrock`); none of them is secret. */
export interface HermesSettings {
  provider: ModelProvider;
  model?: string;
  timezone: string;
  /** Comma-separated numeric Telegram user ids; empty only for offline synth and tests. */
  allowedUsers: string;
  alarmEmail?: string;
  /** The function's timeout, which bounds one turn of the worker (60-900 s). */
  workerTimeoutSeconds: number;
}

const PROVIDERS: readonly ModelProvider[] = ['deepseek', 'bedrock'];
/** Several minutes: a thinking model with a few tool steps fits, and a failed turn is retried soon after. */
const DEFAULT_WORKER_TIMEOUT_SECONDS = 300;

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
  const workerTimeoutSeconds = Number(text('workerTimeoutSeconds') ?? DEFAULT_WORKER_TIMEOUT_SECONDS);
  if (!Number.isInteger(workerTimeoutSeconds) || workerTimeoutSeconds < 60 || workerTimeoutSeconds > 900) {
    throw new Error(`Context "workerTimeoutSeconds" must be a whole number of seconds from 60 to 900 (Lambda's limit); got "${text('workerTimeoutSeconds')}".`);
  }
  return {
    provider: provider as ModelProvider,
    ...(model ? { model } : {}),
    timezone,
    allowedUsers: normalizeAllowedUsers(text('allowedUsers') ?? ''),
    ...(alarmEmail ? { alarmEmail } : {}),
    workerTimeoutSeconds,
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
