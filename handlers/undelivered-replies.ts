import { UNFINISHED_AFTER_TOOLS } from '../agent/agent-loop.ts';
import { DuplicateTurnError } from '../tools/errors.ts';
import type { DedupStore } from '../agent/ports/dedup-store.ts';
import { modelFailureNotice } from './model-failure-notice.ts';

/** Telegram redelivers an update for up to a day; a lost reply is owed that long. */
const OWED_SECONDS = 86_400;

const markerOf = (updateId: number) => `tg:undelivered:${updateId}`;

/**
 * A turn that was stored but whose reply could not be sent would otherwise be lost: the redelivery finds the
 * stored turn and is ignored as answered. The failed send leaves a marker, and the redelivery that finds it sends
 * the stored answer instead.
 */
export async function markUndelivered(dedup: DedupStore, updateId: number): Promise<void> {
  await dedup.claim(markerOf(updateId), OWED_SECONDS);
}

/**
 * True when the redelivered update's reply was owed and has now been sent. A turn stored without an answer (or with
 * only the note a failed model call leaves after tools) owes the notice that the model did not answer.
 */
export async function resendIfOwed(
  dedup: DedupStore,
  { updateId, error, send }: { updateId: number; error: DuplicateTurnError; send: (text: string) => Promise<void> },
): Promise<boolean> {
  // Only the event's claim was met (a delivery while another runs it): nothing is known to be owed.
  if (error.storedAnswer === undefined && !error.turnFound) return false;
  // A claim that succeeds means no marker was there: the reply went out, and the probe is given back.
  const marker = markerOf(updateId);
  const unmarked = await dedup.claim(marker, 1);
  if (unmarked) {
    await dedup.release(marker);
    return false;
  }
  const answer = error.storedAnswer;
  await send(answer === undefined || answer === UNFINISHED_AFTER_TOOLS ? modelFailureNotice() : answer);
  await dedup.release(marker);
  return true;
}
