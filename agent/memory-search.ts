/**
 * Keyword relevance for stores without a semantic index: the share of the query's words found in the text,
 * so "coffee order" ranks "likes oat milk in coffee" above unrelated notes.
 */
export function keywordScore(query: string, text: string): number {
  const words = tokenize(query);
  if (words.length === 0) return 0;
  const haystack = new Set(tokenize(text));
  const hits = words.filter((word) => haystack.has(word) || [...haystack].some((token) => token.startsWith(word))).length;
  return hits / words.length;
}

function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
}
