import { afterEach, beforeEach } from 'vitest';

/** What a contract suite needs from an adapter: the instance under test and how to clean up after it. */
export interface Harness<T> {
  subject: T;
  teardown?: () => Promise<void>;
}

/** A fresh adapter for every test of a suite; returns a getter for the current one. */
export function useHarness<T>(setup: () => Promise<Harness<T>>): () => T {
  let harness: Harness<T> | undefined;
  beforeEach(async () => {
    harness = await setup();
  });
  afterEach(async () => {
    await harness?.teardown?.();
  });
  return () => harness!.subject;
}
