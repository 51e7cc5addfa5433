import type { Node } from 'constructs';
import { isValidTimezone } from '../agent/config.ts';
import { parseTelegramIds } from '../agent/telegram-ids.ts';
import { PROVIDERS, REASONING_LEVELS, type ModelProvider, type ReasoningLevel } from '../agent/providers.ts';

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
}

/** Reads and validates the context so that a typo fails synth instead of a cold start. */
export function readHermesSettings(node: Node): HermesSettings {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null) return undefined;
    const trimmed = String(value).trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const provider = text('provider') ?? 'deepseek';
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new Error(`Context "provider" must be one of ${PROVIDERS.join(', ')}; got "${provider}".`);
  }
  const timezone = text('timezone') ?? 'UTC';
  if (!isValidTimezone(timezone)) {
    throw new Error(`Context "timezone" must be an IANA time zone such as Europe/Berlin; got "${timezone}".`);
  }
  const reasoning = text('reasoning');
  if (reasoning !== undefined && !(REASONING_LEVELS as readonly string[]).includes(reasoning)) {
    throw new Error(`Context "reasoning" must be one of ${REASONING_LEVELS.join(', ')}; got "${reasoning}".`);
  }
  const alarmEmail = text('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context "alarmEmail" must be an e-mail address; got "${alarmEmail}".`);
  }
  const model = text('model');
  return {
    provider: provider as ModelProvider,
    ...(model ? { model } : {}),
    timezone,
    ...(reasoning ? { reasoning: reasoning as ReasoningLevel } : {}),
    allowedUsers: normalizeAllowedUsers(text('allowedUsers') ?? ''),
    ...(alarmEmail ? { alarmEmail } : {}),
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
