/**
 * How the time of one invocation is cut up, for every path that runs a turn (webhook, queue worker, cron fire,
 * `npm start`): one place for each margin and why it is that long.
 */

/** A turn must have answered this long before its invocation ends: time to store the turn and send the reply. */
export const ANSWER_MARGIN_MS = 5_000;
/** No new model step starts this close to the answer deadline, so the step in flight and the reply still fit. */
export const LAST_STEP_MARGIN_MS = 8_000;
/** The worker's last attempt tells the chat this long before Lambda would kill it. */
export const KILL_NOTICE_MARGIN_MS = 1_500;
/** grammY's own webhook timeout, the last safety net, fires this long before the invocation ends. */
export const WEBHOOK_SAFETY_NET_MS = 1_000;
/**
 * Fetching and converting received files (downloads, transcription) stops this long before the answer deadline, so
 * the model still has time to answer the caption and say what could not be read.
 */
export const MEDIA_RESERVE_MS = 20_000;
/** The shortest wait any abort timer is given, so a turn that starts late still gets one model call. */
const MIN_ABORT_MS = 1_000;

/** Epoch ms by which a turn must have answered, given the time the invocation has left (and an optional cap). */
export function answerDeadline(remainingMs: number, capMs = Number.POSITIVE_INFINITY): number {
  return Date.now() + Math.min(remainingMs, capMs) - ANSWER_MARGIN_MS;
}

/** When the turn stops starting model steps and answers with what it has. */
export function softDeadlineOf(deadline: number): number {
  return deadline - LAST_STEP_MARGIN_MS;
}

/** Aborts the model call in flight at the answer deadline. */
export function abortAtAnswerDeadline(deadline: number): AbortSignal {
  return AbortSignal.timeout(Math.max(MIN_ABORT_MS, deadline - Date.now()));
}

/** Aborts the fetching and converting of received files in time for the model to answer (see MEDIA_RESERVE_MS). */
export function abortMediaBefore(deadline: number): AbortSignal {
  return AbortSignal.timeout(Math.max(MIN_ABORT_MS, deadline - MEDIA_RESERVE_MS - Date.now()));
}

/**
 * Aborts a turn's summary call when half the time to its last step is gone: a summary is not the answer (a turn whose
 * summary fails answers from the recent turns), and a provider holding the call open under load (DeepSeek keeps it for
 * up to 10 minutes, "Rate Limit", read 2026-12-03) would otherwise take the whole turn with it.
 */
export function abortSummaryBefore(softDeadline: number): AbortSignal {
  return AbortSignal.timeout(Math.max(MIN_ABORT_MS, Math.floor((softDeadline - Date.now()) / 2)));
}
