import type { Context } from 'aws-lambda';
import { ValidationError } from '../tools/errors.ts';
import { handler as cronHandler } from './cron.ts';
import { isFunctionUrlEvent, isJobFireEvent } from './event-kinds.ts';
import { handler as telegramHandler } from './telegram.ts';

/**
 * The one deployed function: Function URL requests go to the Telegram webhook, Scheduler payloads to the
 * cron handler. A Function URL event always has `requestContext.http`, and its body can never set the
 * top-level `source`, so HTTP callers cannot reach the cron path.
 */
export async function handler(event: unknown, context: Context): Promise<unknown> {
  if (isFunctionUrlEvent(event)) return telegramHandler(event, context);
  if (isJobFireEvent(event)) return cronHandler(event, context);
  throw new ValidationError('Unrecognized event: expected a Function URL request or a hermes.cron payload.');
}
