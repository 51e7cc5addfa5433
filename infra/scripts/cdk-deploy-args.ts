import { STACK_NAME } from '../deployment-contract.ts';
import type { DeployInputs } from './deploy-inputs.ts';
import { OUTPUTS_FILE } from './stack-outputs.ts';

/** Arguments for `cdk deploy`. Only non-secret choices become context; credentials go to Secrets Manager afterwards. */
export function cdkDeployArgs(inputs: DeployInputs, outputsFile: string = OUTPUTS_FILE): string[] {
  const contextArgs = Object.entries(deployContext(inputs)).flatMap(([key, value]) => ['--context', `${key}=${value}`]);
  return ['deploy', STACK_NAME, '--require-approval', 'never', '--outputs-file', outputsFile, '--no-notices', ...contextArgs];
}

/** The stack context a deployment passes, each value set. */
export function deployContext(inputs: Omit<DeployInputs, 'botToken' | 'deepseekApiKey'>): Record<string, string> {
  const context: Record<string, string | undefined> = {
    provider: inputs.provider,
    allowedUsers: inputs.allowedUsers,
    model: inputs.model,
    timezone: inputs.timezone,
    reasoning: inputs.reasoning,
    alarmEmail: inputs.alarmEmail,
    ...inputs.limits,
    workerTimeoutSeconds: inputs.workerTimeoutSeconds,
  };
  return Object.fromEntries(Object.entries(context).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
