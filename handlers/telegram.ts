import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { ConfigError, errorMessage } from '../tools/errors.ts';
import { webhookSecret } from './lambda-secrets.ts';
import { checkWebhookRequest, SECRET_HEADER } from './webhook-request.ts';
import { oncePerContainer } from './once-per-container.ts';
import { answerDeadline } from '../agent/deadlines.ts';

/**
 * Loaded by the first authorized request only. Warm invocations reuse the promise: a dynamic import of a loaded
 * module still resolves the specifier (through any loader hooks) on every call.
 */
const appModule = oncePerContainer(() => import('./lambda-app.ts'));
/** The queue-mode ack path: routing, claim and enqueue, without the agent. */
const ackModule = oncePerContainer(() => import('./enqueue-update.ts'));

/**
 * Lambda Function URL entry for Telegram's webhook. The URL is public, so requests are checked before the
 * agent is even loaded: scanners and wrong secrets are refused at almost no cost. With a turn queue configured,
 * an accepted update is queued and answered 200 at once (the worker runs the turn); without one, the turn runs here.
 */
export async function handler(event: LambdaFunctionURLEvent, context: Context): Promise<LambdaFunctionURLResult> {
  let secret: string;
  try {
    secret = await webhookSecret();
  } catch (error) {
    return startupFailure(error);
  }
  const check = checkWebhookRequest(event, secret);
  if (!check.ok) {
    console.warn(JSON.stringify({ level: 'warn', message: 'webhook request refused', statusCode: check.statusCode, reason: check.error, path: event.rawPath }));
    return json(check.statusCode, { error: check.error });
  }

  try {
    const outcome = await (await ackModule.get()).acknowledgeUpdate(check.update as unknown as Record<string, unknown>, check.body);
    if (outcome !== 'inline') return json(200, { ok: true, outcome });
  } catch (error) {
    if (error instanceof ConfigError) return startupFailure(error);
    // Nothing was queued and the claim was given back: Telegram's redelivery gets another try.
    console.error(JSON.stringify({ level: 'error', message: 'could not queue the update', updateId: check.update.update_id, error: errorMessage(error) }));
    return json(500, { error: 'could not queue the update; Telegram will retry' });
  }

  let app;
  let loaded;
  try {
    loaded = await appModule.get();
    app = await loaded.lambdaApp(context);
  } catch (error) {
    return startupFailure(error);
  }
  app.deadline.at = answerDeadline(context.getRemainingTimeInMillis());
  try {
    // grammY reads the secret under two spellings only; it was checked above however the name was cased.
    await app.handleUpdate({ body: check.body, headers: { ...event.headers, [SECRET_HEADER]: secret } }, context);
    return json(200, { ok: true });
  } catch (error) {
    if (loaded.chatRefusesBot(error)) {
      app.runtime.log.warn("the reply's chat no longer takes the bot's messages; not retried", { error, updateId: check.update.update_id });
      return json(200, { ok: true });
    }
    // A 5xx makes Telegram redeliver the update; its claim was given back or lapses, so it will be processed then.
    app.runtime.log.error('update processing failed', { error, updateId: check.update.update_id });
    return json(500, { error: 'processing failed; Telegram will retry' });
  }
}

/** Configuration errors name the variable and hold no secret values, so they are safe to log as they are. */
function startupFailure(error: unknown): LambdaFunctionURLResult {
  console.error(JSON.stringify({ level: 'error', message: 'startup failed', error: errorMessage(error) }));
  return json(500, { error: 'the bot is misconfigured; see the function logs' });
}

function json(statusCode: number, body: object): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
