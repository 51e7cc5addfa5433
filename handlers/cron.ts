import type { Context } from 'aws-lambda';
import type { FireResult } from '../agent/cron-runner.ts';
import { ValidationError } from '../tools/errors.ts';
import { answerDeadline } from '../agent/deadlines.ts';

/**
 * Entry for EventBridge Scheduler's invocations. It is only reachable through Lambda's invoke API: the
 * Function URL delivers HTTP events, which the dispatcher never routes here.
 */
export async function handler(event: unknown, context: Context): Promise<FireResult> {
  const [{ jobFireSchema }, { lambdaApp }, { runJobFire }, { sendReply }] = await Promise.all([
    import('./job-fire-schema.ts'),
    import('./lambda-app.ts'),
    import('../agent/cron-runner.ts'),
    import('./telegram-reply.ts'),
  ]);
  const parsed = jobFireSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`Not a hermes.cron payload: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const app = await lambdaApp(context);
  const deadline = answerDeadline(context.getRemainingTimeInMillis());
  return runJobFire(app.runtime, { fire: parsed.data, deliver: (delivery, text) => sendReply(app.bot.api, delivery, text), deadline });
}
