import type { ModelMessage } from 'ai';
import { StoreError } from '../../tools/errors.ts';
import type { Reset, Turn } from '../ports/session-store.ts';
import type { SessionRow } from '../session-window.ts';
import { MESSAGE_SK_PREFIX, sessionPk } from './table-keys.ts';

export type SessionItem = Record<string, string | number>;

/**
 * Messages travel as one JSON string, as in the file store, so nested parts come back exactly as written
 * instead of passing through DynamoDB's map and number marshalling. A compacting turn also holds its summary.
 */
export function turnItem(sessionKey: string, turn: Turn, expiresAt: number): SessionItem {
  return {
    pk: sessionPk(sessionKey),
    sk: MESSAGE_SK_PREFIX + turn.id,
    kind: 'turn',
    at: turn.at,
    expiresAt,
    messages: JSON.stringify(turn.messages),
    ...(turn.summary ? { summary: turn.summary.text, coversThrough: turn.summary.coversThrough } : {}),
  };
}

export function resetItem(sessionKey: string, reset: Reset, expiresAt: number): SessionItem {
  return { pk: sessionPk(sessionKey), sk: MESSAGE_SK_PREFIX + reset.id, kind: reset.kind, at: reset.at, expiresAt };
}

export function rowFromItem(item: Record<string, unknown>): SessionRow {
  const sk = String(item.sk);
  const id = sk.slice(MESSAGE_SK_PREFIX.length);
  const at = Number(item.at);
  switch (item.kind) {
    case 'turn': {
      const messages = JSON.parse(String(item.messages)) as ModelMessage[];
      if (typeof item.summary !== 'string') return { kind: 'turn', id, at, messages };
      return { kind: 'turn', id, at, messages, summary: { text: item.summary, coversThrough: String(item.coversThrough) } };
    }
    case 'reset':
      return { kind: 'reset', id, at };
    default:
      throw new StoreError(`Session row ${sk} has an unknown kind "${String(item.kind)}".`);
  }
}

/**
 * DynamoDB counts attribute names plus UTF-8 values; a number's decimal length is an upper bound for its
 * stored size, so this never underestimates an item of strings and numbers.
 */
export function itemSizeBytes(item: SessionItem): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(String(value), 'utf8');
  }
  return bytes;
}
