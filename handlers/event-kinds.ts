import type { LambdaFunctionURLEvent } from 'aws-lambda';

/** Kept free of dependencies: the dispatcher uses these before anything heavy is loaded. */
export function isJobFireEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { source?: unknown }).source === 'hermes.cron';
}

/** A Function URL event always carries `requestContext.http`; nothing in an HTTP body can add it. */
export function isFunctionUrlEvent(event: unknown): event is LambdaFunctionURLEvent {
  return typeof event === 'object' && event !== null && typeof (event as LambdaFunctionURLEvent).requestContext?.http === 'object';
}

/** Lambda's event source mapping delivers SQS messages as `Records` with `eventSource: "aws:sqs"`. */
export function isSqsEvent(event: unknown): boolean {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && records.length > 0 && (records[0] as { eventSource?: unknown }).eventSource === 'aws:sqs';
}
