import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { errorMessage } from '../agent/errors.ts';
import { lambdaApp } from './lambda-app.ts';
import { checkWebhookRequest } from './webhook-request.ts';

/** Leaves time to send the reply and store the turn after the model stops. */
const DEADLINE_MARGIN_MS = 5_000;

/** Lambda Function URL entry for Telegram's webhook. */
export async function handler(event: LambdaFunctionURLEvent, context: Context): Promise<LambdaFunctionURLResult> {
  let app;
  try {
    app = await lambdaApp(context);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', message: 'startup failed', error: errorMessage(error) }));
    return json(500, { error: 'the bot is misconfigured; see the function logs' });
  }
  const check = checkWebhookRequest(event, app.webhookSecret);
  if (!check.ok) {
    app.runtime.log.warn('webhook request refused', { statusCode: check.statusCode, reason: check.error, path: event.rawPath });
    return json(check.statusCode, { error: check.error });
  }
  app.deadline.at = Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  try {
    await app.handleUpdate({ body: check.body, headers: event.headers ?? {} }, context);
    return json(200, { ok: true });
  } catch (error) {
    // A 5xx makes Telegram redeliver the update; its dedup claim was released, so it will be processed then.
    app.runtime.log.error('update processing failed', { error, updateId: check.update.update_id });
    return json(500, { error: 'processing failed; Telegram will retry' });
  }
}

function json(statusCode: number, body: object): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
