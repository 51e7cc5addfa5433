import { appendFileSync, constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { runJobFire, type Deliver } from '../agent/cron-runner.ts';
import { assertModelCredentials, loadConfig, type Config } from '../agent/config.ts';
import { GrammyError, type Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { ConfigError, errorMessage, HermesError } from '../tools/errors.ts';
import { configuredLogger } from '../agent/configured-logger.ts';
import { assertBedrockCredentials } from '../agent/model.ts';
import { createRuntime } from '../agent/runtime.ts';
import { readHermesConfigYaml } from '../agent/local/hermes-config-yaml.ts';
import { readHermesDotenv } from '../agent/local/hermes-dotenv.ts';
import { lockHome } from '../agent/local/home-lock.ts';
import { pruneFireSessions } from '../agent/local/prune-fire-sessions.ts';
import { ALLOWED_UPDATES } from './allowed-updates.ts';
import { registerCommandMenu } from './commands/command-menu.ts';
import { createLocalTelegram, QUEUE_FOLDER } from './local-telegram.ts';
import { isTerminalDelivery, runTerminalChat } from './terminal-chat.ts';

/**
 * `npm start`: the agent on this machine. With TELEGRAM_BOT_TOKEN it serves the bot by long polling,
 * otherwise it chats in the terminal. Cron jobs fire in-process either way.
 */
async function main(): Promise<void> {
  // HERMES_HOME decides where classic Hermes' .env and config.yaml are. Its .env fills the environment as Hermes'
  // does, before anything reads it (the AWS SDK reads its own variables); config.yaml's time zone counts before TZ.
  const { home } = loadConfig();
  Object.assign(process.env, await readHermesDotenv(home));
  const config = loadConfig(process.env, { configYaml: await readHermesConfigYaml(home) });
  assertModelCredentials(config);
  await assertHomeWritable(config.home);
  const lock = await lockHome(config.home);
  process.once('exit', () => lock.release());
  await assertAwsRegion(config);
  if (config.provider === 'bedrock') await assertBedrockCredentials(config);
  const { token } = config.telegram;
  // The terminal is the chat itself: log lines there would break into the conversation, so they go to a file.
  const logFile = token ? undefined : join(config.home, 'logs', 'hermes.log');
  if (logFile) await mkdir(dirname(logFile), { recursive: true });
  const write = logFile ? (line: string) => appendFileSync(logFile, `${line}\n`) : (line: string) => void process.stderr.write(`${line}\n`);
  const log = configuredLogger(config, { defaultLevel: 'warn', write });
  const runtime = await createRuntime(config, { log });
  if (config.sessions.backend === 'local') {
    await pruneFireSessions(join(resolve(config.home), 'sessions'), { olderThanDays: config.sessions.ttlDays }).catch((error: unknown) =>
      log.warn('could not remove the sessions of old job runs', { error }),
    );
  }
  const schedulerTicks = { tickSeconds: config.scheduler.tickSeconds, onError: (error: unknown) => log.error('scheduled jobs could not be checked', { error }) };

  if (token) {
    if (!config.telegram.allowedUsers?.length) {
      // Everyone in an allowed group may talk to the bot; only private chats need TELEGRAM_ALLOWED_USERS.
      const reach = config.telegram.allowedChats?.length ? 'answers only in the groups of TELEGRAM_ALLOWED_CHATS' : 'answers nobody';
      process.stderr.write(`TELEGRAM_ALLOWED_USERS is empty, so the bot ${reach}. Message it once to learn your user id, then set TELEGRAM_ALLOWED_USERS=<id>.\n`);
    }
    const telegram = createLocalTelegram(runtime, config, { token, ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}) });
    // grammY's own init retries getMe for as long as Telegram cannot be reached, silently; asking once, with the
    // worker's bounded retries, lets a wrong token or a wrong address stop the start with what to fix.
    const me = await telegramIdentity(telegram.worker.api, config.telegram.apiRoot);
    telegram.worker.botInfo = me;
    telegram.poller.botInfo = me;
    // What the last run took from Telegram and did not finish (it crashed, or stopped while a reply waited to be
    // tried again) is answered first, in its order.
    const resumed = await telegram.resume();
    if (resumed > 0) log.info('queued updates from the last run taken up again', { count: resumed });
    // The menu is a convenience: without it every command still works, so a failure only warns.
    await registerCommandMenu(telegram.worker.api).catch((error: unknown) => {
      process.stderr.write(`Could not register the command menu with Telegram: ${(error as Error).message}\n`);
    });
    // Fires join the queue of the chat they answer in, as EventBridge Scheduler's fires do on AWS.
    // The terminal's own jobs wait for a start without a token: the terminal is where they answer.
    runtime.localScheduler?.start((fire) => telegram.enqueueFire(fire), { ...schedulerTicks, serves: (delivery) => !isTerminalDelivery(delivery) });
    const stop = async () => {
      await telegram.poller.stop();
      await runtime.localScheduler?.stop();
      // Turns running now finish; an event waiting to be retried is left in HERMES_HOME/queue for the next start.
      telegram.queue.close();
      await telegram.queue.idle();
    };
    // Closing the terminal window sends SIGHUP: the turns running finish as at Ctrl-C.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop());
    await telegram.poller.start({
      allowed_updates: ALLOWED_UPDATES,
      onStart: (info) => {
        process.stderr.write(`Hermes is running as @${info.username} (long polling). Ctrl-C stops it.\n`);
      },
    });
    return;
  }

  await runTerminalChat(runtime, process.stdin, process.stdout, {
    // The terminal's own jobs answer in the chat, above the line being typed. A chat's jobs wait for a start with the
    // bot token, which can send them there.
    whenOpen: (show) => {
      const deliver: Deliver = async (_delivery, text) => show(`⏰ ${text}`);
      runtime.localScheduler?.start((fire) => runJobFire(runtime, { fire, deliver }).then(() => undefined), { ...schedulerTicks, serves: isTerminalDelivery });
    },
  });
  await runtime.localScheduler?.stop();
}

/** Every local store writes under HERMES_HOME; a file there, or a folder not this user's, fails at start, named. */
async function assertHomeWritable(home: string): Promise<void> {
  try {
    await mkdir(home, { recursive: true });
    await access(home, constants.W_OK);
  } catch (error) {
    throw new ConfigError('HERMES_HOME', `${home} ${await whyNoHome(resolve(home), error)}. Point HERMES_HOME at a folder of yours (the default is ./.hermes).`);
  }
  // The stores make their folders when they first write; one that is a file, or not writable, would fail every turn.
  for (const folder of HOME_FOLDERS) {
    const path = join(home, folder);
    const found = await stat(path).catch(() => undefined);
    if (!found) continue;
    if (!found.isDirectory()) throw new ConfigError('HERMES_HOME', `${path} is a file, but Hermes keeps its ${folder} there in a folder. Move the file away, or point HERMES_HOME at another folder.`);
    await access(path, constants.W_OK).catch(() => {
      throw new ConfigError('HERMES_HOME', `${path} is a folder this user may not write. Fix its permissions, or point HERMES_HOME at another folder.`);
    });
  }
}

/** What stands in the way: the folder itself, or, when it does not exist yet, the nearest thing above it. */
async function whyNoHome(home: string, error: unknown): Promise<string> {
  const found = await stat(home).catch(() => undefined);
  if (found) return found.isDirectory() ? 'is a folder this user may not write' : 'is a file, not a folder';
  for (let above = dirname(home); ; above = dirname(above)) {
    const there = await stat(above).catch(() => undefined);
    if (there) return there.isDirectory() ? `cannot be made: ${above} is a folder this user may not write` : `cannot be made: ${above} is a file, not a folder`;
    if (dirname(above) === above) return `cannot be made (${errorMessage(error)})`;
  }
}

/** The folders the local stores keep under HERMES_HOME (runtime.ts, local-scheduler.ts, media-store-for.ts, local-telegram.ts, the log). */
const HOME_FOLDERS = ['sessions', 'usage', 'skills', 'memories', 'cron', 'media', 'logs', QUEUE_FOLDER];

/** The AWS back ends `npm start` may be pointed at, by the variables that choose them. */
function awsBackEnds(config: Config): string[] {
  return [
    config.sessions.backend === 'dynamodb' && 'HERMES_SESSION_BACKEND=dynamodb',
    config.skills.bucket && 'HERMES_SKILLS_S3_BUCKET',
    config.media.bucket && 'HERMES_MEDIA_S3_BUCKET',
    config.scheduler.roleArn && 'HERMES_SCHEDULER_ROLE_ARN',
    config.memory.agentCoreMemoryId && 'HERMES_AGENTCORE_MEMORY_ID',
  ].filter((name): name is string => typeof name === 'string');
}

/**
 * Without a region the AWS clients fail only at their first request ("Region is missing"), a message into the chat.
 * The SDK's own lookup (AWS_REGION, then the profile's region) is asked once at start instead.
 */
async function assertAwsRegion(config: Config): Promise<void> {
  const chosen = awsBackEnds(config);
  if (chosen.length === 0) return;
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({});
  try {
    await client.config.region();
  } catch {
    throw new ConfigError('AWS_REGION', `is needed for the AWS back ends this start uses (${chosen.join(', ')}): set it, or a region in your AWS profile.`);
  } finally {
    client.destroy();
  }
}

/** Who the token belongs to. */
async function telegramIdentity(api: Api, apiRoot: string | undefined): Promise<UserFromGetMe> {
  try {
    return await api.getMe();
  } catch (error) {
    // Telegram answers 401 for a token it does not know, and 404 for one it cannot even read.
    if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
      throw new ConfigError('TELEGRAM_BOT_TOKEN', `was refused by Telegram (${error.description}). Copy the token from @BotFather again.`);
    }
    const where = apiRoot ?? 'https://api.telegram.org';
    throw new HermesError(`Could not reach Telegram at ${where}: ${errorMessage(error)} Check the network${apiRoot ? ' and TELEGRAM_API_ROOT' : ''}.`, { cause: error });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`hermes: ${error instanceof HermesError ? error.message : (error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
