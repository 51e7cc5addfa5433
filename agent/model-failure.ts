import { APICallError } from 'ai';
import { ACCESS_CHECKS, CREDENTIALS, type ModelProvider } from './providers.ts';

/** The log line of a model call that failed for good; infra's ModelFailures alarm counts lines with this message. */
export const MODEL_FAILURE_LOG_MESSAGE = 'model call failed';

/**
 * What a refusal means, so the owner knows what to fix: DeepSeek's "Error Codes" page and Bedrock's Converse errors
 * (both checked 2026-12-02). A 500 or 503 keeps the bare status: the provider had a passing fault.
 */
const STATUS_MEANINGS: Record<number, (provider: ModelProvider) => string> = {
  400: () => 'the provider refused the request as malformed, such as a model name it does not know or a message too long',
  401: (provider) => `the provider refused the API key; check ${CREDENTIALS[provider]}`,
  402: () => 'the provider account has no balance left',
  403: (provider) => `the provider denied access; check ${CREDENTIALS[provider]}, and ${ACCESS_CHECKS[provider]}`,
  404: () => 'the provider does not know this model',
  413: () => 'the message is too large for the provider',
  422: () => 'the provider refused a setting of the request',
  429: () => "the provider's rate limit was reached",
};

/** Client errors a moment's wait can end: a timeout, a conflict, a rate limit. */
const PASSING_CLIENT_ERRORS = new Set([408, 409, 429]);

/**
 * Whether trying the same request again is bound to fail the same way: a refusal of the request itself (a key, the
 * balance, access, the model name, which both providers refuse with 400, or a message too long), not a fault of the
 * provider's (5xx) or a limit that passes.
 */
export function failureLasts(error: unknown): boolean {
  const cause = error instanceof Error && 'lastError' in error ? (error as { lastError: unknown }).lastError : error;
  const status = APICallError.isInstance(cause) ? cause.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 && !PASSING_CLIENT_ERRORS.has(status);
}

/**
 * What the user is told: the kind of failure, never the provider's own text, which can echo request details
 * such as a rejected API key; a refused key names the variable to check, never its value. The full error goes to
 * the (redacting) log.
 */
export function describeModelFailure(error: unknown, { abortSignal, provider }: { abortSignal: AbortSignal | undefined; provider: ModelProvider }): string {
  if (abortSignal?.aborted) return 'it ran out of time before the first answer';
  const cause = error instanceof Error && 'lastError' in error ? (error as { lastError: unknown }).lastError : error;
  if (APICallError.isInstance(cause)) {
    if (cause.statusCode === undefined) return 'the provider could not be reached';
    // The provider packages report an answer they cannot parse as an APICallError carrying the 2xx status it came with.
    if (cause.statusCode < 300) return "the provider's answer could not be read";
    const meaning = STATUS_MEANINGS[cause.statusCode]?.(provider);
    return meaning ? `${meaning} (HTTP ${cause.statusCode})` : `the provider answered HTTP ${cause.statusCode}`;
  }
  if (error instanceof Error && /timeout|timed out/i.test(`${error.name} ${error.message}`)) return 'the request timed out';
  if (error instanceof Error && /TypeValidationError|JSONParseError/.test(error.name)) return "the provider's answer could not be read";
  return 'the request failed';
}
