import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one AwsSolutions-IAM5 finding for a resource ARN with a wildcard.
 * cdk-nag names each finding after the flattened, resolved ARN (logical ids, account tokens), which differs
 * between an env-agnostic test stack and a deployed one, so the id is derived here the same way cdk-nag does.
 */
export function acknowledgeWildcardResource(policyOwner: IConstruct, resource: string, reason: string): void {
  const flattened = flattenCfnReference(Stack.of(policyOwner).resolve(resource));
  Validations.of(policyOwner).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
}
