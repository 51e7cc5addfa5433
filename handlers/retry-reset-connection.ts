import { HttpError, type Transformer } from 'grammy';

/** How a connection the peer already closed shows up when it is written to. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/**
 * A warm Lambda keeps its connection to Telegram open while frozen between invocations; Telegram may close it
 * meanwhile, and the next call then fails at once on the dead connection. One immediate retry, on a new
 * connection, covers that. Other network errors are left to auto-retry, whose first wait is 3 seconds.
 */
export function retryResetConnection(): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      if (!(error instanceof HttpError) || !isConnectionReset(error.error) || signal?.aborted) throw error;
      return prev(method, payload, signal);
    }
  };
}

function isConnectionReset(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && RESET_CODES.has(code);
}
