import type { ModelMessage } from 'ai';
import type { Turn } from './ports/session-store.ts';
import { closedTurn } from './closed-turn.ts';

/**
 * The time a message was sent, to the minute, in the user's zone: "[Tue 2026-12-01 22:05]". Derived from the
 * stored turn, so a message renders byte-identical in every later request and the cached prefix holds.
 */
export function timeStamp(at: number, timezone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return `[${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}]`;
}

/** The user message that opens a turn, stamped with when it was sent. */
export function stampedUserMessage(message: ModelMessage, at: number, timezone: string): ModelMessage {
  if (message.role !== 'user') return message;
  const stamp = timeStamp(at, timezone);
  if (typeof message.content === 'string') return { ...message, content: `${stamp} ${message.content}` };
  return { ...message, content: [{ type: 'text', text: stamp }, ...message.content] };
}

/** Stored turns as the model sees them: each turn's messages in order, its opening user message time-stamped. */
export function renderTurns(turns: Turn[], timezone: string): ModelMessage[] {
  // A turn an earlier version stored open (a call that never ran, tool results last) is closed here, so its chat works again.
  return turns.flatMap((turn) => closedTurn(turn.messages).map((message, index) => (index === 0 ? stampedUserMessage(message, turn.at, timezone) : message)));
}

/** Matches the stamp `stampedUserMessage` puts before a text, for readers that want the words alone. */
export const TIME_STAMP_PREFIX = /^\[\w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}\]\s/;
