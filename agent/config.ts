import { z } from 'zod';
import { ConfigError } from '../tools/errors.ts';
import { csvUserIds, telegramAccessOf } from './telegram-access.ts';
import { HERMES_SESSION_SCOPE, type SessionScope } from './session-key.ts';
import { LOG_LEVELS, type Level } from './logger.ts';
import { BEDROCK_IMAGE_MAX_BYTES, DEFAULT_MODELS, MAX_OUTPUT_TOKENS, PROVIDERS, REASONING_LEVELS, RETIRED_MODELS, type ModelProvider, type ReasoningLevel } from './providers.ts';
import { DEFAULT_SPEND_LIMITS, type SpendLimits } from '../tools/spend-limits.ts';
import { MEMORY_LIMITS } from '../tools/memory-limits.ts';
import type { MemoryLimits } from '../tools/ports/memory-store.ts';
import type { HermesConfigYaml } from './local/hermes-config-yaml.ts';

const MIN_WEBHOOK_SECRET_CHARS = 16;

/** Where Hermes sends its voice key unless STT_OPENAI_BASE_URL says otherwise (tools/transcription_tools.py). */
const OPENAI_API_BASE_URL = 'https://api.openai.com/v1';

/** Bot API getFile: "bots can download files of up to 20MB in size" (core.telegram.org/bots/api#getfile, read 2026-12-01). */
export const TELEGRAM_GETFILE_MAX_BYTES = 20 * 1024 * 1024;
const csvModels = z
  .string()
  .transform((raw) => raw.split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[\w.:/@-]+$/, 'must be model ids separated by commas')).min(1));

const flag = z.enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false').transform((value) => ['true', '1', 'yes'].includes(value));

/** Whole numbers as written in decimal: `0x10`, `1e3` or `12.0` are refused rather than read as something else. */
const wholeNumber = (range: z.ZodNumber) => z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(range);

const positiveInt = (fallback: number) => wholeNumber(z.number().int().positive()).default(fallback);

/** Seconds, fractions allowed (0.6), as classic Hermes' delays are written. */
const seconds = (max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of seconds, such as 0.6')
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max} seconds`));

/** An endpoint the SDKs can call: `localhost:8000` parses as a URL of scheme "localhost", and then fails every request. */
const httpUrl = () => z.url().refine((url) => /^https?:\/\//i.test(url), 'must start with http:// or https://');

/** A folder of an S3 bucket, as `skills/`; empty for the bucket's top. No `.`, `..` or empty segment: a key is a path here. */
const s3Prefix = (fallback: string) =>
  z
    .string()
    .refine(
      (prefix) => {
        const key = prefix.replace(/^\/+/, '');
        return key === '' || (/^(?:[^/]+\/)+$/.test(key) && !key.split('/').some((segment) => segment === '.' || segment === '..'));
      },
      'must be a folder path ending in "/", such as skills/, without "." or ".." segments',
    )
    .default(fallback);

const envSchema = z.object({
  HERMES_PROVIDER: z.enum(PROVIDERS).default('deepseek'),
  HERMES_MODEL: z.string().trim().min(1).optional(),
  HERMES_REASONING: z.enum(REASONING_LEVELS).default('low'),
  HERMES_MAX_OUTPUT_TOKENS: positiveInt(8192),
  HERMES_PROMPT_CACHE_TTL: z.enum(['5m', '1h']).default('1h'),
  DEEPSEEK_API_KEY: z.string().min(1).optional(),
  DEEPSEEK_BASE_URL: httpUrl().optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: httpUrl().optional(),
  AWS_BEARER_TOKEN_BEDROCK: z.string().trim().min(1).optional(),
  // Set by the SDK's conventions (a local emulator's endpoint): buckets then go in the path, not the host name.
  AWS_ENDPOINT_URL_S3: httpUrl().optional(),
  AWS_ENDPOINT_URL: httpUrl().optional(),
  // Set by Lambda itself in every function's environment.
  AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).optional(),
  TELEGRAM_BOT_USERNAME: z.string().regex(/^[A-Za-z]\w{3,31}$/, 'must be the bot\'s username without @ (5 to 32 letters, digits or underscores)').optional(),
  HERMES_HOME: z.string().trim().min(1, 'must name a folder').default('./.hermes'),
  HERMES_MAX_STEPS: wholeNumber(z.number().int().positive()).optional(),
  // Classic Hermes' name for the same limit (hermes_cli/setup.py), so its .env keeps working.
  HERMES_MAX_ITERATIONS: wholeNumber(z.number().int().positive()).optional(),
  HERMES_MODEL_RETRIES: wholeNumber(z.number().int().min(0).max(10)).default(2),
  HERMES_CONTEXT_TOKENS: positiveInt(16_000),
  HERMES_WINDOW_TURNS: positiveInt(20),
  HERMES_TIMEZONE: z.string().min(1).optional(),
  // Hermes falls back to the machine's local time (hermes_time.py); on Lambda TZ is ":UTC", which is no zone name.
  TZ: z.string().optional(),
  HERMES_PERSONA: z.string().min(1).optional(),
  HERMES_LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
  HERMES_SESSION_BACKEND: z.enum(['local', 'file', 'dynamodb']).default('local'),
  HERMES_SESSION_TABLE: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name: 3 to 255 letters, digits, _, - or .').default('hermes'),
  HERMES_SESSION_TTL_DAYS: positiveInt(90),
  HERMES_SKILLS_S3_BUCKET: z.string().min(3).optional(),
  HERMES_SKILLS_S3_PREFIX: s3Prefix('skills/'),
  HERMES_SCHEDULER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  HERMES_SCHEDULER_TARGET_ARN: z.string().startsWith('arn:').optional(),
  HERMES_SCHEDULER_GROUP: z.string().regex(/^[0-9A-Za-z_.-]{1,64}$/, 'must be a schedule group name: 1 to 64 letters, digits, _, - or .').default('default'),
  // A reminder fires up to one tick late, and Node's timers cannot wait longer than about 24 days anyway.
  HERMES_SCHEDULER_TICK_SECONDS: wholeNumber(z.number().int().positive().max(3_600, 'must be at most 3600 (an hour)')).default(30),
  HERMES_AGENTCORE_MEMORY_ID: z.string().min(1).optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-token').optional(),
  // Telegram accepts 1-256 characters (Bot API setWebhook, secret_token, read 2026-12-01). The secret is the only
  // guard of a public Function URL, so a short one that can be guessed is refused: 16 characters of this
  // alphabet are about 95 bits.
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ or -')
    .min(MIN_WEBHOOK_SECRET_CHARS, `must be at least ${MIN_WEBHOOK_SECRET_CHARS} characters: it is the only guard of the public Function URL, so it must not be guessable`)
    .optional(),
  TELEGRAM_API_ROOT: httpUrl().optional(),
  TELEGRAM_REQUIRE_MENTION: flag.default(true),
  TELEGRAM_ACK: z.enum(['typing', 'reaction', 'both', 'none']).default('typing'),
  // Hermes' config.yaml keys group_sessions_per_user and thread_sessions_per_user, with Hermes' defaults.
  HERMES_GROUP_SESSIONS_PER_USER: flag.default(HERMES_SESSION_SCOPE.groupsPerUser),
  HERMES_THREAD_SESSIONS_PER_USER: flag.default(HERMES_SESSION_SCOPE.topicsPerUser),
  HERMES_MODELS: csvModels.optional(),
  HERMES_ADMIN_USERS: csvUserIds.optional(),
  HERMES_MAX_JOBS_PER_CHAT: positiveInt(DEFAULT_SPEND_LIMITS.maxJobsPerChat),
  HERMES_MIN_JOB_INTERVAL_MINUTES: positiveInt(DEFAULT_SPEND_LIMITS.minJobIntervalMinutes),
  HERMES_SKILLS_INDEX_CHARS: positiveInt(DEFAULT_SPEND_LIMITS.skillsIndexChars),
  HERMES_DAILY_TOKEN_BUDGET: wholeNumber(z.number().int().min(0)).default(DEFAULT_SPEND_LIMITS.dailyTokenBudget),
  HERMES_TURN_QUEUE_URL: z.url().refine((url) => url.endsWith('.fifo'), 'must be the URL of an SQS FIFO queue (ending in .fifo)').optional(),
  HERMES_WORKER_TIMEOUT_SECONDS: wholeNumber(z.number().int().min(30).max(900)).default(300),
  HERMES_WORKER_MAX_RECEIVES: wholeNumber(z.number().int().min(1).max(1000)).default(3),
  HERMES_EDIT_WINDOW_SECONDS: wholeNumber(z.number().int().min(0)).default(600),
  // Classic Hermes' names and defaults (gateway/platforms/telegram.py): a quiet time after a text, longer after one of
  // the size Telegram's apps split a long paste at. 0 answers every text on its own.
  HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: seconds(10).default(0.6),
  HERMES_TELEGRAM_TEXT_BATCH_SPLIT_DELAY_SECONDS: seconds(10).default(2),
  HERMES_MEDIA_S3_BUCKET: z.string().min(3).optional(),
  HERMES_MEDIA_S3_PREFIX: s3Prefix('media/'),
  HERMES_MEDIA_MAX_BYTES: wholeNumber(z.number().int().positive().max(TELEGRAM_GETFILE_MAX_BYTES, 'cannot exceed 20 MB, the most the Bot API getFile serves')).default(TELEGRAM_GETFILE_MAX_BYTES),
  HERMES_IMAGE_MAX_BYTES: positiveInt(BEDROCK_IMAGE_MAX_BYTES),
  HERMES_VISION: z.enum(['auto', 'on', 'off']).default('auto'),
  HERMES_DOCUMENT_MAX_PAGES: positiveInt(30),
  HERMES_DOCUMENT_MAX_CHARS: positiveInt(60_000),
  HERMES_TRANSCRIBE: z.enum(['auto', 'aws', 'openai', 'off']).default('auto'),
  HERMES_TRANSCRIBE_MODEL: z.string().min(1).optional(),
  // Classic Hermes' names for the same settings (tools/transcription_tools.py): its voice key wins over OPENAI_API_KEY.
  STT_OPENAI_MODEL: z.string().min(1).optional(),
  STT_OPENAI_BASE_URL: httpUrl().optional(),
  VOICE_TOOLS_OPENAI_KEY: z.string().min(1).optional(),
  // Amazon Transcribe's LanguageCode names language and region ("de-DE"); a bare "de" is refused by the service
  // (StartTranscriptionJob API Reference, checked 2026-12-02).
  HERMES_TRANSCRIBE_LANGUAGE: z.string().trim().regex(/^[a-z]{2,3}-[A-Z]{2}$/, 'must be a language with its region, such as en-US or de-DE').optional(),
  HERMES_VOICE_MAX_SECONDS: positiveInt(300),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: httpUrl().optional(),
});

export interface Config {
  provider: ModelProvider;
  model: string;
  reasoning: ReasoningLevel;
  maxOutputTokens: number;
  /** How long Bedrock keeps a cached prompt prefix, where the model offers the hour (cache-points.ts). */
  promptCacheTtl: '5m' | '1h';
  deepseek: { apiKey?: string; baseURL?: string };
  /** `apiKey`: a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK), used instead of AWS credentials when set. */
  bedrock: { region: string; baseURL?: string; apiKey?: string };
  home: string;
  maxSteps: number;
  modelRetries: number;
  contextTokens: number;
  windowTurns: number;
  timezone: string;
  persona?: string;
  /** Running in a Lambda function: no state may live on its local disk. */
  onLambda: boolean;
  /** An S3 endpoint override (an emulator) is in use, so buckets go in the path. */
  s3ForcePathStyle: boolean;
  /** Unset: each entry point picks its own (the Lambda `info`, the terminal `warn`). */
  logLevel?: Level;
  sessions: { backend: 'local' | 'dynamodb'; table: string; ttlDays: number };
  skills: { bucket?: string; prefix: string };
  scheduler: { roleArn?: string; targetArn?: string; group: string; tickSeconds: number };
  memory: { agentCoreMemoryId?: string };
  telegram: {
    token?: string;
    /** Known in advance, a cold start skips the getMe round trip. */
    botUsername?: string;
    webhookSecret?: string;
    allowedUsers?: string[];
    apiRoot?: string;
    /** Groups and supergroups the bot answers in; every other group gets no answer. */
    allowedChats?: string[];
    /** In groups, answer only messages that mention the bot, reply to it or address it with a command. */
    requireMention: boolean;
    /** How receipt of a message is shown at once: the typing action, a 👀 reaction, both, or nothing. */
    ack: 'typing' | 'reaction' | 'both' | 'none';
    /** An edit made within this many seconds of sending is answered again. */
    editWindowSeconds: number;
    /** Whether group members (and forum topic members) each have a conversation of their own. */
    sessionScope: SessionScope;
    /**
     * Texts a sender sends in quick succession are answered as one: how long to wait for another after a text, and
     * after one as long as Telegram's split of a long paste (TEXT_SPLIT_CHARS). `delayMs` 0: no batching.
     */
    textBatch: { delayMs: number; splitDelayMs: number };
  };
  /** The models /model can switch a chat to; the first is `model`, the default. */
  models: string[];
  limits: SpendLimits;
  /** The memory notebooks' budgets: Hermes' defaults, or what a shared config.yaml sets. */
  memoryLimits: MemoryLimits;
  /** Skills a shared config.yaml turned off here (Telegram with a bot token, the terminal without): not offered. */
  disabledSkills: string[];
  /** Who may change shared skills: HERMES_ADMIN_USERS, else the first allowed user; undefined (no allowlist) lets everyone. */
  skillAdmins?: string[];
  /** Without `url` the webhook runs turns itself; `npm start` always uses an in-process queue. */
  turnQueue: { url?: string; workerTimeoutSeconds: number; maxReceives: number };
  media: {
    bucket?: string;
    prefix: string;
    maxBytes: number;
    imageMaxBytes: number;
    vision: 'auto' | 'on' | 'off';
    documentMaxPages: number;
    documentMaxChars: number;
  };
  transcription: {
    /** Resolved from HERMES_TRANSCRIBE=auto: Amazon Transcribe when files live in S3, else OpenAI when it has a key. */
    engine: 'aws' | 'openai' | 'off';
    model: string;
    language?: string;
    maxSeconds: number;
    openai: { apiKey?: string; baseURL?: string };
  };
}

/**
 * Reads and validates the environment once; the error names the first offending variable. `npm start` also passes
 * what classic Hermes' config.yaml sets: its time zone, which counts after HERMES_TIMEZONE and before TZ, and the
 * notebooks' budgets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, { configYaml = {} }: { configYaml?: HermesConfigYaml } = {}): Config {
  const configYamlTimezone = configYaml.timezone;
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const access = telegramAccessOf(env);
  const model = e.HERMES_MODEL ?? DEFAULT_MODELS[e.HERMES_PROVIDER];
  if (e.HERMES_TIMEZONE === undefined && configYamlTimezone !== undefined && canonicalTimezone(configYamlTimezone) === undefined) {
    throw new ConfigError('HERMES_TIMEZONE', `is not set, and HERMES_HOME/config.yaml names an unknown IANA time zone "${configYamlTimezone}"; fix its timezone, or set HERMES_TIMEZONE`);
  }
  const fallbackTimezone = (configYamlTimezone === undefined ? undefined : canonicalTimezone(configYamlTimezone)) ?? canonicalTimezone(e.TZ ?? '') ?? 'UTC';
  const timezone = e.HERMES_TIMEZONE === undefined ? fallbackTimezone : canonicalTimezone(e.HERMES_TIMEZONE);
  if (timezone === undefined) throw new ConfigError('HERMES_TIMEZONE', `unknown IANA time zone "${e.HERMES_TIMEZONE}"`);
  if (e.HERMES_PROVIDER === 'bedrock' && e.HERMES_IMAGE_MAX_BYTES > BEDROCK_IMAGE_MAX_BYTES) {
    throw new ConfigError('HERMES_IMAGE_MAX_BYTES', `must be at most ${BEDROCK_IMAGE_MAX_BYTES} on bedrock, the most Converse takes for one image`);
  }
  const outputCeiling = MAX_OUTPUT_TOKENS[e.HERMES_PROVIDER];
  if (e.HERMES_MAX_OUTPUT_TOKENS > outputCeiling) {
    throw new ConfigError('HERMES_MAX_OUTPUT_TOKENS', `must be at most ${outputCeiling} on ${e.HERMES_PROVIDER}, the most its models write in one answer`);
  }
  const retired = e.HERMES_MODEL === undefined ? undefined : RETIRED_MODELS[e.HERMES_MODEL];
  if (retired) {
    throw new ConfigError(
      'HERMES_MODEL',
      `"${e.HERMES_MODEL}" was retired by its provider on ${retired.retiredOn}; use "${retired.replacement}" (or unset HERMES_MODEL for the default)`,
    );
  }
  assertSeparatePrefixes(e);
  const retiredChoice = (e.HERMES_MODELS ?? []).find((id) => RETIRED_MODELS[id]);
  if (retiredChoice) {
    throw new ConfigError('HERMES_MODELS', `"${retiredChoice}" was retired by its provider on ${RETIRED_MODELS[retiredChoice]!.retiredOn}; use "${RETIRED_MODELS[retiredChoice]!.replacement}"`);
  }
  return {
    provider: e.HERMES_PROVIDER,
    model,
    models: [model, ...(e.HERMES_MODELS ?? []).filter((id) => id !== model)],
    reasoning: e.HERMES_REASONING,
    maxOutputTokens: e.HERMES_MAX_OUTPUT_TOKENS,
    promptCacheTtl: e.HERMES_PROMPT_CACHE_TTL,
    deepseek: { apiKey: e.DEEPSEEK_API_KEY, baseURL: e.DEEPSEEK_BASE_URL },
    bedrock: { region: e.AWS_REGION ?? 'us-east-1', baseURL: e.AWS_ENDPOINT_URL_BEDROCK_RUNTIME, apiKey: e.AWS_BEARER_TOKEN_BEDROCK },
    home: e.HERMES_HOME,
    maxSteps: e.HERMES_MAX_STEPS ?? e.HERMES_MAX_ITERATIONS ?? 10,
    modelRetries: e.HERMES_MODEL_RETRIES,
    contextTokens: e.HERMES_CONTEXT_TOKENS,
    windowTurns: e.HERMES_WINDOW_TURNS,
    timezone,
    persona: e.HERMES_PERSONA,
    onLambda: e.AWS_LAMBDA_FUNCTION_NAME !== undefined,
    s3ForcePathStyle: Boolean(e.AWS_ENDPOINT_URL_S3 ?? e.AWS_ENDPOINT_URL),
    logLevel: e.HERMES_LOG_LEVEL,
    sessions: {
      backend: e.HERMES_SESSION_BACKEND === 'dynamodb' ? 'dynamodb' : 'local',
      table: e.HERMES_SESSION_TABLE,
      ttlDays: e.HERMES_SESSION_TTL_DAYS,
    },
    skills: { bucket: e.HERMES_SKILLS_S3_BUCKET, prefix: normalizePrefix(e.HERMES_SKILLS_S3_PREFIX) },
    scheduler: {
      roleArn: e.HERMES_SCHEDULER_ROLE_ARN,
      targetArn: e.HERMES_SCHEDULER_TARGET_ARN,
      group: e.HERMES_SCHEDULER_GROUP,
      tickSeconds: e.HERMES_SCHEDULER_TICK_SECONDS,
    },
    memory: { agentCoreMemoryId: e.HERMES_AGENTCORE_MEMORY_ID },
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      botUsername: e.TELEGRAM_BOT_USERNAME,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      allowedUsers: access.allowedUsers,
      apiRoot: e.TELEGRAM_API_ROOT,
      editWindowSeconds: e.HERMES_EDIT_WINDOW_SECONDS,
      allowedChats: access.allowedChats,
      requireMention: e.TELEGRAM_REQUIRE_MENTION,
      ack: e.TELEGRAM_ACK,
      sessionScope: { groupsPerUser: e.HERMES_GROUP_SESSIONS_PER_USER, topicsPerUser: e.HERMES_THREAD_SESSIONS_PER_USER },
      textBatch: { delayMs: Math.round(e.HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS * 1000), splitDelayMs: Math.round(e.HERMES_TELEGRAM_TEXT_BATCH_SPLIT_DELAY_SECONDS * 1000) },
    },
    media: {
      bucket: e.HERMES_MEDIA_S3_BUCKET ?? e.HERMES_SKILLS_S3_BUCKET,
      prefix: normalizePrefix(e.HERMES_MEDIA_S3_PREFIX),
      maxBytes: e.HERMES_MEDIA_MAX_BYTES,
      imageMaxBytes: e.HERMES_IMAGE_MAX_BYTES,
      vision: e.HERMES_VISION,
      documentMaxPages: e.HERMES_DOCUMENT_MAX_PAGES,
      documentMaxChars: e.HERMES_DOCUMENT_MAX_CHARS,
    },
    transcription: {
      engine: transcriptionEngine(e.HERMES_TRANSCRIBE, Boolean(e.HERMES_MEDIA_S3_BUCKET ?? e.HERMES_SKILLS_S3_BUCKET), Boolean(e.VOICE_TOOLS_OPENAI_KEY ?? e.OPENAI_API_KEY)),
      model: e.HERMES_TRANSCRIBE_MODEL ?? e.STT_OPENAI_MODEL ?? 'gpt-4o-mini-transcribe',
      language: e.HERMES_TRANSCRIBE_LANGUAGE,
      maxSeconds: e.HERMES_VOICE_MAX_SECONDS,
      // Hermes' voice key goes only to STT_OPENAI_BASE_URL (OpenAI itself by default): its users' OPENAI_BASE_URL is often
      // the main model's provider (OpenRouter), which must not receive the key or the audio. Named outright, as the
      // OpenAI package would otherwise fall back to OPENAI_BASE_URL on its own.
      openai: e.VOICE_TOOLS_OPENAI_KEY
        ? { apiKey: e.VOICE_TOOLS_OPENAI_KEY, baseURL: e.STT_OPENAI_BASE_URL ?? OPENAI_API_BASE_URL }
        : { apiKey: e.OPENAI_API_KEY, baseURL: e.STT_OPENAI_BASE_URL ?? e.OPENAI_BASE_URL },
    },
    limits: {
      maxJobsPerChat: e.HERMES_MAX_JOBS_PER_CHAT,
      minJobIntervalMinutes: e.HERMES_MIN_JOB_INTERVAL_MINUTES,
      skillsIndexChars: e.HERMES_SKILLS_INDEX_CHARS,
      dailyTokenBudget: e.HERMES_DAILY_TOKEN_BUDGET,
    },
    memoryLimits: { ...MEMORY_LIMITS, ...configYaml.memoryLimits },
    disabledSkills: configYaml.disabledSkills ? [...configYaml.disabledSkills.everywhere, ...configYaml.disabledSkills[e.TELEGRAM_BOT_TOKEN ? 'telegram' : 'cli']] : [],
    ...skillAdminsOf({ admins: e.HERMES_ADMIN_USERS, ...access }),
    turnQueue: { url: e.HERMES_TURN_QUEUE_URL, workerTimeoutSeconds: e.HERMES_WORKER_TIMEOUT_SECONDS, maxReceives: e.HERMES_WORKER_MAX_RECEIVES },
  };
}

/** Model credentials are checked separately so that commands which never call the model still start. */
export function assertModelCredentials(config: Config): void {
  if (config.provider === 'deepseek' && !config.deepseek.apiKey) {
    throw new ConfigError(
      'DEEPSEEK_API_KEY',
      'is not set. Get a key at platform.deepseek.com and export DEEPSEEK_API_KEY=... (or, with npm start, put it in HERMES_HOME/.env as classic Hermes keeps it), or set HERMES_PROVIDER=bedrock with AWS credentials.',
    );
  }
}

/** The owner who set up a bot lists themself first; with no allowlist (the terminal) there is one user. */
function skillAdminsOf({ admins, allowedUsers, allowedChats }: { admins?: string[]; allowedUsers?: string[]; allowedChats?: string[] }): { skillAdmins?: string[] } {
  if (admins !== undefined && admins.length > 0) return { skillAdmins: admins };
  if (allowedUsers !== undefined && allowedUsers.length > 0) return { skillAdmins: [allowedUsers[0]!] };
  // A bot for groups alone answers everyone in them; nobody there is the owner unless HERMES_ADMIN_USERS says so.
  return allowedChats !== undefined && allowedChats.length > 0 ? { skillAdmins: [] } : {};
}

function transcriptionEngine(setting: 'auto' | 'aws' | 'openai' | 'off', filesInS3: boolean, hasOpenAiKey: boolean): 'aws' | 'openai' | 'off' {
  if (setting !== 'auto') return setting;
  if (filesInS3) return 'aws';
  return hasOpenAiKey ? 'openai' : 'off';
}

/**
 * Skills and received files may share a bucket, under prefixes apart: a skill listing that reached into media would
 * take a chat's files for skill files, and deleting a skill named `media` would delete every chat's files.
 */
function assertSeparatePrefixes(e: { HERMES_SKILLS_S3_BUCKET?: string | undefined; HERMES_SKILLS_S3_PREFIX: string; HERMES_MEDIA_S3_BUCKET?: string | undefined; HERMES_MEDIA_S3_PREFIX: string }): void {
  const skillsBucket = e.HERMES_SKILLS_S3_BUCKET;
  if (skillsBucket === undefined || (e.HERMES_MEDIA_S3_BUCKET ?? skillsBucket) !== skillsBucket) return;
  const skills = normalizePrefix(e.HERMES_SKILLS_S3_PREFIX);
  const media = normalizePrefix(e.HERMES_MEDIA_S3_PREFIX);
  if (skills.startsWith(media) || media.startsWith(skills)) {
    throw new ConfigError('HERMES_MEDIA_S3_PREFIX', `"${media}" overlaps the skills prefix "${skills}" in the same bucket; give each its own folder, such as skills/ and media/`);
  }
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/**
 * A time zone's name with the zone database's capitals (`europe/berlin` is `Europe/Berlin`), or undefined for no zone:
 * the name goes verbatim into EventBridge's ScheduleExpressionTimezone and before the model. Intl reads any case, but
 * names some zones by their old names (`Asia/Kolkata` as `Asia/Calcutta`), so a name is kept as written unless it
 * differs from a zone Intl lists, or from the zone it resolves to, in case alone.
 */
export function canonicalTimezone(zone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  // The usual case, a name already spelled as Intl spells it, needs no look through the list (about 2 ms at cold start).
  if (resolved === zone) return zone;
  const lower = zone.toLowerCase();
  const listed = Intl.supportedValuesOf('timeZone').find((name) => name.toLowerCase() === lower);
  if (listed) return listed;
  if (resolved.toLowerCase() === lower) return resolved;
  // An alias Intl knows by another name (Asia/Kolkata as Asia/Calcutta, EST5EDT as America/New_York): a name
  // capitalized as the zone database writes its names (each part starting with a capital) stays as written; any
  // other spelling becomes the zone it stands for, spelled so that EventBridge, whose names are case-sensitive, takes it.
  return zone.split('/').every((part) => /^[A-Z]/.test(part)) ? zone : resolved;
}
