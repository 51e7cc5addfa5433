import { errorMessage, StoreError } from '../../tools/errors.ts';

/** Names AWS uses when it sheds load; the SDK has already retried these by the time they reach us. */
const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
]);

export function hasErrorName(error: unknown, ...names: string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/**
 * Only the error's name and message go into the text: the request (signed headers, credentials) never does.
 * The original error stays available as `cause` for logs.
 */
export function toStoreError(action: string, error: unknown): StoreError {
  const name = error instanceof Error ? error.name : 'Error';
  const reason = THROTTLING_ERRORS.has(name)
    ? `AWS is throttling requests (${name}) even after retries; try again shortly`
    : `${name}: ${errorMessage(error)}`;
  return new StoreError(`${action} failed: ${reason}`, { cause: error });
}

export async function callAws<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStoreError(action, error);
  }
}

/**
 * A write with a ConditionExpression: true when it was made, false when its condition did not hold (another writer
 * got there first, or the item is gone). Any other failure is a StoreError.
 */
export async function conditionalWrite(action: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (hasErrorName(error, 'ConditionalCheckFailedException')) return false;
    throw toStoreError(action, error);
  }
}
