/**
 * JSON keys of the bot secret in Secrets Manager, which are also the variables they become: the stack writes the
 * secret with them, the deploy script fills them in, and the function copies them into its environment at cold start.
 */
export const SECRET_KEYS = {
  botToken: 'TELEGRAM_BOT_TOKEN',
  webhookSecret: 'TELEGRAM_WEBHOOK_SECRET',
  deepseekApiKey: 'DEEPSEEK_API_KEY',
} as const;
