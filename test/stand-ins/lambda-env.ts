/** Secrets of the test deployment; the redaction test searches every log line for them. */
export const SECRETS = {
  botToken: '123456:RELIABILITY-bot-token-Zq9',
  webhookSecret: 'reliability_webhook-Secret42',
  deepseekKey: 'sk-reliability-deepseek-key-7f3a91',
} as const;

export const ALLOWED_USER = 77;
/** A supergroup the deployment allows (TELEGRAM_ALLOWED_CHATS); the bot answers there when mentioned. */
export const ALLOWED_GROUP = -100_555;

export interface LambdaEnvParts {
  dynamoEndpoint: string;
  table: string;
  s3Endpoint: string;
  bucket: string;
  /** HERMES_HOME; left to its default when a suite keeps nothing on disk. */
  home?: string;
  botApiRoot: string;
  modelUrl: string;
}

/**
 * The environment of the deployed function, pointed at local stand-ins: DynamoDB for sessions and dedup, S3 for
 * skills, a fake Bot API and a model server. Scheduler and memory stay local because they are not what these
 * suites measure.
 */
export function lambdaEnv(parts: LambdaEnvParts): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: parts.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: parts.s3Endpoint,
    HERMES_SESSION_BACKEND: 'dynamodb',
    HERMES_SESSION_TABLE: parts.table,
    HERMES_SKILLS_S3_BUCKET: parts.bucket,
    ...(parts.home ? { HERMES_HOME: parts.home } : {}),
    TELEGRAM_BOT_TOKEN: SECRETS.botToken,
    TELEGRAM_BOT_USERNAME: 'hermes_reliability_bot',
    TELEGRAM_WEBHOOK_SECRET: SECRETS.webhookSecret,
    TELEGRAM_ALLOWED_USERS: String(ALLOWED_USER),
    TELEGRAM_ALLOWED_CHATS: String(ALLOWED_GROUP),
    TELEGRAM_API_ROOT: parts.botApiRoot,
    DEEPSEEK_API_KEY: SECRETS.deepseekKey,
    DEEPSEEK_BASE_URL: parts.modelUrl,
    HERMES_MODEL_RETRIES: '0',
    HERMES_LOG_LEVEL: 'error',
    // Each message its own turn, as most suites count answers per message; the batching suites turn it on.
    HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0',
  };
}

/** Sets every variable for the suite's duration through vitest's `vi.stubEnv`, which `vi.unstubAllEnvs()` undoes. */
export function stubEnvs(env: Record<string, string>, stubEnv: (name: string, value: string) => unknown): void {
  for (const [name, value] of Object.entries(env)) stubEnv(name, value);
}
