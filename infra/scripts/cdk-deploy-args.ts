import { STACK_NAME } from '../deployment-contract.ts';
import type { DeployInputs } from './deploy-inputs.ts';
import { OUTPUTS_FILE } from './stack-outputs.ts';

/** Arguments for `cdk deploy`. Only non-secret choices become context; credentials go to Secrets Manager afterwards. */
export function cdkDeployArgs(inputs: DeployInputs, outputsFile: string = OUTPUTS_FILE): string[] {
  const context: Record<string, string | undefined> = {
    provider: inputs.provider,
    allowedUsers: inputs.allowedUsers,
    model: inputs.model,
    timezone: inputs.timezone,
    reasoning: inputs.reasoning,
    alarmEmail: inputs.alarmEmail,
    ...inputs.limits,
  };
  const contextArgs = Object.entries(context).flatMap(([key, value]) => (value === undefined ? [] : ['--context', `${key}=${value}`]));
  return ['deploy', STACK_NAME, '--require-approval', 'never', '--outputs-file', outputsFile, '--no-notices', ...contextArgs];
}
