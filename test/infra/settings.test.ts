import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from '../../agent/providers.ts';
import { bedrockModelArns } from '../../infra/bedrock-model-arns.ts';
import { normalizeAllowedUsers, readHermesSettings } from '../../infra/settings.ts';
import { synthesizeHermes } from './hermes-test-app.ts';

const settingsFrom = (context: Record<string, unknown>) => readHermesSettings(new App({ context }).node);

describe('readHermesSettings', () => {
  it('defaults to DeepSeek, UTC and no allowed users, which is enough for offline synth', () => {
    expect(settingsFrom({})).toEqual({ provider: 'deepseek', timezone: 'UTC', allowedUsers: '' });
  });

  it('reads every context value and canonicalises the allowed users', () => {
    expect(
      settingsFrom({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', timezone: 'Asia/Tokyo', reasoning: 'high', allowedUsers: ' 12, 34 ,', alarmEmail: 'me@example.org' }),
    ).toEqual({ provider: 'bedrock', model: 'amazon.nova-pro-v1:0', timezone: 'Asia/Tokyo', reasoning: 'high', allowedUsers: '12,34', alarmEmail: 'me@example.org' });
  });

  it('reads the chat surface choices and canonicalises the lists', () => {
    expect(settingsFrom({ allowedChats: ' -100123, -42 ', requireMention: 'false', ack: 'both', models: 'deepseek-flash, deepseek-v4-pro' }).chat).toEqual({
      allowedChats: '-100123,-42',
      requireMention: 'false',
      ack: 'both',
      models: 'deepseek-flash,deepseek-v4-pro',
    });
  });

  it('accepts numbers from JSON context and treats blank strings as unset', () => {
    expect(settingsFrom({ allowedUsers: 1234, model: '  ' })).toEqual({ provider: 'deepseek', timezone: 'UTC', allowedUsers: '1234' });
  });

  it.each([
    [{ provider: 'openai' }, /provider.*deepseek, bedrock.*"openai"/],
    [{ timezone: 'Mars/Olympus' }, /timezone.*IANA.*Mars\/Olympus/],
    [{ alarmEmail: 'nobody' }, /alarmEmail.*e-mail/],
    [{ reasoning: 'medium' }, /reasoning.*off, low, high, max.*"medium"/],
    [{ allowedUsers: '12,@me' }, /numeric Telegram user ids.*"@me"/],
    [{ allowedChats: '-100,my-group' }, /allowedChats.*numeric Telegram chat ids.*"my-group"/],
    [{ requireMention: 'maybe' }, /requireMention.*true, false.*"maybe"/],
    [{ ack: 'wave' }, /ack.*typing, reaction, both, none.*"wave"/],
    [{ models: 'a b' }, /models.*model ids.*"a b"/],
  ])('rejects %o with a message naming the problem', (context, message) => {
    expect(() => settingsFrom(context)).toThrow(message);
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
