import type { Node } from 'constructs';
import { isValidTimezone } from '../agent/config.ts';
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
  /** The chat surface's choices, passed to the function as its TELEGRAM_* and HERMES_MODELS variables. */
  chat?: ChatSettings;
}

/** Canonical strings, as the function's variables of the same meaning take them. */
export interface ChatSettings {
  /** TELEGRAM_ALLOWED_CHATS */
  allowedChats?: string;
  /** TELEGRAM_REQUIRE_MENTION */
  requireMention?: 'true' | 'false';
  /** TELEGRAM_ACK */
  ack?: 'typing' | 'reaction' | 'both' | 'none';
  /** HERMES_MODELS */
  models?: string;
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
  const chat = readChatSettings(text);
  return {
    provider: provider as ModelProvider,
    ...(model ? { model } : {}),
    timezone,
    ...(reasoning ? { reasoning: reasoning as ReasoningLevel } : {}),
    allowedUsers: normalizeAllowedUsers(text('allowedUsers') ?? ''),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(Object.keys(chat).length > 0 ? { chat } : {}),
  };
}

function readChatSettings(text: (key: string) => string | undefined): ChatSettings {
  const list = (key: string, item: RegExp, what: string): string | undefined => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((part) => part.trim()).filter(Boolean);
    const invalid = items.find((part) => !item.test(part));
    if (invalid !== undefined || items.length === 0) throw new Error(`Context "${key}" must be ${what} separated by commas; "${invalid ?? raw}" is not one.`);
    return items.join(',');
  };
  const oneOf = <T extends string>(key: string, values: readonly T[]): T | undefined => {
    const raw = text(key);
    if (raw === undefined) return undefined;
    if (!values.includes(raw as T)) throw new Error(`Context "${key}" must be one of ${values.join(', ')}; got "${raw}".`);
    return raw as T;
  };
  const allowedChats = list('allowedChats', /^-?\d+$/, 'numeric Telegram chat ids');
  const requireMention = oneOf('requireMention', ['true', 'false'] as const);
  const ack = oneOf('ack', ['typing', 'reaction', 'both', 'none'] as const);
  const models = list('models', /^[\w.:/@-]+$/, 'model ids');
  return {
    ...(allowedChats ? { allowedChats } : {}),
    ...(requireMention ? { requireMention } : {}),
    ...(ack ? { ack } : {}),
    ...(models ? { models } : {}),
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
