import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../agent/providers.ts';
import { bedrockModelArns } from '../../infra/bedrock-model-arns.ts';
import { normalizeAllowedUsers, readHermesSettings } from '../../infra/settings.ts';
import { UNRESERVED_WORKER_CONCURRENCY, WEBHOOK_CONCURRENCY } from '../../infra/deployment-contract.ts';
import { synthesizeHermes } from './hermes-test-app.ts';

const settingsFrom = (context: Record<string, unknown>) => readHermesSettings(new App({ context }).node);

describe('readHermesSettings', () => {
  it('defaults to DeepSeek, UTC and no allowed users, which is enough for offline synth', () => {
    expect(settingsFrom({})).toEqual({ provider: 'deepseek', timezone: 'UTC', allowedUsers: '', workerTimeoutSeconds: 300, sessionTtlDays: 90 });
  });

  it('reads every context value and canonicalises the allowed users', () => {
    expect(
      settingsFrom({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', timezone: 'Asia/Tokyo', reasoning: 'high', allowedUsers: ' 12, 34 ,', alarmEmail: 'me@example.org', workerTimeoutSeconds: '900' }),
    ).toEqual({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', timezone: 'Asia/Tokyo', reasoning: 'high', allowedUsers: '12,34', alarmEmail: 'me@example.org', workerTimeoutSeconds: 900, sessionTtlDays: 90 });
  });

  it('passes the chat surface variables to the function as they are', () => {
    const chat = { TELEGRAM_ALLOWED_CHATS: '-100123,-42', TELEGRAM_REQUIRE_MENTION: 'false', TELEGRAM_ACK: 'both', HERMES_MODELS: 'deepseek-flash,deepseek-v4-pro' };
    expect(settingsFrom(chat).functionEnv).toEqual(chat);
  });

  it('passes the voice settings to the function: a Transcribe language, three-letter ones included, and the longest note', () => {
    const voice = { HERMES_TRANSCRIBE_LANGUAGE: 'ast-ES', HERMES_VOICE_MAX_SECONDS: '120' };
    expect(settingsFrom(voice).functionEnv).toEqual(voice);
  });

  it("passes classic Hermes' text batching delays to the function", () => {
    const batching = { HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0', HERMES_TELEGRAM_TEXT_BATCH_SPLIT_DELAY_SECONDS: '3.5' };
    expect(settingsFrom(batching).functionEnv).toEqual(batching);
  });

  it('spells the time zone as the zone database does', () => {
    expect(settingsFrom({ timezone: 'europe/berlin' }).timezone).toBe('Europe/Berlin');
  });

  it('accepts numbers from JSON context and treats blank strings as unset', () => {
    expect(settingsFrom({ allowedUsers: 1234, model: '  ' })).toEqual({ provider: 'deepseek', timezone: 'UTC', allowedUsers: '1234', workerTimeoutSeconds: 300, sessionTtlDays: 90 });
  });

  it.each([
    [{ provider: 'openai' }, /provider.*deepseek, bedrock.*"openai"/],
    [{ timezone: 'Mars/Olympus' }, /timezone.*IANA.*Mars\/Olympus/],
    [{ alarmEmail: 'nobody' }, /alarmEmail.*e-mail/],
    [{ reasoning: 'medium' }, /reasoning.*off, low, high, max.*"medium"/],
    [{ allowedUsers: '12,@me' }, /numeric Telegram user ids.*"@me"/],
    [{ TELEGRAM_ALLOWED_CHATS: '-100,my-group' }, /TELEGRAM_ALLOWED_CHATS.*numeric Telegram chat ids/],
    [{ TELEGRAM_REQUIRE_MENTION: 'maybe' }, /TELEGRAM_REQUIRE_MENTION.*true or false/],
    [{ TELEGRAM_ACK: 'wave' }, /TELEGRAM_ACK/],
    [{ HERMES_MODELS: 'a b' }, /HERMES_MODELS.*model ids/],
    [{ HERMES_TRANSCRIBE_LANGUAGE: 'en-DE' }, /HERMES_TRANSCRIBE_LANGUAGE: "en-DE" is not a language Amazon Transcribe knows/],
    [{ reservedConcurrency: '0' }, /reservedConcurrency.*2 to 9999.*"none"/],
    [{ reservedConcurrency: '1' }, /reservedConcurrency.*2 to 9999/],
    [{ reservedConcurrency: 'lots' }, /reservedConcurrency/],
    [{ monthlyBudgetUsd: '-5' }, /monthlyBudgetUsd.*positive amount/],
    [{ monthlyBudgetUsd: '0' }, /monthlyBudgetUsd/],
    [{ workerTimeoutSeconds: '1000' }, /workerTimeoutSeconds.*60 to 900.*"1000"/],
  ])('rejects %o with a message naming the problem', (context, message) => {
    expect(() => settingsFrom(context)).toThrow(message);
  });
});

describe('spend settings', () => {
  it('reads the reserved concurrency, "none" and the monthly budget', () => {
    expect(settingsFrom({ reservedConcurrency: 3, monthlyBudgetUsd: '25.50' })).toMatchObject({ reservedConcurrency: 3, monthlyBudgetUsd: 25.5 });
    expect(settingsFrom({ reservedConcurrency: 'none' }).reservedConcurrency).toBe('none');
  });

  it('passes the limits and skill admins to the function, and fails synth on a value the function would refuse', () => {
    const functions = Object.values(
      synthesizeHermes({ allowedUsers: '1', HERMES_DAILY_TOKEN_BUDGET: '200000', HERMES_ADMIN_USERS: '1' }).template.findResources('AWS::Lambda::Function'),
    );
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect(fn.Properties.Environment.Variables).toMatchObject({ HERMES_DAILY_TOKEN_BUDGET: '200000', HERMES_ADMIN_USERS: '1' });
    expect(() => settingsFrom({ HERMES_MAX_JOBS_PER_CHAT: 'lots' })).toThrow(/^HERMES_MAX_JOBS_PER_CHAT: /);
  });

  it('leaves both functions unreserved with "none", for accounts whose concurrency quota is too low to reserve any, and keeps the queue poller within such a quota', () => {
    const { template } = synthesizeHermes({ allowedUsers: '1', reservedConcurrency: 'none', monthlyBudgetUsd: 40 });
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.map((fn) => fn.Properties.ReservedConcurrentExecutions)).toEqual([undefined, undefined]);
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings.map((mapping) => mapping.Properties.ScalingConfig)).toEqual([{ MaximumConcurrency: UNRESERVED_WORKER_CONCURRENCY }]);
    // With the webhook's own few, within the 10 concurrent executions of a new account.
    expect(UNRESERVED_WORKER_CONCURRENCY + WEBHOOK_CONCURRENCY).toBeLessThanOrEqual(10);
  });
});

describe('normalizeAllowedUsers', () => {
  it('joins trimmed ids with commas and keeps an empty list empty', () => {
    expect(normalizeAllowedUsers('1,  2')).toBe('1,2');
    expect(normalizeAllowedUsers(' ')).toBe('');
  });
});

describe('stack warnings', () => {
  it('warns at synth when no allowed users are configured, because the bot would answer nobody', () => {
    const { stack } = synthesizeHermes();
    Annotations.fromStack(stack).hasWarning('/Hermes', Match.stringLikeRegexp('allowedUsers'));
  });
});

describe('bedrockModelArns', () => {
  const { stack } = synthesizeHermes({ allowedUsers: '1' });
  const arns = (model?: string) => bedrockModelArns(stack, model).map((arn) => JSON.stringify(stack.resolve(arn)));

  it('allows a plain model id only in the stack region', () => {
    const [only, ...rest] = arns('amazon.nova-pro-v1:0');
    expect(rest).toEqual([]);
    expect(only).toContain(':bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0');
  });

  it('allows an inference profile here and its foundation model in every region it routes to', () => {
    const [profile, model] = arns('eu.amazon.nova-pro-v1:0');
    expect(profile).toContain(':bedrock:us-east-1:",{"Ref":"AWS::AccountId"},":inference-profile/eu.amazon.nova-pro-v1:0');
    expect(model).toContain(':bedrock:*::foundation-model/amazon.nova-pro-v1:0');
  });

  it('pins the default model and its profile when no model is configured, never any model', () => {
    const all = arns(undefined).join(' ');
    expect(all).toContain(`:inference-profile/${DEFAULT_MODELS.bedrock}`);
    expect(all).toContain(`:bedrock:*::foundation-model/${DEFAULT_MODELS.bedrock.replace(/^us\./, '')}`);
    expect(all).not.toContain('/*');
  });
});
