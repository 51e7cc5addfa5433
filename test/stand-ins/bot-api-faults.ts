/**
 * A refusal Telegram really sends that is worth retrying later: flood control asking for more time than grammY's
 * auto-retry waits (30 s here), so the send fails at once (Bot API, "ResponseParameters": retry_after).
 */
export const FLOOD_WAIT = { errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 } as const;
