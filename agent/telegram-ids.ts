/**
 * A comma-separated list of numeric Telegram ids as people type it ("1, 2,3"), for the allowlist in the
 * function's environment and in the deploy-time context alike.
 */
export function parseTelegramIds(raw: string): string[] {
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const invalid = ids.find((id) => !/^\d+$/.test(id));
  if (invalid !== undefined) throw new Error(`must be numeric Telegram user ids separated by commas; "${invalid}" is not one`);
  return ids;
}
