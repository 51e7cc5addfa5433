import { registerWebhook } from './register-webhook.ts';
import { readStackOutputs } from './stack-outputs.ts';

/** `npm run set-webhook`: re-points Telegram at the deployed function, e.g. after changing the webhook secret. */
try {
  const info = await registerWebhook(await readStackOutputs());
  console.log('Webhook set. Telegram reports:');
  console.log(JSON.stringify(info, null, 2));
} catch (error) {
  console.error(`set-webhook failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
