import { ArnFormat, Stack } from 'aws-cdk-lib';

/**
 * ARNs the function may invoke on Bedrock. A cross-region inference profile id such as
 * `us.anthropic.claude-sonnet-4-20250514-v1:0` needs the profile in this region and the foundation model in
 * every region the profile routes to; a plain model id such as `amazon.nova-pro-v1:0` needs only this region.
 * Without a configured model the function falls back to its built-in default, so any model is allowed.
 */
export function bedrockModelArns(stack: Stack, model: string | undefined): string[] {
  const foundationModel = (region: string, id: string) =>
    stack.formatArn({ service: 'bedrock', region, account: '', resource: 'foundation-model', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const inferenceProfile = (id: string) =>
    stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: id, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });

  if (model === undefined) return [foundationModel('*', '*'), inferenceProfile('*')];
  const dots = model.split('.').length - 1;
  if (dots >= 2) {
    const foundationId = model.slice(model.indexOf('.') + 1);
    return [inferenceProfile(model), foundationModel('*', foundationId)];
  }
  return [foundationModel(stack.region, model)];
}
