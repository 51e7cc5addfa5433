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

/** The worker's reserved concurrency, and so the most turns it runs at once, unless HERMES_RESERVED_CONCURRENCY says otherwise. */
export const DEFAULT_RESERVED_CONCURRENCY = 10;

/**
 * The most turns the queue's poller runs at once when nothing is reserved (HERMES_RESERVED_CONCURRENCY=none): with the
 * webhook's few, it fits the 10 concurrent executions a new account gets, so the worker is not throttled there.
 */
export const UNRESERVED_WORKER_CONCURRENCY = 5;

/** Stack outputs that `cdk deploy --outputs-file` writes; the scripts read the first two, docs/deploy.md the log group. */
export const OUTPUT_NAMES = { functionUrl: 'FunctionUrl', secretArn: 'SecretArn', logGroupName: 'LogGroupName' } as const;
