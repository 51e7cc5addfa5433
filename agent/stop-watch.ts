import type { Logger } from './logger.ts';

/**
 * How often a running turn asks whether its user pressed stop. Between steps the loop asks anyway, but one step of a
 * reasoning model can think for a minute, and a stop seen only after it would let that answer arrive regardless.
 * In the cloud each ask is one GetItem on the session's small STOP# item (one read unit), so a turn shorter than
 * this asks nothing extra and a one-minute turn asks 30 times, a fraction of a thousandth of its model's price.
 */
export const STOP_POLL_MS = 2_000;

export interface StopWatch {
  /** Aborts when a stop is seen while a model call is in flight: pass it to the model call to cut that call off. */
  readonly signal: AbortSignal;
  /** True once this watch saw a stop. */
  readonly stopped: boolean;
  /**
   * Only a model call is cut off. A tool that started runs to its end, so what it did (a job made, a memory saved)
   * is recorded with its step; a stop seen meanwhile ends the turn when the step does, or at the next model call.
   */
  modelCallStarted(): void;
  modelCallEnded(): void;
  dispose(): void;
}

/** Asks `shouldStop` every `everyMs` until disposed, one ask at a time; an ask that fails is skipped, not fatal. */
export function watchForStop(shouldStop: () => PromiseLike<boolean> | boolean, options: { log: Logger; everyMs?: number }): StopWatch {
  const controller = new AbortController();
  let seen = false;
  let inModelCall = false;
  let asking = false;
  const cutOff = () => {
    if (seen && inModelCall && !controller.signal.aborted) controller.abort(new Error('the user asked to stop'));
  };
  const ask = async () => {
    if (asking || seen) return;
    asking = true;
    try {
      seen = Boolean(await shouldStop());
      cutOff();
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
      return seen;
    },
    modelCallStarted: () => {
      inModelCall = true;
      cutOff();
    },
    modelCallEnded: () => {
      inModelCall = false;
    },
    dispose: () => clearInterval(timer),
  };
}
