import { runJobFire, type Deliver } from '../agent/cron-runner.ts';
import { assertModelCredentials, loadConfig } from '../agent/config.ts';
import { HermesError } from '../tools/errors.ts';
import { configuredLogger } from '../agent/configured-logger.ts';
import { createRuntime } from '../agent/runtime.ts';
import { registerCommandMenu } from './commands/command-menu.ts';
import { createLocalTelegram } from './local-telegram.ts';
import { runTerminalChat } from './terminal-chat.ts';

/**
 * `npm start`: the agent on this machine. With TELEGRAM_BOT_TOKEN it serves the bot by long polling,
 * otherwise it chats in the terminal. Cron jobs fire in-process either way.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  assertModelCredentials(config);
  const log = configuredLogger(config, { defaultLevel: 'warn', write: (line) => process.stderr.write(`${line}\n`) });
  const runtime = await createRuntime(config, { log });
  const { token } = config.telegram;
  const schedulerTicks = { tickSeconds: config.scheduler.tickSeconds, onError: (error: unknown) => log.error('scheduled jobs could not be checked', { error }) };

  if (token) {
    if (!config.telegram.allowedUsers?.length) {
      process.stderr.write('TELEGRAM_ALLOWED_USERS is empty, so the bot answers nobody. Message it once to learn your user id, then set TELEGRAM_ALLOWED_USERS=<id>.\n');
    }
    const telegram = createLocalTelegram(runtime, config, { token, ...(config.telegram.apiRoot ? { apiRoot: config.telegram.apiRoot } : {}) });
    await telegram.worker.init();
    // The menu is a convenience: without it every command still works, so a failure only warns.
    await registerCommandMenu(telegram.worker.api).catch((error: unknown) => {
      process.stderr.write(`Could not register the command menu with Telegram: ${(error as Error).message}\n`);
    });
    // Fires join the queue of the chat they answer in, as EventBridge Scheduler's fires do on AWS.
    runtime.localScheduler?.start((fire) => telegram.enqueueFire(fire), schedulerTicks);
    const stop = async () => {
      await telegram.poller.stop();
      await runtime.localScheduler?.stop();
      await telegram.queue.idle();
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
    await telegram.poller.start({
      onStart: (info) => {
        process.stderr.write(`Hermes is running as @${info.username} (long polling). Ctrl-C stops it.\n`);
      },
    });
    return;
  }

  const deliver: Deliver = async (_delivery, text) => {
    process.stdout.write(`\n⏰ ${text}\n\n`);
  };
  runtime.localScheduler?.start((fire) => runJobFire(runtime, { fire, deliver }).then(() => undefined), schedulerTicks);
  await runTerminalChat(runtime);
  await runtime.localScheduler?.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`hermes: ${error instanceof HermesError ? error.message : (error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
