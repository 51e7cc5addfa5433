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
