import { describe, expect, it } from 'vitest';
import { assertModelCredentials, loadConfig } from '../../agent/config.ts';
import { ConfigError } from '../../tools/errors.ts';

describe('loadConfig', () => {
  it('defaults to DeepSeek and the embedded local mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ provider: 'deepseek', model: 'deepseek-flash', home: './.hermes', sessions: { backend: 'local' }, timezone: 'UTC' });
    expect(config).toMatchObject({ reasoning: 'low', maxOutputTokens: 8192 });
    expect(config.skills.bucket).toBeUndefined();
  });

  it('selects Bedrock with its default model and the standard endpoint variable', () => {
    const config = loadConfig({ HERMES_PROVIDER: 'bedrock', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9' });
    expect(config).toMatchObject({ provider: 'bedrock', bedrock: { region: 'eu-west-1', baseURL: 'http://127.0.0.1:9' } });
    expect(config.model).toBe('us.anthropic.claude-sonnet-5-5');
    expect(loadConfig({ HERMES_PROVIDER: 'bedrock', AWS_BEARER_TOKEN_BEDROCK: ' bedrock-api-key-1 ' }).bedrock.apiKey).toBe('bedrock-api-key-1');
  });

  it('reads the group rules, the acknowledgement and the models /model offers', () => {
    expect(loadConfig({}).telegram).toMatchObject({ requireMention: true, ack: 'typing' });
    expect(loadConfig({}).models).toEqual(['deepseek-flash']);
    const config = loadConfig({
      TELEGRAM_ALLOWED_CHATS: '-1001234567890, -42',
      TELEGRAM_REQUIRE_MENTION: 'false',
      TELEGRAM_ACK: 'reaction',
      HERMES_MODEL: 'deepseek-v4-pro',
      HERMES_MODELS: 'deepseek-flash, deepseek-v4-pro',
    });
    expect(config.telegram).toMatchObject({ allowedChats: ['-1001234567890', '-42'], requireMention: false, ack: 'reaction' });
    // Hermes' defaults: a conversation per group member, one per forum topic for all in it.
    expect(loadConfig({}).telegram.sessionScope).toEqual({ groupsPerUser: true, topicsPerUser: false });
    expect(loadConfig({ HERMES_GROUP_SESSIONS_PER_USER: 'false', HERMES_THREAD_SESSIONS_PER_USER: 'true' }).telegram.sessionScope).toEqual({ groupsPerUser: false, topicsPerUser: true });
    expect(config.models).toEqual(['deepseek-v4-pro', 'deepseek-flash']);
    expect(() => loadConfig({ HERMES_MODELS: 'deepseek-flash,deepseek-reasoner' })).toThrow(/HERMES_MODELS.*"deepseek-reasoner" was retired.*deepseek-flash/);
  });

  it('reads the classic Hermes variables', () => {
    const config = loadConfig({
      HERMES_SESSION_BACKEND: 'dynamodb',
      HERMES_SKILLS_S3_BUCKET: 'my-skills',
      HERMES_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/sched',
      HERMES_AGENTCORE_MEMORY_ID: 'hermes_memory-abcdefghij',
      TELEGRAM_ALLOWED_USERS: ' 11, 22 ,',
      TELEGRAM_WEBHOOK_SECRET: 'abc_DEF-123-ghi_JKL',
    });
    expect(config.sessions.backend).toBe('dynamodb');
    expect(config.skills).toEqual({ bucket: 'my-skills', prefix: 'skills/' });
    expect(config.telegram.allowedUsers).toEqual(['11', '22']);
  });

  it.each([
    [{ HERMES_PROVIDER: 'openai' }, 'HERMES_PROVIDER'],
    [{ TELEGRAM_ALLOWED_CHATS: 'my-group' }, 'TELEGRAM_ALLOWED_CHATS'],
    [{ TELEGRAM_REQUIRE_MENTION: 'sometimes' }, 'TELEGRAM_REQUIRE_MENTION'],
    [{ TELEGRAM_ACK: 'wave' }, 'TELEGRAM_ACK'],
    [{ HERMES_GROUP_SESSIONS_PER_USER: 'per-user' }, 'HERMES_GROUP_SESSIONS_PER_USER'],
    [{ HERMES_MODELS: 'a model with spaces' }, 'HERMES_MODELS'],
    [{ TELEGRAM_ALLOWED_USERS: 'alice' }, 'TELEGRAM_ALLOWED_USERS'],
    [{ TELEGRAM_WEBHOOK_SECRET: 'has spaces' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ TELEGRAM_WEBHOOK_SECRET: 'x' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ TELEGRAM_WEBHOOK_SECRET: 'fifteen_chars15' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ HERMES_ADMIN_USERS: 'root' }, 'HERMES_ADMIN_USERS'],
    [{ HERMES_MAX_JOBS_PER_CHAT: '0' }, 'HERMES_MAX_JOBS_PER_CHAT'],
    [{ HERMES_MIN_JOB_INTERVAL_MINUTES: 'often' }, 'HERMES_MIN_JOB_INTERVAL_MINUTES'],
    [{ HERMES_SKILLS_INDEX_CHARS: '-5' }, 'HERMES_SKILLS_INDEX_CHARS'],
    [{ HERMES_DAILY_TOKEN_BUDGET: '1.5' }, 'HERMES_DAILY_TOKEN_BUDGET'],
    [{ TELEGRAM_BOT_TOKEN: 'nope' }, 'TELEGRAM_BOT_TOKEN'],
    [{ HERMES_MAX_STEPS: '-1' }, 'HERMES_MAX_STEPS'],
    [{ HERMES_TIMEZONE: 'Mars/Olympus' }, 'HERMES_TIMEZONE'],
    [{ DEEPSEEK_BASE_URL: 'not a url' }, 'DEEPSEEK_BASE_URL'],
    [{ HERMES_SCHEDULER_ROLE_ARN: 'role' }, 'HERMES_SCHEDULER_ROLE_ARN'],
    [{ HERMES_REASONING: 'medium' }, 'HERMES_REASONING'],
    [{ HERMES_PROMPT_CACHE_TTL: '30m' }, 'HERMES_PROMPT_CACHE_TTL'],
    [{ HERMES_LOG_LEVEL: 'verbose' }, 'HERMES_LOG_LEVEL'],
    [{ HERMES_MAX_OUTPUT_TOKENS: '0' }, 'HERMES_MAX_OUTPUT_TOKENS'],
    [{ HERMES_MAX_STEPS: '0x10' }, 'HERMES_MAX_STEPS'],
    [{ HERMES_MAX_STEPS: '1e3' }, 'HERMES_MAX_STEPS'],
    [{ HERMES_SCHEDULER_TICK_SECONDS: '3000000' }, 'HERMES_SCHEDULER_TICK_SECONDS'],
    [{ HERMES_TRANSCRIBE_LANGUAGE: 'de' }, 'HERMES_TRANSCRIBE_LANGUAGE'],
    [{ HERMES_MAX_OUTPUT_TOKENS: '400000' }, 'HERMES_MAX_OUTPUT_TOKENS'],
    [{ HERMES_PROVIDER: 'bedrock', HERMES_MAX_OUTPUT_TOKENS: '200000' }, 'HERMES_MAX_OUTPUT_TOKENS'],
    [{ HERMES_SKILLS_S3_BUCKET: 'hermes-state', HERMES_SKILLS_S3_PREFIX: '/' }, 'HERMES_MEDIA_S3_PREFIX'],
    [{ HERMES_SKILLS_S3_BUCKET: 'hermes-state', HERMES_MEDIA_S3_PREFIX: 'skills/media/' }, 'HERMES_MEDIA_S3_PREFIX'],
    [{ DEEPSEEK_BASE_URL: 'localhost:18999' }, 'DEEPSEEK_BASE_URL'],
    [{ TELEGRAM_API_ROOT: 'localhost:8081' }, 'TELEGRAM_API_ROOT'],
    [{ OPENAI_BASE_URL: 'localhost:8000' }, 'OPENAI_BASE_URL'],
    [{ AWS_ENDPOINT_URL_S3: 'ftp://127.0.0.1:4569' }, 'AWS_ENDPOINT_URL_S3'],
    [{ HERMES_SKILLS_S3_PREFIX: '../x/' }, 'HERMES_SKILLS_S3_PREFIX'],
    [{ HERMES_SKILLS_S3_PREFIX: 'skills/../' }, 'HERMES_SKILLS_S3_PREFIX'],
    [{ HERMES_MEDIA_S3_PREFIX: 'media' }, 'HERMES_MEDIA_S3_PREFIX'],
    [{ HERMES_HOME: '   ' }, 'HERMES_HOME'],
    [{ HERMES_SCHEDULER_GROUP: 'my group!' }, 'HERMES_SCHEDULER_GROUP'],
    [{ HERMES_SESSION_TABLE: 'a b' }, 'HERMES_SESSION_TABLE'],
    [{ HERMES_PROVIDER: 'bedrock', HERMES_IMAGE_MAX_BYTES: '5000000' }, 'HERMES_IMAGE_MAX_BYTES'],
  ])('names the offending variable for %j', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
  });

  it.each(['deepseek-chat', 'deepseek-reasoner'])('refuses the retired DeepSeek model %s at start and names its replacement', (model) => {
    expect(() => loadConfig({ HERMES_MODEL: model })).toThrow(/^HERMES_MODEL: "deepseek-.*" was retired by its provider on 2026-07-24; use "deepseek-flash"/);
  });

  it('takes the time zone from TZ when HERMES_TIMEZONE is unset, as Hermes falls back to the machine’s; Lambda’s ":UTC" is UTC', () => {
    expect(loadConfig({ TZ: 'Europe/Berlin' }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ TZ: ':UTC' }).timezone).toBe('UTC');
    expect(loadConfig({ TZ: 'Europe/Berlin', HERMES_TIMEZONE: 'Asia/Tokyo' }).timezone).toBe('Asia/Tokyo');
    expect(loadConfig({}).timezone).toBe('UTC');
  });

  it('spells a time zone as the zone database does, since EventBridge takes that spelling', () => {
    expect(loadConfig({ HERMES_TIMEZONE: 'europe/berlin' }).timezone).toBe('Europe/Berlin');
    expect(loadConfig({ HERMES_TIMEZONE: 'utc' }).timezone).toBe('UTC');
    // Intl names these by their old names (Asia/Calcutta, Europe/Kiev); the name the user wrote stays.
    expect(loadConfig({ HERMES_TIMEZONE: 'Asia/Kolkata' }).timezone).toBe('Asia/Kolkata');
    expect(loadConfig({ HERMES_TIMEZONE: 'Europe/Kyiv' }).timezone).toBe('Europe/Kyiv');
    // Typed in lower case, an alias becomes the zone it stands for: "est5edt" as typed would be refused by EventBridge.
    expect(loadConfig({ HERMES_TIMEZONE: 'est5edt' }).timezone).toBe('America/New_York');
    expect(loadConfig({ HERMES_TIMEZONE: 'EST5EDT' }).timezone).toBe('EST5EDT');
    expect(loadConfig({ HERMES_TIMEZONE: 'Us/eastern' }).timezone).toBe('America/New_York');
  });

  it('reads classic Hermes’ HERMES_MAX_ITERATIONS as the step limit unless HERMES_MAX_STEPS is set', () => {
    expect(loadConfig({ HERMES_MAX_ITERATIONS: '60' }).maxSteps).toBe(60);
    expect(loadConfig({ HERMES_MAX_ITERATIONS: '60', HERMES_MAX_STEPS: '12' }).maxSteps).toBe(12);
    expect(loadConfig({}).maxSteps).toBe(10);
  });

  it('takes Amazon Transcribe languages with a three-letter code, such as Asturian', () => {
    expect(loadConfig({ HERMES_TRANSCRIBE_LANGUAGE: 'ast-ES' }).transcription.language).toBe('ast-ES');
  });

  it('accepts every documented thinking level', () => {
    for (const level of ['off', 'low', 'high', 'max']) expect(loadConfig({ HERMES_REASONING: level }).reasoning).toBe(level);
  });

  it('reads the spend limits, with their documented defaults', () => {
    expect(loadConfig({}).limits).toEqual({ maxJobsPerChat: 20, minJobIntervalMinutes: 1, skillsIndexChars: 8_000, dailyTokenBudget: 0 });
    expect(
      loadConfig({ HERMES_MAX_JOBS_PER_CHAT: '3', HERMES_MIN_JOB_INTERVAL_MINUTES: '15', HERMES_SKILLS_INDEX_CHARS: '500', HERMES_DAILY_TOKEN_BUDGET: '100000' }).limits,
    ).toEqual({ maxJobsPerChat: 3, minJobIntervalMinutes: 15, skillsIndexChars: 500, dailyTokenBudget: 100_000 });
  });

  it('makes the first allowed user the skill admin unless HERMES_ADMIN_USERS names them; no allowlist means no restriction', () => {
    expect(loadConfig({ TELEGRAM_ALLOWED_USERS: '11,22' }).skillAdmins).toEqual(['11']);
    expect(loadConfig({ TELEGRAM_ALLOWED_USERS: '11,22', HERMES_ADMIN_USERS: '22,33' }).skillAdmins).toEqual(['22', '33']);
    expect(loadConfig({}).skillAdmins).toBeUndefined();
    // A bot for groups alone answers everyone in them: nobody is an admin unless named.
    expect(loadConfig({ TELEGRAM_ALLOWED_CHATS: '-100123' }).skillAdmins).toEqual([]);
    expect(loadConfig({ TELEGRAM_ALLOWED_CHATS: '-100123', HERMES_ADMIN_USERS: '11' }).skillAdmins).toEqual(['11']);
  });

  it('reads numbers and a model id past stray spaces, as a copied line often has them', () => {
    expect(loadConfig({ HERMES_MODEL: 'deepseek-flash ', HERMES_MAX_STEPS: ' 12 ' })).toMatchObject({ model: 'deepseek-flash', maxSteps: 12 });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ HERMES_PROVIDER: '', TELEGRAM_ALLOWED_USERS: '' }).provider).toBe('deepseek');
  });

  it('requires a DeepSeek key only when DeepSeek is the provider', () => {
    expect(() => assertModelCredentials(loadConfig({}))).toThrow(/DEEPSEEK_API_KEY/);
    expect(() => assertModelCredentials(loadConfig({ DEEPSEEK_API_KEY: 'k' }))).not.toThrow();
  });
});
