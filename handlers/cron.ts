import type { Context } from 'aws-lambda';
import type { FireResult } from '../agent/cron-runner.ts';
import { ValidationError } from '../tools/errors.ts';
import { answerDeadline } from '../agent/deadlines.ts';

/** What a direct invocation does with a fire when the turn queue exists: hands it to the worker. */
export type DirectFireResult = FireResult | { status: 'queued' };

/**
 * Entry for EventBridge Scheduler's direct invocations: schedules made before the turn queue existed still target
 * the function. It is only reachable through Lambda's invoke API: the Function URL delivers HTTP events, which the
 * dispatcher never routes here.
 */
export async function handler(event: unknown, context: Context): Promise<DirectFireResult> {
  const [{ jobFireSchema }, { loadSecretsIntoEnv }, { loadConfig }] = await Promise.all([
    import('./job-fire-schema.ts'),
    import('./lambda-secrets.ts'),
    import('../agent/config.ts'),
  ]);
  const parsed = jobFireSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError(`Not a hermes.cron payload: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  await loadSecretsIntoEnv();
  const queueUrl = loadConfig().turnQueue.url;
  // These invocations land on the webhook function, whose few reserved slots must stay free to answer Telegram. On
  // the queue the fire runs on the worker, in order with its chat's messages and with the queue's retries, as the
  // fires of newer schedules do. Should the queue refuse it, the error makes Lambda retry the invocation.
  if (queueUrl) {
    const [{ SQSClient }, { SqsTurnQueue }, { queuedFire }] = await Promise.all([
      import('@aws-sdk/client-sqs'),
      import('../agent/aws/sqs-turn-queue.ts'),
      import('../agent/queued-fire.ts'),
    ]);
    await new SqsTurnQueue(new SQSClient({}), queueUrl).enqueue(queuedFire(parsed.data));
    return { status: 'queued' };
  }
  const [{ lambdaApp }, { runJobFire }, { sendReply }] = await Promise.all([
    import('./lambda-app.ts'),
    import('../agent/cron-runner.ts'),
    import('./telegram-reply.ts'),
  ]);
  const app = await lambdaApp(context);
  const deadline = answerDeadline(context.getRemainingTimeInMillis());
  return runJobFire(app.runtime, { fire: parsed.data, deliver: (delivery, text) => sendReply(app.bot.api, delivery, text), deadline });
}
