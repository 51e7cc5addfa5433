import { timingSafeEqual } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { Update } from 'grammy/types';

/** Far above any real Telegram update; anything larger is refused before it is decoded. */
export const MAX_BODY_BYTES = 1_000_000;

export type WebhookCheck =
  | { ok: true; update: Update; body: string }
  | { ok: false; statusCode: number; error: string };

/**
 * Everything a Function URL request must pass before grammY sees it, in an order that does the least work
 * for a stranger: the secret first (on every path and method), then size, encoding and JSON shape.
 */
export function checkWebhookRequest(event: LambdaFunctionURLEvent, expectedSecret: string): WebhookCheck {
  const given = event.headers?.['x-telegram-bot-api-secret-token'] ?? event.headers?.['X-Telegram-Bot-Api-Secret-Token'];
  if (!given || !safeEqual(given, expectedSecret)) return { ok: false, statusCode: 401, error: 'unauthorized' };
  if (event.requestContext?.http?.method && event.requestContext.http.method !== 'POST') {
    return { ok: false, statusCode: 405, error: 'only POST is accepted' };
  }
  const raw = event.body ?? '';
  if (Buffer.byteLength(raw) > (event.isBase64Encoded ? (MAX_BODY_BYTES * 4) / 3 : MAX_BODY_BYTES)) {
    return { ok: false, statusCode: 413, error: `body larger than ${MAX_BODY_BYTES} bytes` };
  }
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, statusCode: 400, error: 'body is not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || !Number.isSafeInteger((parsed as { update_id?: unknown }).update_id)) {
    return { ok: false, statusCode: 400, error: 'body is not a Telegram update (no integer update_id)' };
  }
  return { ok: true, update: parsed as Update, body };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
