import { randomUUID } from 'node:crypto';

/**
 * Turn ids sort by arrival time, so concurrent turns of one chat keep the order their messages came in,
 * and the unique suffix means two turns can never claim the same id.
 */
export function turnId(receivedAt: number, uniqueSuffix: string = randomUUID()): string {
  return `${String(receivedAt).padStart(15, '0')}#${uniqueSuffix}`;
}

/** With the event id of the /new message, the reset sorts between the turns that came before and after it. */
export function resetId(at: number, eventId = ''): string {
  return `${String(at).padStart(15, '0')}#${eventId}#~reset`;
}
