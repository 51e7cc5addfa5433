/** Base class so callers can tell our own failures from library ones with one `instanceof`. */
export class HermesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A required or malformed environment variable; the message always names it. */
export class ConfigError extends HermesError {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`${variable}: ${detail}`);
  }
}

/** Input that breaks a documented rule (skill name, schedule, size). Safe to show to the model or the user. */
export class ValidationError extends HermesError {}

/** A lookup by id or name that found nothing. */
export class NotFoundError extends HermesError {}

/** A backing store (DynamoDB, S3, files, AWS APIs) failed; the cause keeps the original error. */
export class StoreError extends HermesError {}

/** A turn with this id is already stored: the event was processed before (a redelivery). */
export class DuplicateTurnError extends HermesError {
  constructor(
    message: string,
    /** The answer stored with the turn, when the store was read: a reply lost on its way can be sent again. */
    readonly storedAnswer?: string,
    /**
     * The turn itself was found stored, not only the event's claim: without a stored answer, it is a request the
     * model did not answer, and what is owed for it is the notice saying so.
     */
    readonly turnFound = false,
  ) {
    super(message);
  }
}

/** The model provider failed or timed out. */
export class ModelError extends HermesError {
  /** Trying the same request again cannot help until something changes (a refused key, an empty balance, an unknown model, a conversation too long). */
  readonly lasting: boolean;

  constructor(message: string, options?: ErrorOptions & { lasting?: boolean }) {
    super(message, options);
    this.lasting = options?.lasting ?? false;
  }
}

/**
 * The chat will not take the bot's messages again: the user blocked the bot, it was removed from the group, or the
 * group became a supergroup under a new id. Trying again cannot help, so callers stop instead of retrying.
 */
export class RecipientGoneError extends HermesError {
  constructor(
    message: string,
    /** The new id when a group became a supergroup (Telegram's `migrate_to_chat_id`). */
    readonly movedToChatId?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The first error of this type in the chain: the error itself, what a library wrapped (grammY's BotError keeps it as `error`), or a cause. */
export function findError<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof type) return current;
    current = 'error' in current && current.error instanceof Error ? current.error : current.cause;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
