import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HermesStack } from './hermes-stack.ts';
import { readHermesSettings } from './settings.ts';
import { STACK_NAME } from './deployment-contract.ts';

/** Adds the Hermes stack and the cdk-nag AwsSolutions checks to an app; shared by infra/app.ts and the tests. */
export function addHermesStack(app: App, env: NodeJS.ProcessEnv = process.env): HermesStack {
  const stack = new HermesStack(app, STACK_NAME, {
    settings: readHermesSettings(app.node),
    // A concrete region keeps synth working offline, without credentials to look one up.
    env: { account: env.CDK_DEFAULT_ACCOUNT, region: env.CDK_DEFAULT_REGION ?? 'us-east-1' },
    description: 'Hermes: serverless Telegram agent (Lambda, DynamoDB, S3, EventBridge Scheduler, AgentCore Memory).',
  });
  // cdk-nag 3 is a validation plugin; the v2 Aspects form crashes with this aws-cdk-lib.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
