import type { Context, SQSEvent } from 'aws-lambda';
import { ValidationError } from '../tools/errors.ts';
import { isFunctionUrlEvent, isJobFireEvent, isSqsEvent } from './event-kinds.ts';
import { refreshStaleSecrets } from './lambda-secrets.ts';
import { handler as telegramHandler } from './telegram.ts';

/**
 * The entry of both deployed functions (one bundle): Function URL requests go to the Telegram webhook, SQS batches of
 * the turn queue to the worker, direct Scheduler payloads to the cron handler. A Function URL event always has
 * `requestContext.http`, and its body can never set the top-level `source`, so HTTP callers cannot reach the cron path.
 */
export async function handler(event: unknown, context: Context): Promise<unknown> {
  await refreshStaleSecrets();
  if (isFunctionUrlEvent(event)) return telegramHandler(event, context);
  if (isSqsEvent(event)) return (await import('./worker.ts')).handler(event as SQSEvent, context);
  // Only the fires of schedules made before the queue come here, and rarely: their code is a chunk of its own.
  if (isJobFireEvent(event)) return (await import('./cron.ts')).handler(event, context);
  throw new ValidationError('Unrecognized event: expected a Function URL request, an SQS batch or a hermes.cron payload.');
}
