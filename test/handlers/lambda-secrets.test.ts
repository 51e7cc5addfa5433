import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../handlers/lambda.ts';
import { lambdaApp, resetLambdaApp } from '../../handlers/lambda-app.ts';
import { forgetLoadedSecrets, loadSecretsIntoEnv, onSecretsChanged, refreshStaleSecrets, webhookSecret } from '../../handlers/lambda-secrets.ts';
import { functionUrlEvent, lambdaContext } from '../stand-ins/lambda-events.ts';
import { jsonReply, startLocalHttpServer } from '../stand-ins/local-http-server.ts';
import { captureOutput } from '../reliability/helpers/output-capture.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:hermes-abc123';

/**
 * Secrets Manager speaks awsJson1_1: POST / with the operation in X-Amz-Target. Each PutSecretValue makes a new
 * version; `put` stands in for one, `down` for an unavailable service.
 */
async function fakeSecretsManager(secretString: string) {
  const calls: Array<{ target: string; body: unknown }> = [];
  const current = { secretString, version: 1, down: false, slowMs: 0 };
  const server = await startLocalHttpServer(async (req) => {
    calls.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(req.body) });
    if (current.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, current.slowMs));
    if (current.down) return jsonReply(500, { __type: 'InternalServiceError', message: 'An error occurred on the server side.' }, { 'content-type': 'application/x-amz-json-1.1' });
    const versionId = `a1b2c3d4-0000-4000-8000-00000000000${current.version}`;
    return jsonReply(200, { ARN: SECRET_ARN, Name: 'hermes', VersionId: versionId, SecretString: current.secretString, VersionStages: ['AWSCURRENT'], CreatedDate: 1764620000 }, { 'content-type': 'application/x-amz-json-1.1' });
  });
  return {
    server,
    endpoint: server.url,
    calls,
    put: (next: string) => Object.assign(current, { secretString: next, version: current.version + 1 }),
    setDown: (down: boolean) => Object.assign(current, { down }),
    setSlow: (slowMs: number) => Object.assign(current, { slowMs }),
  };
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

  describe('a secret rotated while the container is warm', () => {
    const FIVE_MINUTES = 5 * 60_000;
    const values = (key: string) => JSON.stringify({ TELEGRAM_BOT_TOKEN: '123456:SECRETS-test-token', TELEGRAM_WEBHOOK_SECRET: 'hook_secret-0123456789', DEEPSEEK_API_KEY: key });
    const start = async (key: string) => {
      fake = await fakeSecretsManager(values(key));
      vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', fake.endpoint);
      vi.stubEnv('HERMES_SECRETS_ARN', SECRET_ARN);
      for (const name of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DEEPSEEK_API_KEY']) vi.stubEnv(name, '');
      await loadSecretsIntoEnv();
      return fake;
    };

    it('is read again after five minutes, and what was built from the old values is built anew', async () => {
      const secret = await start('sk-old');
      const rebuilt = vi.fn();
      onSecretsChanged(rebuilt);
      await refreshStaleSecrets(Date.now() + 60_000);
      expect(secret.calls).toHaveLength(1);
      // Unchanged: the same version, nothing rebuilt.
      await refreshStaleSecrets(Date.now() + FIVE_MINUTES + 1);
      expect(secret.calls).toHaveLength(2);
      expect(rebuilt).not.toHaveBeenCalled();
      secret.put(values('sk-new'));
      await refreshStaleSecrets(Date.now() + 2 * FIVE_MINUTES + 2);
      expect(process.env.DEEPSEEK_API_KEY).toBe('sk-new');
      expect(rebuilt).toHaveBeenCalledTimes(1);
    });

    it('keeps the values read before while Secrets Manager cannot be read, and says so in the log', async () => {
      const secret = await start('sk-kept');
      secret.setDown(true);
      const output = captureOutput();
      await refreshStaleSecrets(Date.now() + FIVE_MINUTES + 1);
      expect(process.env.DEEPSEEK_API_KEY).toBe('sk-kept');
      expect(output.text()).toMatch(/could not read the secret again/);
    });

    it('does not hold up the request it runs in while Secrets Manager is slow: one short try, the old values kept', async () => {
      const secret = await start('sk-kept');
      secret.put(values('sk-too-late'));
      secret.setSlow(8_000);
      const output = captureOutput();
      await refreshStaleSecrets(Date.now() + FIVE_MINUTES + 1);
      expect(process.env.DEEPSEEK_API_KEY).toBe('sk-kept');
      expect(secret.calls).toHaveLength(2);
      expect(output.text()).toMatch(/could not read the secret again/);
      secret.setSlow(0);
    });

    it('refuses the old webhook secret and takes the new one at the Function URL once the container looks again', async () => {
      resetLambdaApp();
      const secret = await start('sk-any');
      // A body that is no update: past the secret check it is refused as malformed (400), before anything is built.
      const status = async (token: string) => ((await handler(functionUrlEvent({ body: '{', secret: token }), lambdaContext())) as { statusCode: number }).statusCode;
      captureOutput();
      expect(await status('hook_secret-0123456789')).toBe(400);
      secret.put(JSON.stringify({ TELEGRAM_BOT_TOKEN: '123456:SECRETS-test-token', TELEGRAM_WEBHOOK_SECRET: 'hook_secret-rotated-0123', DEEPSEEK_API_KEY: 'sk-any' }));
      const later = Date.now() + FIVE_MINUTES + 1;
      vi.spyOn(Date, 'now').mockReturnValue(later);
      try {
        expect(await status('hook_secret-0123456789')).toBe(401);
        expect(await status('hook_secret-rotated-0123')).toBe(400);
      } finally {
        vi.restoreAllMocks();
        resetLambdaApp();
      }
    });

    it('builds the agent again with a rotated model key', async () => {
      const home = await makeTempDir('hermes-secrets-');
      resetLambdaApp();
      try {
        vi.stubEnv('HERMES_HOME', home.path);
        const secret = await start('sk-before');
        expect((await lambdaApp(lambdaContext())).runtime.config.deepseek.apiKey).toBe('sk-before');
        secret.put(values('sk-after'));
        await refreshStaleSecrets(Date.now() + FIVE_MINUTES + 1);
        expect((await lambdaApp(lambdaContext())).runtime.config.deepseek.apiKey).toBe('sk-after');
      } finally {
        resetLambdaApp();
        await home.remove();
      }
    });
  });
});
