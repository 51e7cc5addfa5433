import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitMarkdown, TELEGRAM_MAX_CHARS } from '../../handlers/split-message.ts';
import { markdownToTelegramHtml } from '../../handlers/telegram-html.ts';
import { renderChunks } from '../../handlers/telegram-reply.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'replies', name), 'utf8');

describe('markdownToTelegramHtml', () => {
  it('renders the common Markdown subset as Telegram HTML', () => {
    expect(markdownToTelegramHtml('# Plan\n**bold**, *it*, ~~no~~, `x<y>` and [docs](https://example.com/?a=1&b=2)\n- one')).toBe(
      '<b>Plan</b>\n<b>bold</b>, <i>it</i>, <s>no</s>, <code>x&lt;y&gt;</code> and <a href="https://example.com/?a=1&amp;b=2">docs</a>\n• one',
    );
  });

  it('escapes everything else, including HTML the model wrote', () => {
    expect(markdownToTelegramHtml('<script>alert(1)</script> & 2 < 3')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; 2 &lt; 3');
  });

  it('keeps code blocks verbatim with their language', () => {
    expect(markdownToTelegramHtml('```python\nif a < b and **c**:\n    pass\n```')).toBe(
      '<pre><code class="language-python">if a &lt; b and **c**:\n    pass</code></pre>',
    );
  });

  it('leaves snake_case and lone asterisks alone', () => {
    expect(markdownToTelegramHtml('use my_var_name and 2 * 3 * 4')).toBe('use my_var_name and 2 * 3 * 4');
  });

  it('does not turn non-http links into anchors', () => {
    expect(markdownToTelegramHtml('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
  });
});

describe('splitting long replies', () => {
  it('keeps a short reply in one message', () => {
    expect(splitMarkdown('hello', 100)).toEqual(['hello']);
  });

  it('splits at paragraph boundaries within the limit', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ${'word '.repeat(30)}`.trim()).join('\n\n');
    const chunks = splitMarkdown(text, 1_000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.length <= 1_000)).toBe(true);
    expect(chunks.join('\n\n')).toBe(text);
  });

  it('closes and reopens a code block that spans messages', () => {
    const chunks = renderChunks(fixture('long-code-reply.md'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.html.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
      expect(chunk.html.split('<pre>').length).toBe(chunk.html.split('</pre>').length);
    }
    expect(chunks[1]!.html.startsWith('<pre><code class="language-typescript">')).toBe(true);
  });

  it('splits a single huge word', () => {
    const chunks = renderChunks('a'.repeat(10_000));
    expect(chunks.every((chunk) => chunk.html.length <= TELEGRAM_MAX_CHARS)).toBe(true);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe('a'.repeat(10_000));
  });

  it('keeps escaped output within the limit even when escaping grows the text', () => {
    const chunks = renderChunks('<&>'.repeat(3_000));
    expect(chunks.every((chunk) => chunk.html.length <= TELEGRAM_MAX_CHARS)).toBe(true);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe('<&>'.repeat(3_000));
  });
});
