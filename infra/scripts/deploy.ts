import { spawn } from 'node:child_process';
import { SECRET_KEYS } from '../../agent/secret-keys.ts';
import { accountConcurrency, reservationPlan, type AccountConcurrency } from './account-concurrency.ts';
import { assertAwsCredentials } from './aws-credentials.ts';
import { BotSecretStore } from './bot-secret-store.ts';
import { cdkDeployArgs } from './cdk-deploy-args.ts';
import { withBotUsername } from './bot-username.ts';
import { readDeployInputs, type DeployInputs } from './deploy-inputs.ts';
import { registerWebhook } from './register-webhook.ts';
import { mergeSecretValues } from './secret-values.ts';
import { readStackOutputs } from './stack-outputs.ts';

/** `npm run deploy`: checks prerequisites, deploys the stack, stores the credentials, registers the webhook. */
async function deploy(): Promise<void> {
  const result = readDeployInputs(process.env);
  if (!result.ok) throw new Error(`cannot deploy yet:\n  - ${result.problems.join('\n  - ')}`);
  await assertAwsCredentials();
  const apiRoot = process.env.TELEGRAM_API_ROOT;
  const inputs = withReservation(await withBotUsername(result.inputs, apiRoot ? { apiRoot } : {}), await accountConcurrency());

  console.log(`Deploying the Hermes stack (provider ${inputs.provider}, allowed users ${inputs.allowedUsers})...`);
  await runCdk(cdkDeployArgs(inputs));

  const outputs = await readStackOutputs();
  const secret = new BotSecretStore(outputs.secretArn);
  await secret.write(
    mergeSecretValues(await secret.read(), {
      [SECRET_KEYS.botToken]: inputs.botToken,
      [SECRET_KEYS.deepseekApiKey]: inputs.deepseekApiKey,
    }),
  );
  console.log('Stored the bot token and model key in Secrets Manager.');

  const info = await registerWebhook(outputs);
  console.log('Webhook set. Telegram reports:');
  console.log(JSON.stringify(info, null, 2));
  console.log('Done: send your bot a message in Telegram.');
}

/** The reservation the account can take, checked before anything is created: a stack that cannot reserve rolls back. */
function withReservation(inputs: DeployInputs, account: AccountConcurrency | undefined): DeployInputs {
  if (account === undefined) {
    console.warn("Could not read the account's Lambda concurrency quota (lambda:GetAccountSettings); deploying the reservation as configured.");
    return inputs;
  }
  const plan = reservationPlan({ requested: inputs.limits?.reservedConcurrency, account });
  if (plan.notice) console.warn(plan.notice);
  if (plan.reservedConcurrency === inputs.limits?.reservedConcurrency) return inputs;
  return { ...inputs, limits: { ...inputs.limits, ...(plan.reservedConcurrency ? { reservedConcurrency: plan.reservedConcurrency } : {}) } };
}

/** The project's own CLI (aws-cdk 2.x): a globally installed 3.x cannot read this aws-cdk-lib's assemblies. */
function runCdk(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no-install', 'cdk', ...args], { stdio: 'inherit', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cdk ${args[0]} exited with code ${code}`))));
  });
}

try {
  await deploy();
} catch (error) {
  console.error(`deploy failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
