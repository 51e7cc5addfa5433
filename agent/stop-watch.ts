import type { Logger } from './logger.ts';

/**
 * How often a running turn asks whether its user pressed stop. Between steps the loop asks anyway, but one step of a
 * reasoning model can think for a minute, and a stop seen only after it would let that answer arrive regardless.
 * In the cloud each ask is one GetItem on the session's small STOP# item (one read unit), so a turn shorter than
 * this asks nothing extra and a one-minute step asks 30 times, a fraction of a thousandth of its model's price.
 */
export const STOP_POLL_MS = 2_000;

export interface StopWatch {
  /** Aborts when a stop was seen: pass it to the model call so the request in flight is cut off. */
  readonly signal: AbortSignal;
  /** True once this watch saw a stop. */
  readonly stopped: boolean;
  dispose(): void;
}

/** Asks `shouldStop` every `everyMs` until disposed, one ask at a time; an ask that fails is skipped, not fatal. */
export function watchForStop(shouldStop: () => PromiseLike<boolean> | boolean, options: { log: Logger; everyMs?: number }): StopWatch {
  const controller = new AbortController();
  let asking = false;
  const ask = async () => {
    if (asking || controller.signal.aborted) return;
    asking = true;
    try {
      if (await shouldStop()) controller.abort(new Error('the user asked to stop'));
    } catch (error) {
      options.log.warn('could not check for a stop request', { error });
    } finally {
      asking = false;
    }
  };
  const timer = setInterval(() => void ask(), options.everyMs ?? STOP_POLL_MS);
  // A turn's own work keeps the process alive; this timer alone must not (the terminal exits when the chat ends).
  timer.unref();
  return {
    signal: controller.signal,
    get stopped() {
      return controller.signal.aborted;
    },
    dispose: () => clearInterval(timer),
  };
}
