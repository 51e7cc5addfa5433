import { SECRET_KEYS } from '../agent/secret-keys.ts';
import { ConfigError } from '../tools/errors.ts';
import { oncePerContainer } from './once-per-container.ts';

/**
 * Secrets never sit in the function's plain environment: the template only carries the secret's ARN, and the
 * values are read once per container into process.env before the config is validated. Values already in the
 * environment win, which keeps local runs and tests free of Secrets Manager.
 */
const secrets = oncePerContainer(readSecrets);

export function loadSecretsIntoEnv(): Promise<void> {
  return secrets.get();
}

/** Tests switch environments within one process. */
export function forgetLoadedSecrets(): void {
  secrets.forget();
}

async function readSecrets(): Promise<void> {
  const env = process.env;
  const arn = env.HERMES_SECRETS_ARN;
  if (!arn) return;
  // Loaded only when a secret is configured: local runs and refused requests never pay for the SDK.
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  let values: Record<string, unknown>;
  try {
    values = JSON.parse(SecretString ?? '') as Record<string, unknown>;
  } catch {
    throw new ConfigError('HERMES_SECRETS_ARN', 'the secret must hold a JSON object with TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and DEEPSEEK_API_KEY.');
  }
  for (const key of Object.values(SECRET_KEYS)) {
    const value = values[key];
    if (typeof value === 'string' && value !== '' && !env[key]) env[key] = value;
  }
}

/** The webhook secret, needed before anything else so that refused requests cost almost nothing. */
export async function webhookSecret(): Promise<string> {
  await loadSecretsIntoEnv();
  const secret = process.env.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required: without it anyone could post updates to the Function URL.');
  return secret;
}
