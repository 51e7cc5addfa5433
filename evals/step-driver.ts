import type { FireResult } from '../agent/cron-runner.ts';
import { handler } from '../handlers/lambda.ts';
import { functionUrlEvent, lambdaContext } from '../test/stand-ins/lambda-events.ts';
import { messageUpdate } from './message-update.ts';
import type { ModelStepReport } from './model-backend.ts';
import { scheduledFire } from './scheduled-fire.ts';
import { isMessageStep, type CronStep, type MessageStep, type Step } from './scenario-schema.ts';
import { WEBHOOK_SECRET, type ScenarioWorld } from './scenario-world.ts';

/** A message as the Bot API received it from the bot. */
export interface SentMessage {
  chat_id: number;
  text: string;
  parse_mode?: string;
  message_thread_id?: number;
  reply_parameters?: { message_id: number };
}

/** Where a step's answer belongs: the chat and topic of its message, or of the job that fired. */
export interface Route {
  chatId: number;
  threadId?: number;
}

export interface StepObservation {
  route: Route;
  /** Epoch ms the step began: what a schedule's first run is measured from. */
  sentAt: number;
  /** The id of the step's message, for a message step. */
  messageId?: number;
  /** HTTP status of each delivery of a message step. */
  statuses: number[];
  fire?: FireResult;
  replies: SentMessage[];
  model: ModelStepReport;
}

/** Update ids the runner picks itself start here, clear of the small ids scenarios use for redelivery. */
const AUTO_UPDATE_ID = 10_000;

/** Plays one step through the deployed entry point, `handlers/lambda.ts`, and records what came out. */
export async function driveStep(world: ScenarioWorld, step: Step, index: number): Promise<StepObservation> {
  const sentBefore = world.bot.calls.length;
  const sentAt = Date.now();
  world.model.beginStep(step.exchanges);
  const outcome = isMessageStep(step) ? await postMessage(world, step, index) : await fireJob(world, step);
  const replies = world.bot.calls
    .slice(sentBefore)
    .filter((call) => call.method === 'sendMessage')
    .map((call) => call.params as unknown as SentMessage);
  return { ...outcome, sentAt, replies, model: world.model.endStep() };
}

async function postMessage(world: ScenarioWorld, step: MessageStep, index: number): Promise<Pick<StepObservation, 'route' | 'statuses' | 'messageId'>> {
  const { userId, chatId = userId, threadId, updateId = AUTO_UPDATE_ID + index, deliveries } = step.message;
  const update = messageUpdate({ message: step.message, index, updateId }, world);
  const event = functionUrlEvent({ body: JSON.stringify(update), secret: WEBHOOK_SECRET });
  const results = await Promise.all(Array.from({ length: deliveries }, () => handler(event, lambdaContext())));
  return {
    route: { chatId, ...(threadId !== undefined ? { threadId } : {}) },
    statuses: results.map((result) => (result as { statusCode: number }).statusCode),
    ...(update.message ? { messageId: update.message.message_id } : {}),
  };
}

async function fireJob(world: ScenarioWorld, step: CronStep): Promise<Pick<StepObservation, 'route' | 'statuses' | 'fire'>> {
  const fire = scheduledFire(world.scheduler, step.cron.job, step.cron.scheduledTime);
  const { chatId, threadId } = fire.job.delivery;
  const result = (await handler(fire, lambdaContext())) as FireResult;
  return { route: { chatId, ...(threadId !== undefined ? { threadId } : {}) }, statuses: [], fire: result };
}
