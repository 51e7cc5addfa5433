import { HttpError, type Transformer } from 'grammy';

export interface NetworkRetryOptions {
  /** Retries after the first attempt; then the error goes to the caller. */
  maxRetries: number;
  /** Wait before the first retry, doubled for each further one. */
  firstDelayMs: number;
}

/**
 * Bounded retries of calls that got no answer from Telegram (HttpError: a refused, timed-out or dropped
 * connection). auto-retry would retry these forever, with waits growing to an hour and no way to stop, so it is
 * told to rethrow them and this takes over with a limit.
 */
export function retryNetworkErrors(options: NetworkRetryOptions = { maxRetries: 2, firstDelayMs: 500 }): Transformer {
  return async (prev, method, payload, signal) => {
    for (let retry = 0; ; retry++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || retry >= options.maxRetries) throw error;
        await pause(options.firstDelayMs * 2 ** retry, signal as AbortSignal | undefined);
      }
    }
  };
}

/**
 * Gives every Bot API call, its retries and its waits an abort signal that fires `graceMs` after the turn's
 * deadline, so no call outlives the invocation (or the local worker's limit). The deadline already keeps a margin
 * before the function's end, for the answer to go out after the model stopped; the grace stays within it.
 * Without a deadline, calls run as they are.
 */
export function abortAtDeadline(deadline: (() => number | undefined) | undefined, graceMs = 4_000): Transformer {
  return (prev, method, payload, signal) => {
    const at = deadline?.();
    if (at === undefined) return prev(method, payload, signal);
    const timeout = AbortSignal.timeout(Math.max(1, at + graceMs - Date.now()));
    // grammY types its signal with an older polyfill's declaration; at run time it is Node's own AbortSignal.
    const combined = signal ? AbortSignal.any([signal as AbortSignal, timeout]) : timeout;
    return prev(method, payload, combined as unknown as typeof signal);
  };
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('Bot API call aborted at the deadline while waiting to retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
