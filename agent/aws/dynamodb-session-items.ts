import type { ModelMessage } from 'ai';
import { StoreError } from '../errors.ts';
import type { Checkpoint, Turn } from '../ports/session-store.ts';
import type { SessionRow } from '../session-window.ts';

/** Every window row shares this sort-key prefix, so one begins_with range read returns turns and checkpoints in order. */
export const MESSAGE_SK_PREFIX = 'MSG#';
export const META_SK = 'META';

export type SessionItem = Record<string, string | number>;

export function sessionPk(sessionKey: string): string {
  return `SESSION#${sessionKey}`;
}

/**
 * Messages travel as one JSON string, as in the file store, so nested parts come back exactly as written
 * instead of passing through DynamoDB's map and number marshalling.
 */
export function turnItem(sessionKey: string, turn: Turn, expiresAt: number): SessionItem {
  return {
    pk: sessionPk(sessionKey),
    sk: MESSAGE_SK_PREFIX + turn.id,
    kind: 'turn',
    at: turn.at,
    expiresAt,
    messages: JSON.stringify(turn.messages),
  };
}

export function checkpointItem(sessionKey: string, checkpoint: Checkpoint, expiresAt: number): SessionItem {
  const base = { pk: sessionPk(sessionKey), sk: MESSAGE_SK_PREFIX + checkpoint.id, kind: checkpoint.kind, at: checkpoint.at, expiresAt };
  return checkpoint.kind === 'summary' ? { ...base, text: checkpoint.text, coversThrough: checkpoint.coversThrough } : base;
}

export function rowFromItem(item: Record<string, unknown>): SessionRow {
  const sk = String(item.sk);
  const id = sk.slice(MESSAGE_SK_PREFIX.length);
  const at = Number(item.at);
  switch (item.kind) {
    case 'turn':
      return { kind: 'turn', id, at, messages: JSON.parse(String(item.messages)) as ModelMessage[] };
    case 'summary':
      return { kind: 'summary', id, at, text: String(item.text), coversThrough: String(item.coversThrough) };
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
