export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * One JSON line per event (what CloudWatch Logs Insights reads). Every value registered as a secret is
 * replaced before writing, wherever it appears: in messages, fields or error stacks.
 */
export class JsonLogger implements Logger {
  private readonly secrets: string[];

  constructor(
    secrets: Array<string | undefined>,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly minLevel: Level = 'info',
  ) {
    this.secrets = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 6);
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.log('error', message, fields);
  }

  private log(level: Level, message: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < (LEVELS[this.minLevel] ?? 20)) return;
    const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...fields }, errorReplacer);
    this.write(this.redact(line));
  }

  private redact(line: string): string {
    let out = line;
    for (const secret of this.secrets) out = out.split(secret).join('[REDACTED]');
    return out;
  }
}

/**
 * An error as a line can hold it: with the HTTP status that tells a refused key from a provider down (the AI SDK's
 * `statusCode`, the AWS SDK's `$metadata.httpStatusCode`, or those of the last attempt an AI SDK RetryError gave up
 * after) and the error it wraps, which JSON.stringify would drop.
 */
function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { lastError } = value as { lastError?: unknown };
  const inner = value.cause instanceof Error ? value.cause : lastError instanceof Error ? lastError : undefined;
  const status = httpStatusOf(value) ?? (inner && httpStatusOf(inner));
  return {
    name: value.name,
    message: value.message,
    ...(status === undefined ? {} : { statusCode: status }),
    stack: value.stack,
    ...(inner ? { cause: inner } : {}),
  };
}

function httpStatusOf(error: Error): number | undefined {
  const { statusCode, $metadata } = error as { statusCode?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = typeof statusCode === 'number' ? statusCode : $metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
