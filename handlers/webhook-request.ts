import { timingSafeEqual } from 'node:crypto';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import type { Update } from 'grammy/types';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

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
  const given = headerOf(event, SECRET_HEADER);
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

/** Function URLs lowercase header names, but HTTP names are case-insensitive (RFC 9110 §5.1) and a proxy in front may not. */
function headerOf(event: LambdaFunctionURLEvent, lowercaseName: string): string | undefined {
  const headers = event.headers ?? {};
  if (headers[lowercaseName] !== undefined) return headers[lowercaseName];
  const key = Object.keys(headers).find((name) => name.toLowerCase() === lowercaseName);
  return key === undefined ? undefined : headers[key];
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
