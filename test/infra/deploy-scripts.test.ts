import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { accountConcurrency, reservationPlan } from '../../infra/scripts/account-concurrency.ts';
import { AwsFault, AwsRestJsonServer } from '../stand-ins/aws-rest-json-server.ts';
import { withBotUsername } from '../../infra/scripts/bot-username.ts';
import { cdkDeployArgs } from '../../infra/scripts/cdk-deploy-args.ts';
import { readDeployInputs } from '../../infra/scripts/deploy-inputs.ts';
import { mergeSecretValues, parseSecretValues, regionFromArn } from '../../infra/scripts/secret-values.ts';
import { parseStackOutputs, readStackOutputs } from '../../infra/scripts/stack-outputs.ts';
import { callBotApi } from '../../infra/scripts/telegram-bot-api.ts';
import { buildGetWebhookInfoRequest, buildSetMyCommandsRequest, buildSetWebhookRequest } from '../../infra/scripts/telegram-webhook-requests.ts';
import { COMMANDS, menuCommands } from '../../handlers/commands/command-list.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';

const TOKEN = '123456:ABC-def_ghi';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:BotSecret-AbCdEf';
const OUTPUTS = { Hermes: { FunctionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', SecretArn: SECRET_ARN } };

describe('stack outputs', () => {
  it('picks the Function URL and secret ARN of the Hermes stack', () => {
    expect(parseStackOutputs(OUTPUTS)).toEqual({ functionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/', secretArn: SECRET_ARN });
  });

  it('says to deploy first when the stack or an output is missing', () => {
    expect(() => parseStackOutputs({ Other: {} })).toThrow(/no "Hermes" stack.*npm run deploy/);
    expect(() => parseStackOutputs({ Hermes: { FunctionUrl: 'https://x/' } })).toThrow(/lack "SecretArn"/);
  });

  it('reads the outputs file, and names it when it does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hermes-outputs-'));
    const file = join(dir, 'outputs.json');
    await expect(readStackOutputs(file)).rejects.toThrow(`${file} does not exist. Run npm run deploy first`);
    await writeFile(file, JSON.stringify(OUTPUTS));
    await expect(readStackOutputs(file)).resolves.toMatchObject({ secretArn: SECRET_ARN });
  });
});

describe('Telegram webhook requests', () => {
  it('builds setWebhook with the secret token, the handled update types and pending updates kept', () => {
    const request = buildSetWebhookRequest({ token: TOKEN, functionUrl: 'https://fn/', secretToken: 's3cr3t' });
    expect(request.url).toBe(`https://api.telegram.org/bot${TOKEN}/setWebhook`);
    expect(request.init).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(request.init.body)).toEqual({
      url: 'https://fn/',
      secret_token: 's3cr3t',
      allowed_updates: ['message', 'edited_message', 'stopped_message_generation'],
      max_connections: 3,
      drop_pending_updates: false,
    });
  });

  it('honours a custom API root, with or without a trailing slash', () => {
    expect(buildGetWebhookInfoRequest(TOKEN, 'http://127.0.0.1:8081/').url).toBe(`http://127.0.0.1:8081/bot${TOKEN}/getWebhookInfo`);
    expect(buildSetWebhookRequest({ token: TOKEN, functionUrl: 'u', secretToken: 's', apiRoot: 'http://local' }).url).toBe(`http://local/bot${TOKEN}/setWebhook`);
  });
});

describe('the webhook set-webhook registers', () => {
  it('points at the Function URL with a secret of the kind the stack generates, and the Bot API accepts it', async () => {
    const api = await new FakeBotApi().start();
    try {
      // Secrets Manager's generated secret: 64 letters and digits (excludePunctuation, infra/bot-secret.ts).
      const secretToken = 'aB3'.repeat(21) + 'x';
      const request = buildSetWebhookRequest({ token: TOKEN, functionUrl: OUTPUTS.Hermes.FunctionUrl, secretToken, apiRoot: api.apiRoot });
      await expect(callBotApi(request)).resolves.toBe(true);
      const refused = (target: { functionUrl: string; secretToken: string }) => callBotApi(buildSetWebhookRequest({ token: TOKEN, ...target, apiRoot: api.apiRoot }));
      await expect(refused({ functionUrl: 'http://abc.lambda-url.eu-west-1.on.aws/', secretToken })).rejects.toThrow(/HTTPS url must be provided/);
      await expect(refused({ functionUrl: 'https://abc.example:9000/', secretToken })).rejects.toThrow(/only on ports 80, 88, 443 or 8443/);
      await expect(refused({ functionUrl: OUTPUTS.Hermes.FunctionUrl, secretToken: 'base64+/=' })).rejects.toThrow(/unallowed characters/);
    } finally {
      await api.close();
    }
  });
});

describe('the command menu set-webhook registers', () => {
  it('is the bot\'s command list, and the Bot API accepts it', async () => {
    const api = await new FakeBotApi().start();
    try {
      await expect(callBotApi(buildSetMyCommandsRequest(TOKEN, menuCommands(), api.apiRoot))).resolves.toBe(true);
      const sent = api.calls.find((call) => call.method === 'setMyCommands')!.params.commands as Array<{ command: string }>;
      expect(sent.map((entry) => entry.command)).toEqual(COMMANDS.map((entry) => entry.command));
      await expect(callBotApi(buildSetMyCommandsRequest(TOKEN, [{ command: 'Bad-Name', description: 'x' }], api.apiRoot))).rejects.toThrow(/BOT_COMMAND_INVALID/);
    } finally {
      await api.close();
    }
  });
});

describe('callBotApi', () => {
  const request = buildGetWebhookInfoRequest(TOKEN);
  const answer = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status });

  it('returns the result of a successful call', async () => {
    await expect(callBotApi(request, answer(200, { ok: true, result: { url: 'https://fn/' } }))).resolves.toEqual({ url: 'https://fn/' });
  });

  it('reports Telegram\'s description without leaking the token', async () => {
    const failure = callBotApi(request, answer(401, { ok: false, description: 'Unauthorized' }));
    await expect(failure).rejects.toThrow('Telegram getWebhookInfo failed: Unauthorized (is TELEGRAM_BOT_TOKEN right?)');
    await expect(failure).rejects.not.toThrow(TOKEN);
  });

  it('reports network failures by method name only', async () => {
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(callBotApi(request, unreachable)).rejects.toThrow('Telegram getWebhookInfo could not be reached: fetch failed');
  });
});

describe('secret values', () => {
  const current = { TELEGRAM_BOT_TOKEN: '', TELEGRAM_WEBHOOK_SECRET: 'generated', DEEPSEEK_API_KEY: '' };

  it('fills in the user credentials and keeps the generated webhook secret', () => {
    const merged = JSON.parse(mergeSecretValues(current, { TELEGRAM_BOT_TOKEN: TOKEN, DEEPSEEK_API_KEY: 'sk-1' }));
    expect(merged).toEqual({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: 'generated', DEEPSEEK_API_KEY: 'sk-1' });
  });

  it('leaves keys without a new value as they are (Bedrock needs no DeepSeek key)', () => {
    const merged = JSON.parse(mergeSecretValues({ ...current, DEEPSEEK_API_KEY: 'old' }, { TELEGRAM_BOT_TOKEN: TOKEN, DEEPSEEK_API_KEY: undefined }));
    expect(merged.DEEPSEEK_API_KEY).toBe('old');
  });

  it('refuses to write a secret that lost its webhook secret', () => {
    expect(() => mergeSecretValues({ TELEGRAM_BOT_TOKEN: '' }, { TELEGRAM_BOT_TOKEN: TOKEN })).toThrow(/no TELEGRAM_WEBHOOK_SECRET/);
  });

  it('parses the stored JSON and rejects anything else', () => {
    expect(parseSecretValues(JSON.stringify(current))).toEqual(current);
    expect(() => parseSecretValues('not json')).toThrow(/does not hold JSON/);
    expect(() => parseSecretValues('[1]')).toThrow(/JSON object/);
    expect(() => parseSecretValues(undefined)).toThrow(/does not hold JSON/);
  });

  it('takes the region from the secret ARN', () => {
    expect(regionFromArn(SECRET_ARN)).toBe('eu-west-1');
    expect(() => regionFromArn('BotSecret')).toThrow(/not an ARN/);
  });
});

describe('deploy inputs', () => {
  const complete = { TELEGRAM_BOT_TOKEN: TOKEN, DEEPSEEK_API_KEY: 'sk-1', TELEGRAM_ALLOWED_USERS: '11, 22' };

  it('accepts a complete DeepSeek setup and canonicalises the user ids', () => {
    expect(readDeployInputs(complete)).toEqual({
      ok: true,
      inputs: { botToken: TOKEN, deepseekApiKey: 'sk-1', provider: 'deepseek', allowedUsers: '11,22' },
    });
  });

  it('needs no DeepSeek key for Bedrock and passes the optional choices through', () => {
    const result = readDeployInputs({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_ALLOWED_USERS: '11',
      HERMES_PROVIDER: 'bedrock',
      HERMES_MODEL: 'amazon.nova-pro-v1:0',
      HERMES_TIMEZONE: 'Europe/Berlin',
      HERMES_REASONING: 'off',
      HERMES_ALARM_EMAIL: 'ops@example.com',
      HERMES_WORKER_TIMEOUT_SECONDS: '600',
    });
    expect(result).toEqual({
      ok: true,
      inputs: { botToken: TOKEN, provider: 'bedrock', allowedUsers: '11', model: 'amazon.nova-pro-v1:0', timezone: 'Europe/Berlin', reasoning: 'off', alarmEmail: 'ops@example.com', workerTimeoutSeconds: '600' },
    });
  });

  it('passes the group rules, the acknowledgement and the model list on as context', () => {
    const result = readDeployInputs({ ...complete, TELEGRAM_ALLOWED_CHATS: '-100123', TELEGRAM_ACK: 'both', HERMES_MODELS: 'deepseek-flash,deepseek-v4-pro' });
    expect(result.ok && result.inputs.limits).toEqual({ TELEGRAM_ALLOWED_CHATS: '-100123', TELEGRAM_ACK: 'both', HERMES_MODELS: 'deepseek-flash,deepseek-v4-pro' });
    const args = cdkDeployArgs(result.ok ? result.inputs : ({} as never), '/tmp/outputs.json').join(' ');
    expect(args).toContain('--context TELEGRAM_ALLOWED_CHATS=-100123 --context TELEGRAM_ACK=both --context HERMES_MODELS=deepseek-flash,deepseek-v4-pro');
    expect(args).not.toContain('TELEGRAM_REQUIRE_MENTION');
  });

  it('passes the log level and the prompt cache lifetime on, so they outlive the next deploy', () => {
    const result = readDeployInputs({ ...complete, HERMES_LOG_LEVEL: 'debug', HERMES_PROMPT_CACHE_TTL: '5m' });
    expect(result.ok && result.inputs.limits).toEqual({ HERMES_LOG_LEVEL: 'debug', HERMES_PROMPT_CACHE_TTL: '5m' });
  });

  it("deploys classic Hermes' access lists under this bot's names, merged", () => {
    const result = readDeployInputs({ TELEGRAM_BOT_TOKEN: TOKEN, DEEPSEEK_API_KEY: 'sk-1', GATEWAY_ALLOWED_USERS: '33', TELEGRAM_ALLOWED_CHATS: '-100123', TELEGRAM_GROUP_ALLOWED_CHATS: '-100456' });
    expect(result.ok && result.inputs).toMatchObject({ allowedUsers: '33', limits: { TELEGRAM_ALLOWED_CHATS: '-100123,-100456' } });
  });

  it.each([
    [{ HERMES_TIMEZONE: 'Berlin' }, /^HERMES_TIMEZONE \(context "timezone"\) must be an IANA time zone such as Europe\/Berlin; got "Berlin"\.$/],
    [{ HERMES_RESERVED_CONCURRENCY: 'ten' }, /^HERMES_RESERVED_CONCURRENCY \(context "reservedConcurrency"\) must be a whole number from 2 to 9999, or "none"; got "ten"\.$/],
    [{ HERMES_ALARM_EMAIL: 'ops' }, /^HERMES_ALARM_EMAIL \(context "alarmEmail"\) must be an e-mail address/],
    [{ HERMES_MONTHLY_BUDGET_USD: 'ten' }, /^HERMES_MONTHLY_BUDGET_USD /],
    [{ HERMES_WORKER_TIMEOUT_SECONDS: '30' }, /^HERMES_WORKER_TIMEOUT_SECONDS \(context "workerTimeoutSeconds"\) must be a whole number of seconds from 60 to 900/],
    [{ HERMES_MAX_JOBS_PER_CHAT: 'lots' }, /^HERMES_MAX_JOBS_PER_CHAT: /],
    [{ TELEGRAM_ALLOW_ALL_USERS: 'true' }, /^TELEGRAM_ALLOW_ALL_USERS: .*not offered/],
    [{ HERMES_LOG_LEVEL: 'verbose' }, /^HERMES_LOG_LEVEL: /],
  ])('refuses %o before anything is deployed, naming the variable', (env, message) => {
    const result = readDeployInputs({ ...complete, ...env });
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(message)]);
  });

  it('lists every missing prerequisite at once, with what to do about it', () => {
    const result = readDeployInputs({});
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/TELEGRAM_BOT_TOKEN is not set.*@BotFather/);
    expect(problems[1]).toMatch(/DEEPSEEK_API_KEY is not set.*platform\.deepseek\.com/);
    expect(problems[2]).toMatch(/TELEGRAM_ALLOWED_USERS is not set/);
  });

  it('rejects malformed values', () => {
    const result = readDeployInputs({
      ...complete,
      TELEGRAM_BOT_TOKEN: 'nope',
      TELEGRAM_ALLOWED_USERS: 'alice',
      HERMES_PROVIDER: 'openai',
      HERMES_MODEL: 'deepseek-chat',
      HERMES_REASONING: 'medium',
    });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/does not look like a bot token/),
      expect.stringMatching(/HERMES_PROVIDER must be deepseek or bedrock/),
      expect.stringMatching(/HERMES_MODEL "deepseek-chat" was retired on 2026-07-24; use "deepseek-flash"/),
      expect.stringMatching(/HERMES_REASONING must be one of off, low, high, max/),
      expect.stringMatching(/TELEGRAM_ALLOWED_USERS: .*"alice"/),
    ]);
  });
});

describe('cdk deploy arguments', () => {
  it('deploys the Hermes stack unattended, writes the outputs file and passes only non-secret context', () => {
    const args = cdkDeployArgs(
      { botToken: TOKEN, deepseekApiKey: 'sk-1', provider: 'deepseek', allowedUsers: '11,22', timezone: 'Europe/Berlin', workerTimeoutSeconds: '600' },
      '/tmp/outputs.json',
    );
    expect(args).toEqual([
      'deploy',
      'Hermes',
      '--require-approval',
      'never',
      '--outputs-file',
      '/tmp/outputs.json',
      '--no-notices',
      '--context',
      'provider=deepseek',
      '--context',
      'allowedUsers=11,22',
      '--context',
      'timezone=Europe/Berlin',
      '--context',
      'workerTimeoutSeconds=600',
    ]);
    expect(args.join(' ')).not.toContain(TOKEN);
    expect(args.join(' ')).not.toContain('sk-1');
  });

  it('passes the spend limits and skill admins of the environment as context', () => {
    const read = readDeployInputs({
      TELEGRAM_BOT_TOKEN: TOKEN,
      DEEPSEEK_API_KEY: 'sk-1',
      TELEGRAM_ALLOWED_USERS: '11',
      HERMES_MONTHLY_BUDGET_USD: '25',
      HERMES_RESERVED_CONCURRENCY: 'none',
      HERMES_DAILY_TOKEN_BUDGET: '500000',
      HERMES_ADMIN_USERS: '11',
    });
    if (!read.ok) throw new Error(read.problems.join('; '));
    const context = cdkDeployArgs(read.inputs).filter((_arg, index, args) => args[index - 1] === '--context');
    expect(context).toEqual(
      expect.arrayContaining(['monthlyBudgetUsd=25', 'reservedConcurrency=none', 'HERMES_DAILY_TOKEN_BUDGET=500000', 'HERMES_ADMIN_USERS=11']),
    );
  });
});

describe('the bot username npm run deploy passes on', () => {
  const inputs = { botToken: TOKEN, deepseekApiKey: 'sk-1', provider: 'deepseek' as const, allowedUsers: '11' };

  it('is asked of Telegram with getMe and becomes the function\'s TELEGRAM_BOT_USERNAME', async () => {
    const api = await new FakeBotApi().start();
    try {
      const withName = await withBotUsername(inputs, { apiRoot: api.apiRoot });
      expect(api.calls.map((call) => call.method)).toEqual(['getMe']);
      expect(cdkDeployArgs(withName)).toEqual(expect.arrayContaining(['--context', 'TELEGRAM_BOT_USERNAME=hermes_test_bot']));
    } finally {
      await api.close();
    }
  });

  it('is taken from the environment when given, without asking', async () => {
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const given = { ...inputs, limits: { TELEGRAM_BOT_USERNAME: 'ada_hermes_bot' } };
    await expect(withBotUsername(given, { fetchImpl: unreachable })).resolves.toBe(given);
  });

  it('refuses a wrong token before anything is deployed, naming the variable', async () => {
    const unauthorized: typeof fetch = async () => new Response(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }), { status: 401 });
    await expect(withBotUsername(inputs, { fetchImpl: unauthorized })).rejects.toThrow('Telegram getMe failed: Unauthorized (is TELEGRAM_BOT_TOKEN right?)');
  });
});

describe('the reservation an account can take', () => {
  const quota = (limit: number) => ({ limit });
  it('keeps what was asked for when it fits past the 100 Lambda keeps unreserved', () => {
    expect(reservationPlan({ requested: undefined, account: quota(1000) })).toEqual({ reservedConcurrency: undefined });
    expect(reservationPlan({ requested: '20', account: quota(123) })).toEqual({ reservedConcurrency: '20' });
    expect(reservationPlan({ requested: 'none', account: quota(10) })).toEqual({ reservedConcurrency: 'none' });
  });

  it('reserves nothing on a new account, whose quota is 10, saying why, instead of failing the stack', () => {
    const plan = reservationPlan({ requested: undefined, account: quota(10) });
    expect(plan.reservedConcurrency).toBe('none');
    expect(plan.notice).toMatch(/quota is 10.*13 the bot's functions would reserve.*deploy again to reserve/s);
  });

  it('refuses an explicit number the account cannot reserve, naming the variable and what fits', () => {
    expect(() => reservationPlan({ requested: '50', account: quota(120) })).toThrow(/^HERMES_RESERVED_CONCURRENCY=50 cannot be deployed: .*quota is 120.*a number up to 17/);
    expect(() => reservationPlan({ requested: '2', account: quota(10) })).toThrow(/Set HERMES_RESERVED_CONCURRENCY=none, or ask for a higher quota/);
  });

  it("counts what other functions reserve, and what the bot's own reserve already as its own to move", () => {
    // A quota of 1,000 of which another team's functions reserve 890: 10 are left past the 100 kept unreserved.
    const crowded = { limit: 1_000, unreserved: 110, ownReserved: 0 };
    const plan = reservationPlan({ requested: undefined, account: crowded });
    expect(plan.reservedConcurrency).toBe('none');
    expect(plan.notice).toMatch(/quota is 1000, other functions reserve 890 of it, and Lambda keeps 100/);
    // The bot's earlier deploy reserves its 13 already: a redeploy of the same fits.
    expect(reservationPlan({ requested: undefined, account: { limit: 1_000, unreserved: 100, ownReserved: 13 } })).toEqual({ reservedConcurrency: undefined });
  });

  it("reads the account's quota and what is reserved from Lambda, and gives up quietly when it cannot", async () => {
    const reserved: Record<string, number> = { 'Hermes-AgentFunction1A2B3C4D-xyz': 3, 'Hermes-AgentWorker5E6F7A8B-abc': 10, 'billing-api': 200 };
    const lambda = new AwsRestJsonServer((request) => {
      if (request.method === 'GET' && request.path === '/2016-08-19/account-settings') {
        return { status: 200, body: { AccountLimit: { ConcurrentExecutions: 1_000, UnreservedConcurrentExecutions: 787, TotalCodeSize: 80_530_636_800, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800 }, AccountUsage: { TotalCodeSize: 0, FunctionCount: 3 } } };
      }
      if (request.method === 'GET' && request.path === '/2015-03-31/functions') {
        // Two pages, as ListFunctions pages with a marker.
        const names = Object.keys(reserved);
        const page = request.query.Marker === 'page-2' ? names.slice(2) : names.slice(0, 2);
        return { status: 200, body: { Functions: page.map((FunctionName) => ({ FunctionName })), ...(request.query.Marker === 'page-2' ? {} : { NextMarker: 'page-2' }) } };
      }
      const concurrency = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/.exec(request.path);
      if (request.method === 'GET' && concurrency) return { status: 200, body: { ReservedConcurrentExecutions: reserved[concurrency[1]!] } };
      throw new AwsFault(404, 'ResourceNotFoundException', { Message: `No route ${request.path}` });
    });
    await lambda.start();
    try {
      const client = (endpoint: string) => new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret' }, maxAttempts: 1 });
      expect(await accountConcurrency(client(lambda.endpoint))).toEqual({ limit: 1_000, unreserved: 787, ownReserved: 13 });
      expect(await accountConcurrency(client('http://127.0.0.1:9'))).toBeUndefined();
    } finally {
      await lambda.close();
    }
  });
});
