import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetLoadedSecrets, loadSecretsIntoEnv, webhookSecret } from '../../handlers/lambda-secrets.ts';
import { jsonReply, startLocalHttpServer } from '../stand-ins/local-http-server.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hermes-abc123';

/** Secrets Manager speaks awsJson1_1: POST / with the operation in X-Amz-Target. */
async function fakeSecretsManager(secretString: string) {
  const calls: Array<{ target: string; body: unknown }> = [];
  const server = await startLocalHttpServer((req) => {
    calls.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(req.body) });
    return jsonReply(200, { ARN: SECRET_ARN, Name: 'hermes', SecretString: secretString }, { 'content-type': 'application/x-amz-json-1.1' });
  });
  return { server, endpoint: server.url, calls };
}

describe('secrets from Secrets Manager', () => {
  let fake: Awaited<ReturnType<typeof fakeSecretsManager>> | undefined;
  beforeEach(() => {
    forgetLoadedSecrets();
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    forgetLoadedSecrets();
    await fake?.server.close();
    fake = undefined;
  });

  it('reads the JSON secret once into the environment, keeping values already set', async () => {
    fake = await fakeSecretsManager(JSON.stringify({ TELEGRAM_BOT_TOKEN: '1:from-secret', TELEGRAM_WEBHOOK_SECRET: 'hook', DEEPSEEK_API_KEY: 'sk-secret' }));
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', fake.endpoint);
    vi.stubEnv('HERMES_SECRETS_ARN', SECRET_ARN);
    vi.stubEnv('TELEGRAM_WEBHOOK_SECRET', '');
    vi.stubEnv('DEEPSEEK_API_KEY', 'sk-from-env');
    vi.stubEnv('TELEGRAM_BOT_TOKEN', '');
    expect(await webhookSecret()).toBe('hook');
    await loadSecretsIntoEnv();
    expect(process.env.TELEGRAM_BOT_TOKEN).toBe('1:from-secret');
    expect(process.env.DEEPSEEK_API_KEY).toBe('sk-from-env');
    expect(fake.calls).toEqual([{ target: 'secretsmanager.GetSecretValue', body: { SecretId: SECRET_ARN } }]);
  });

  it('names the variable when the secret is not JSON', async () => {
    fake = await fakeSecretsManager('not json');
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', fake.endpoint);
    vi.stubEnv('HERMES_SECRETS_ARN', SECRET_ARN);
    await expect(loadSecretsIntoEnv()).rejects.toThrow(/^HERMES_SECRETS_ARN: /);
  });

  it('names TELEGRAM_WEBHOOK_SECRET when there is none', async () => {
    vi.stubEnv('HERMES_SECRETS_ARN', '');
    vi.stubEnv('TELEGRAM_WEBHOOK_SECRET', '');
    await expect(webhookSecret()).rejects.toThrow(/^TELEGRAM_WEBHOOK_SECRET: /);
  });
});
