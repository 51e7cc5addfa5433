/** Length in characters (code points), as Hermes (Python `len`) counts; JavaScript's `length` counts UTF-16 units. */
export function charCount(text: string): number {
  let surrogatePairs = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        index++;
      }
    }
  }
  return text.length - surrogatePairs;
}

/** The first `limit` characters (code points), never splitting a surrogate pair. */
export function truncateChars(text: string, limit: number): string {
  return [...text].slice(0, limit).join('');
}

/** The last `limit` UTF-16 units, starting after a surrogate pair the limit would cut (see sliceWhole). */
export function sliceWholeEnd(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const start = text.length - limit;
  const first = text.charCodeAt(start);
  return text.slice(first >= 0xdc00 && first <= 0xdfff ? start + 1 : start);
}

/**
 * The first `limit` UTF-16 units (what JavaScript, Telegram and AWS count as a string's length), ending before a
 * surrogate pair the limit would cut: half an emoji is not text, and Telegram and AWS refuse it.
 */
export function sliceWhole(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
}
