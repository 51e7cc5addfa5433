/**
 * Names the CDK app and the deploy scripts must agree on. They live apart from the constructs so that the
 * scripts need not load aws-cdk-lib.
 */
export const STACK_NAME = 'Hermes';

/** Stack outputs that `cdk deploy --outputs-file` writes; the scripts read the first two, docs/deploy.md the log group. */
export const OUTPUT_NAMES = { functionUrl: 'FunctionUrl', secretArn: 'SecretArn', logGroupName: 'LogGroupName' } as const;
