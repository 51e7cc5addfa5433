/**
 * Names the CDK app and the deploy scripts must agree on. They live apart from the constructs so that the
 * scripts need not load aws-cdk-lib.
 */
export const STACK_NAME = 'Hermes';

/**
 * Concurrent acks the webhook function keeps for itself. Each takes milliseconds, so a few serve a busy bot, and a
 * flood of requests to the public URL is throttled there instead of taking the turns'. Telegram is told to open no
 * more connections than this (setWebhook's max_connections, 40 by default), so its own deliveries are not throttled.
 */
export const WEBHOOK_CONCURRENCY = 3;

/** Stack outputs that `cdk deploy --outputs-file` writes; the scripts read the first two, docs/deploy.md the log group. */
export const OUTPUT_NAMES = { functionUrl: 'FunctionUrl', secretArn: 'SecretArn', logGroupName: 'LogGroupName' } as const;
