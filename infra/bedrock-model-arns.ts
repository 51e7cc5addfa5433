import { ArnFormat, Stack } from 'aws-cdk-lib';
import { DEFAULT_MODELS } from '../agent/providers.ts';

/**
 * ARNs the function may invoke on Bedrock. A cross-region inference profile id such as
 * `us.anthropic.claude-sonnet-5-5` needs the profile in this region and the foundation model in every region the
 * profile routes to; a plain model id such as `amazon.nova-pro-v1:0` needs only this region. Without a configured
 * model the function runs the built-in default, so the grant is pinned to that one.
 */
export function bedrockModelArns(stack: Stack, configured: string | undefined): string[] {
  const model = configured ?? DEFAULT_MODELS.bedrock;
  const foundationModel = (region: string, id: string) =>
    stack.formatArn({ service: 'bedrock', region, account: '', resource: 'foundation-model', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const inferenceProfile = (id: string) =>
    stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

  const dots = model.split('.').length - 1;
  if (dots >= 2) {
    const foundationId = model.slice(model.indexOf('.') + 1);
    return [inferenceProfile(model), foundationModel('*', foundationId)];
  }
  return [foundationModel(stack.region, model)];
}
