import { APICallError } from 'ai';

/**
 * What the user is told: the kind of failure, never the provider's own text, which can echo request details
 * such as a rejected API key. The full error goes to the (redacting) log.
 */
export function describeModelFailure(error: unknown, abortSignal: AbortSignal | undefined): string {
  if (abortSignal?.aborted) return 'it ran out of time before the first answer';
  const cause = error instanceof Error && 'lastError' in error ? (error as { lastError: unknown }).lastError : error;
  if (APICallError.isInstance(cause)) {
    if (cause.statusCode === undefined) return 'the provider could not be reached';
    // The provider packages report an answer they cannot parse as an APICallError carrying the 2xx status it came with.
    if (cause.statusCode < 300) return "the provider's answer could not be read";
    return `the provider answered HTTP ${cause.statusCode}`;
  }
  if (error instanceof Error && /timeout|timed out/i.test(`${error.name} ${error.message}`)) return 'the request timed out';
  if (error instanceof Error && /TypeValidationError|JSONParseError/.test(error.name)) return "the provider's answer could not be read";
  return 'the request failed';
}
