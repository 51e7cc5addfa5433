import { HermesError, errorMessage } from './errors.ts';
import { safeErrorText } from './safe-error-text.ts';

export type ToolFailure = { success: false; error: string };
export type ToolSuccess<T extends object> = { success: true } & T;

/**
 * Tools never throw into the loop: any failure becomes data the model can read and recover from.
 * Our own errors carry user-safe messages; anything else is reported by kind, without internals.
 */
export async function asToolResult<T extends object>(run: () => Promise<T>): Promise<ToolSuccess<T> | ToolFailure> {
  try {
    return { success: true, ...(await run()) };
  } catch (error) {
    if (error instanceof HermesError) return { success: false, error: safeErrorText(error.message) };
    return { success: false, error: `The operation failed: ${safeErrorText(errorMessage(error))}` };
  }
}
