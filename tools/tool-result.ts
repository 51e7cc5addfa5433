import { HermesError, StoreError, errorMessage } from './errors.ts';
import { safeErrorText } from './safe-error-text.ts';
import type { ToolLog } from './tool-context.ts';

export type ToolFailure = { success: false; error: string };
export type ToolSuccess<T extends object> = { success: true } & T;

/** Which tool ran, and where its failures are logged. */
export interface ToolRun {
  tool: string;
  log?: ToolLog | undefined;
}

/**
 * Tools never throw into the loop: any failure becomes data the model can read and recover from.
 * Our own errors carry user-safe messages; anything else is reported by kind, without internals. A failure of a
 * store or service (an AWS refusal, a disk error) is also logged whole, for the owner: the model's copy is cut down,
 * and the turn that goes on to answer leaves no other trace of it. A refusal of the model's own request is not.
 */
export async function asToolResult<T extends object>(run: () => Promise<T>, { tool, log }: ToolRun): Promise<ToolSuccess<T> | ToolFailure> {
  try {
    return { success: true, ...(await run()) };
  } catch (error) {
    if (error instanceof HermesError && !(error instanceof StoreError)) return { success: false, error: safeErrorText(error.message) };
    log?.warn('a tool failed', { tool, error });
    if (error instanceof HermesError) return { success: false, error: safeErrorText(error.message) };
    return { success: false, error: `The operation failed: ${safeErrorText(errorMessage(error))}` };
  }
}
