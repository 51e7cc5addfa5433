import type { Context } from 'aws-lambda';
import { webhookCallback, type Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { assertModelCredentials, loadConfig, type Config } from '../agent/config.ts';
import { ConfigError } from '../tools/errors.ts';
import { configuredLogger } from '../agent/configured-logger.ts';
import { createRuntime, type Runtime } from '../agent/runtime.ts';
import { stopRequestsFor } from '../agent/stop-requests-for.ts';
import { textArrivalsFor } from '../agent/text-arrivals-for.ts';
import type { TextBatch } from './text-batch.ts';
import type { StopRequests } from '../agent/ports/stop-requests.ts';
import { createBot, type HermesContext } from './telegram-bot.ts';
import { forgetLoadedSecrets, loadSecretsIntoEnv, onSecretsChanged } from './lambda-secrets.ts';
import { resetAckPath } from './enqueue-update.ts';
import { botIdentity, type BotIdentity } from './bot-identity.ts';
import { oncePerContainer } from './once-per-container.ts';
import { QueueArrivals } from './queue-arrivals.ts';
import { replyLedger } from './reply-ledger.ts';
import { ANSWER_MARGIN_MS, WEBHOOK_SAFETY_NET_MS } from '../agent/deadlines.ts';

export interface LambdaApp {
  runtime: Runtime;
  bot: Bot<HermesContext>;
  /** Runs queued updates (handlers/worker.ts): no claims of its own, stored replies resent once. */
  worker: Bot<HermesContext>;
  /** grammY's adapter for Function URL events, called after our own checks. */
  handleUpdate: (event: { body: string; headers: Record<string, string | undefined> }, context: Context) => Promise<unknown>;
  /** Set at the start of each invocation; Lambda runs one invocation per container at a time. */
  deadline: { at?: number };
  /** When each update the worker runs was queued. */
  arrivals: QueueArrivals;
  /** The stop requests the webhook records; the worker's turns and fires check them. */
  stops: StopRequests;
}

/** Built once per container and reused by warm invocations; a failed start is retried by the next invocation. */
const app = oncePerContainer(buildApp);
// A rotated bot token or model key: the next invocation builds the bot and the model with the new one.
onSecretsChanged(() => app.forget());

export function lambdaApp(context: Context): Promise<LambdaApp> {
  return app.get(context);
}

/** Tests build several apps with different environments in one process. */
export function resetLambdaApp(): void {
  app.forget();
  forgetLoadedSecrets();
  resetAckPath();
}

async function buildApp(context: Context): Promise<LambdaApp> {
  await loadSecretsIntoEnv();
  const config = loadConfig();
  const { token, webhookSecret } = config.telegram;
  if (!token) throw new ConfigError('TELEGRAM_BOT_TOKEN', 'is required for the Telegram webhook.');
  if (!webhookSecret) throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required: without it anyone could post updates to the Function URL.');
  assertModelCredentials(config);
  const log = configuredLogger(config, { defaultLevel: 'info' });
  const runtime = await createRuntime(config, {
    log,
    schedulerTargetArn: unqualifiedArn(context.invokedFunctionArn),
    requireCloudState: config.onLambda,
  });
  const deadline: LambdaApp['deadline'] = {};
  const identity = botIdentity(token, config.telegram.botUsername);
  const botInfo = identity ? botInfoOf(identity) : undefined;
  const botOptions = {
    token,
    ...(botInfo ? { botInfo } : {}),
    ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}),
    deadline: () => deadline.at,
  };
  const bot = createBot(runtime, botOptions);
  const arrivals = new QueueArrivals();
  const [stops, textBatch] = await Promise.all([stopRequestsFor(config), textBatchOf(config)]);
  const worker = createBot(runtime, { ...botOptions, claimUpdates: false, replies: replyLedger(runtime), stops, arrivals, ...(textBatch ? { textBatch } : {}) });
  // Our own deadline ends the turn first; grammY's timeout is only the last safety net.
  const timeoutMilliseconds = Math.max(ANSWER_MARGIN_MS, context.getRemainingTimeInMillis() - WEBHOOK_SAFETY_NET_MS);
  const handleUpdate = webhookCallback(bot, 'aws-lambda-async', { secretToken: webhookSecret, timeoutMilliseconds, onTimeout: 'return' });
  return { runtime, bot, worker, handleUpdate, deadline, arrivals, stops };
}

/** The worker's batching of quick texts: on with the queue (the webhook records the texts) unless its delay is 0. */
async function textBatchOf(config: Config): Promise<TextBatch | undefined> {
  const { delayMs, splitDelayMs } = config.telegram.textBatch;
  if (!config.turnQueue.url || delayMs === 0) return undefined;
  return { arrivals: await textArrivalsFor(config), delayMs, splitDelayMs };
}

/** A version or alias suffix would make EventBridge invoke a frozen version instead of the live function. */
function unqualifiedArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/** With TELEGRAM_BOT_USERNAME set, a cold start skips the getMe round trip. */
function botInfoOf({ id, username }: BotIdentity): UserFromGetMe {
  return {
    id,
    is_bot: true,
    first_name: username,
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as UserFromGetMe;
}

/** Loaded with the app, for the webhook entry, which must not load grammY before a request is authorized. */
export { chatRefusesBot } from './telegram-reply.ts';
