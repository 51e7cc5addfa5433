import { SECRET_KEYS } from '../agent/secret-keys.ts';
import { ConfigError, errorMessage } from '../tools/errors.ts';
import { oncePerContainer } from './once-per-container.ts';

/**
 * How long a container trusts the values it read before it looks again: the AWS Parameters and Secrets Lambda
 * Extension caches a secret this long by default (SECRETS_MANAGER_TTL, 300 s). A key rotated in the secret, by
 * `npm run deploy` or by hand, is used within this time, not whenever Lambda happens to recycle the container.
 */
const SECRETS_TTL_MS = 5 * 60_000;

interface Loaded {
  /** HERMES_SECRETS_ARN, read once at the cold start with the secret itself, before the config is validated. */
  arn: string;
  at: number;
  version: string | undefined;
  /** The variables this container took from the secret; the others were set by the environment, and win. */
  fromSecret: ReadonlySet<string>;
}

let loaded: Loaded | undefined;
const changeListeners = new Set<() => void>();

/**
 * Secrets never sit in the function's plain environment: the template only carries the secret's ARN, and the
 * values are read into process.env before the config is validated. Values already in the environment win, which
 * keeps local runs and tests free of Secrets Manager.
 */
const secrets = oncePerContainer(readSecrets);

export function loadSecretsIntoEnv(): Promise<void> {
  return secrets.get();
}

/** Whatever was built from the secret's values (the bot, the model, the ack path) is built again when they change. */
export function onSecretsChanged(listener: () => void): void {
  changeListeners.add(listener);
}

/**
 * Reads the secret again once the values read are older than the TTL. When they changed, the environment takes the
 * new ones and the listeners forget what they built from the old. A failed read keeps the old values until the next
 * try, a TTL later.
 */
export async function refreshStaleSecrets(now: number = Date.now()): Promise<void> {
  const previous = loaded;
  if (!previous || now - previous.at < SECRETS_TTL_MS) return;
  loaded = { ...previous, at: now };
  let read: SecretRead;
  try {
    read = await fetchSecret(previous.arn, REFRESH_CLIENT);
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', message: 'could not read the secret again; keeping the values read before', error: errorMessage(error) }));
    return;
  }
  if (read.version !== undefined && read.version === previous.version) return;
  const before = Object.values(SECRET_KEYS).map((key) => process.env[key]);
  for (const key of previous.fromSecret) delete process.env[key];
  loaded = { arn: previous.arn, at: now, version: read.version, fromSecret: intoEnv(read.values) };
  if (Object.values(SECRET_KEYS).some((key, index) => process.env[key] !== before[index])) {
    for (const listener of changeListeners) listener();
  }
}

/** Tests switch environments within one process. */
export function forgetLoadedSecrets(): void {
  secrets.forget();
  loaded = undefined;
}

async function readSecrets(): Promise<void> {
  const arn = process.env.HERMES_SECRETS_ARN;
  if (!arn) return;
  const read = await fetchSecret(arn);
  loaded = { arn, at: Date.now(), version: read.version, fromSecret: intoEnv(read.values) };
}

interface SecretRead {
  version: string | undefined;
  values: Record<string, unknown>;
}

/**
 * A look while the container already holds good values must not hold up the request it runs in (a Telegram ack):
 * one try, given up after two seconds. Without values yet, the SDK's own retries and timeouts apply.
 */
const REFRESH_CLIENT = { maxAttempts: 1, giveUpAfterMs: 2_000 };

async function fetchSecret(arn: string, { maxAttempts, giveUpAfterMs }: { maxAttempts?: number; giveUpAfterMs?: number } = {}): Promise<SecretRead> {
  // Loaded only when a secret is configured: local runs and refused requests never pay for the SDK.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient(maxAttempts === undefined ? {} : { maxAttempts });
  const { SecretString, VersionId } = await client.send(new GetSecretValueCommand({ SecretId: arn }), giveUpAfterMs === undefined ? {} : { abortSignal: AbortSignal.timeout(giveUpAfterMs) });
  try {
    return { version: VersionId, values: JSON.parse(SecretString ?? '') as Record<string, unknown> };
  } catch {
    throw new ConfigError('HERMES_SECRETS_ARN', 'the secret must hold a JSON object with TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and DEEPSEEK_API_KEY.');
  }
}

/** Sets each key the environment does not set itself; returns the keys it set. */
function intoEnv(values: Record<string, unknown>): Set<string> {
  const set = new Set<string>();
  for (const key of Object.values(SECRET_KEYS)) {
    const value = values[key];
    if (typeof value === 'string' && value !== '' && !process.env[key]) {
      process.env[key] = value;
      set.add(key);
    }
  }
  return set;
}

/** The webhook secret, needed before anything else so that refused requests cost almost nothing. */
export async function webhookSecret(): Promise<string> {
  await loadSecretsIntoEnv();
  const secret = process.env.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required: without it anyone could post updates to the Function URL.');
  return secret;
}
