import type { Config } from './config.ts';
import { JsonLogger, type Level } from './logger.ts';

/**
 * The logger of a running deployment. Every credential the config holds is registered for redaction here, in one
 * place, so a path that logs (the webhook's ack, the agent, `npm start`) cannot forget one.
 */
export function configuredLogger(config: Config, { defaultLevel, write }: { defaultLevel: Level; write?: (line: string) => void }): JsonLogger {
  const secrets = [config.telegram.token, config.telegram.webhookSecret, config.deepseek.apiKey, config.bedrock.apiKey, config.transcription.openai.apiKey];
  return new JsonLogger(secrets, write, config.logLevel ?? defaultLevel);
}
