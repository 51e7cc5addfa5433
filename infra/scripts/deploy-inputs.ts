import { PROVIDERS, REASONING_LEVELS, RETIRED_MODELS, type ModelProvider, type ReasoningLevel } from '../../agent/providers.ts';

import { telegramAccessOf } from '../../agent/telegram-access.ts';
import { FUNCTION_ENV_CONTEXT, hermesSettingsOf } from '../settings.ts';
import { deployContext } from './cdk-deploy-args.ts';

/** What `npm run deploy` needs from the environment, validated before anything is deployed. */
export interface DeployInputs {
  botToken: string;
  deepseekApiKey?: string;
  provider: ModelProvider;
  allowedUsers: string;
  model?: string;
  timezone?: string;
  reasoning?: ReasoningLevel;
  alarmEmail?: string;
  /** Spend limits and skill admins, passed to the stack as context (checked at synth). */
  limits?: Record<string, string>;
  /** The worker's limit per turn, checked by the stack's settings (60-900 s). */
  workerTimeoutSeconds?: string;
}

/** Deploy variables that become stack context of another name; FUNCTION_ENV_CONTEXT keep theirs. */
const LIMIT_CONTEXT: Record<string, string> = { HERMES_MONTHLY_BUDGET_USD: 'monthlyBudgetUsd', HERMES_RESERVED_CONCURRENCY: 'reservedConcurrency' };

export type DeployInputsResult = { ok: true; inputs: DeployInputs } | { ok: false; problems: string[] };

/** Collects every problem at once, so a first-time user fixes them in one go. */
export function readDeployInputs(env: NodeJS.ProcessEnv): DeployInputsResult {
  const value = (name: string) => env[name]?.trim() || undefined;
  const problems: string[] = [];

  const botToken = value('TELEGRAM_BOT_TOKEN');
  if (!botToken) problems.push('TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram and export the token it gives you.');
  else if (!/^\d+:[\w-]+$/.test(botToken)) problems.push('TELEGRAM_BOT_TOKEN does not look like a bot token (123456789:ABC-...).');

  const provider = value('HERMES_PROVIDER') ?? 'deepseek';
  if (!(PROVIDERS as readonly string[]).includes(provider)) problems.push(`HERMES_PROVIDER must be ${PROVIDERS.join(' or ')}, not "${provider}".`);
  const model = value('HERMES_MODEL');
  const retired = model === undefined ? undefined : RETIRED_MODELS[model];
  if (retired) problems.push(`HERMES_MODEL "${model}" was retired on ${retired.retiredOn}; use "${retired.replacement}".`);
  const reasoning = value('HERMES_REASONING');
  if (reasoning !== undefined && !(REASONING_LEVELS as readonly string[]).includes(reasoning)) {
    problems.push(`HERMES_REASONING must be one of ${REASONING_LEVELS.join(', ')}, not "${reasoning}".`);
  }

  const deepseekApiKey = value('DEEPSEEK_API_KEY');
  if (provider === 'deepseek' && !deepseekApiKey) {
    problems.push('DEEPSEEK_API_KEY is not set. Create a key at https://platform.deepseek.com, or use HERMES_PROVIDER=bedrock.');
  }

  // Classic Hermes' names count too (GATEWAY_ALLOWED_USERS, TELEGRAM_GROUP_ALLOWED_CHATS): the function gets the lists
  // merged, under this bot's names.
  let allowedUsers = '';
  let allowedChats: string | undefined;
  try {
    const access = telegramAccessOf(env);
    allowedUsers = access.allowedUsers?.join(',') ?? '';
    allowedChats = access.allowedChats?.join(',');
    if (allowedUsers === '') {
      problems.push('TELEGRAM_ALLOWED_USERS is not set. Give your numeric Telegram user id (e.g. from @userinfobot); the bot answers only these users.');
    }
  } catch (error) {
    problems.push((error as Error).message);
  }

  if (problems.length > 0 || !botToken) return { ok: false, problems };
  const timezone = value('HERMES_TIMEZONE');
  const alarmEmail = value('HERMES_ALARM_EMAIL');
  const limits = Object.fromEntries(
    [...Object.entries(LIMIT_CONTEXT), ...FUNCTION_ENV_CONTEXT.map((name) => [name, name] as const)].flatMap(([name, key]) => {
      const given = value(name);
      return given === undefined ? [] : [[key, given]];
    }),
  );
  if (allowedChats !== undefined) limits.TELEGRAM_ALLOWED_CHATS = allowedChats;
  const workerTimeoutSeconds = value('HERMES_WORKER_TIMEOUT_SECONDS');
  const inputs: DeployInputs = {
    botToken,
    ...(deepseekApiKey ? { deepseekApiKey } : {}),
    provider: provider as DeployInputs['provider'],
    allowedUsers,
    ...(model ? { model } : {}),
    ...(timezone ? { timezone } : {}),
    ...(reasoning ? { reasoning: reasoning as ReasoningLevel } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(workerTimeoutSeconds ? { workerTimeoutSeconds } : {}),
  };
  // What the stack would refuse at synth (a time zone, an e-mail address, a limit the function would refuse), refused
  // now, naming the variable, before anything is deployed.
  const context = deployContext(inputs);
  try {
    hermesSettingsOf((key) => context[key]);
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  return { ok: true, inputs };
}
