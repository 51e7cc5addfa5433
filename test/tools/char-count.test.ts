import { describe, expect, it } from 'vitest';
import { charCount, sliceWhole, truncateChars } from '../../tools/char-count.ts';

describe('counting and cutting text', () => {
  it('counts an emoji as one character, as Python does', () => {
    expect(charCount('tea 🍵')).toBe(5);
    expect(truncateChars('🍵🍵🍵', 2)).toBe('🍵🍵');
  });

  it('cuts at a number of UTF-16 units, before a surrogate pair the cut would split', () => {
    expect(sliceWhole('ab🍵', 3)).toBe('ab');
    expect(sliceWhole('ab🍵', 4)).toBe('ab🍵');
    expect(sliceWhole('abc', 2)).toBe('ab');
    expect(sliceWhole('short', 50)).toBe('short');
  });
});
