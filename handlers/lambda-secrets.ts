import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../agent/errors.ts';

const SECRET_KEYS = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DEEPSEEK_API_KEY'] as const;

/**
 * Secrets never sit in the function's plain environment: the template only carries the secret's ARN, and the
 * values are read once per cold start into process.env before the config is validated. Values already in the
 * environment win, which keeps local runs and tests free of Secrets Manager.
 */
export async function loadSecretsIntoEnv(env: NodeJS.ProcessEnv = process.env, client = new SecretsManagerClient({})): Promise<void> {
  const arn = env.HERMES_SECRETS_ARN;
  if (!arn) return;
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  let values: Record<string, unknown>;
  try {
    values = JSON.parse(SecretString ?? '') as Record<string, unknown>;
  } catch {
    throw new ConfigError('HERMES_SECRETS_ARN', 'the secret must hold a JSON object with TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and DEEPSEEK_API_KEY.');
  }
  for (const key of SECRET_KEYS) {
    const value = values[key];
    if (typeof value === 'string' && value !== '' && !env[key]) env[key] = value;
  }
}
