import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownToTelegramHtml } from '../../handlers/markdown-to-telegram-html.ts';
import { splitTelegramHtml, TELEGRAM_MAX_CHARS, visibleText } from '../../handlers/split-message.ts';
import { renderChunks } from '../../handlers/telegram-reply.ts';
import { parseTelegramHtml } from '../stand-ins/telegram-html-rules.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'replies', name), 'utf8');
const FIXTURES = ['comparison-table.md', 'wide-table.md', 'nested-lists.md', 'code-answer.md', 'long-code-reply.md'];

/** Telegram's parser, as the Bot API stand-in applies it: the HTML must parse and the text fit one message. */
function expectTelegramAccepts(html: string): string {
  const parsed = parseTelegramHtml(html);
  expect(parsed, html.slice(0, 200)).toMatchObject({ ok: true });
  const text = (parsed as { text: string }).text;
  expect(text.length).toBeLessThanOrEqual(TELEGRAM_MAX_CHARS);
  return text;
}

describe('markdownToTelegramHtml', () => {
  it('renders headings, emphasis, strike, inline code and links as Telegram HTML', () => {
    expect(markdownToTelegramHtml('# Plan\n**bold**, *it*, ~~no~~, `x<y>` and [docs](https://example.com/?a=1&b=2)\n\n- one')).toBe(
      '<b>Plan</b>\n\n<b>bold</b>, <i>it</i>, <s>no</s>, <code>x&lt;y&gt;</code> and <a href="https://example.com/?a=1&amp;b=2">docs</a>\n\n• one',
    );
  });

  it('bolds Chinese, Japanese and Korean text whose bold ends at full-width punctuation, as models write it', () => {
    expect(markdownToTelegramHtml('**注意：**请在明天之前提交。')).toBe('<b>注意：</b>请在明天之前提交。');
    expect(markdownToTelegramHtml('これは**「重要」**です')).toBe('これは<b>「重要」</b>です');
    expect(markdownToTelegramHtml('**마크다운(Markdown)**을 씁니다')).toBe('<b>마크다운(Markdown)</b>을 씁니다');
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

  it('does not turn non-web links into anchors', () => {
    expect(markdownToTelegramHtml('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
    expect(markdownToTelegramHtml('[notes](./notes.md)')).toBe('notes (./notes.md)');
  });

  it('keeps code out of links and quotes out of quotes, as Telegram requires', () => {
    const html = markdownToTelegramHtml('[`npm ci`](https://docs.npmjs.com/cli/ci)\n\n> outer\n>> inner');
    expect(html).toBe('<a href="https://docs.npmjs.com/cli/ci">npm ci</a>\n\n<blockquote>outer\n\ninner</blockquote>');
    expectTelegramAccepts(html);
  });

  it('renders a narrow table as a monospace grid', () => {
    expect(markdownToTelegramHtml(fixture('comparison-table.md'))).toBe(
      [
        "Here's a quick comparison of the three plans:",
        '',
        '<pre>Plan │ Price │ Storage',
        '─────┼───────┼────────',
        'Free │ $0    │ 5 GB',
        'Pro  │ $9    │ 100 GB',
        'Team │ $25   │ 1 TB</pre>',
        '',
        '<b>My pick:</b> go with <i>Pro</i> unless you share files with more than three people.',
      ].join('\n'),
    );
  });

  it('lines up a table of Chinese and emoji by the columns a phone shows them in, two for each such character', () => {
    const html = markdownToTelegramHtml('| 项目 | 状态 |\n|---|---|\n| 同步 | ✅ |\n| Backup | ❌ |');
    expect(html).toBe(['<pre>项目   │ 状态', '───────┼─────', '同步   │ ✅', 'Backup │ ❌</pre>'].join('\n'));
  });

  it('gives a table of Chinese too wide for a phone as records, counting its characters two columns each', () => {
    const html = markdownToTelegramHtml('| 功能 | 说明 |\n|---|---|\n| 同步数据到云端服务器 | 每天自动同步一次所有的数据和设置 |');
    expect(html).toBe('<b>同步数据到云端服务器</b>\n说明: 每天自动同步一次所有的数据和设置');
  });

  it("keeps a link's address and turns a <br> into a space inside a table cell", () => {
    const html = markdownToTelegramHtml('| Tool | Docs |\n|---|---|\n| grammY | [guide](https://grammy.dev/guide)<br>and more |');
    expect(html).toContain('guide (https://grammy.dev/guide) and more');
    expect(html).not.toContain('&lt;br&gt;');
  });

  it('renders a table too wide for a phone as one labelled record per row', () => {
    const html = markdownToTelegramHtml(fixture('wide-table.md'));
    expect(html).toContain('<b>TAP Air Portugal</b>\nDeparture: 12:05 Frankfurt\nArrival: 14:35 Lisbon\nDuration: 3h 30m\nStops: nonstop\nPrice: €142');
    expect(html).not.toContain('|');
  });

  it('indents nested lists under their items, numbered and bulleted, with task boxes', () => {
    const html = markdownToTelegramHtml(fixture('nested-lists.md'));
    expect(html).toContain(
      [
        '1. <b>Saturday</b>',
        '   ◦ Morning: farmers\' market (bring cash)',
        '   ◦ Afternoon: hike the <i>ridge trail</i>',
        '      ▪ pack water',
        '      ▪ check the forecast at <a href="https://www.meteoblue.com/en/weather">MeteoBlue</a>',
        '2. <b>Sunday</b>',
      ].join('\n'),
    );
    expect(html).toContain('<blockquote>Tip: if it rains on Saturday, swap the two days.\nThe market runs on Sundays too.</blockquote>');
    expect(html).toContain('☐ book the table\n☑ buy hiking boots');
  });

  it('renders a realistic code answer: fences with and without language, inline code, rule, escaped raw HTML', () => {
    const html = markdownToTelegramHtml(fixture('code-answer.md'));
    expect(html).toContain('<pre><code class="language-python">from pathlib import Path\n\ndef count_lines(path: str) -&gt; int:');
    expect(html).toContain('<pre>&gt;&gt;&gt; count_lines("notes.txt")\n42</pre>');
    expect(html).toContain('raw HTML like &lt;b&gt;this&lt;/b&gt;.');
  });

  it.each(FIXTURES)('produces HTML Telegram parses for %s', (name) => {
    for (const chunk of renderChunks(fixture(name))) expectTelegramAccepts(chunk.html);
  });
});

describe('splitting long replies', () => {
  it('keeps a short reply in one message', () => {
    expect(splitTelegramHtml('hello', 100)).toEqual(['hello']);
  });

  it('splits at paragraph boundaries within the limit and loses no text', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ${'word '.repeat(30)}`.trim()).join('\n\n');
    const chunks = splitTelegramHtml(text, 1_000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.length <= 1_000)).toBe(true);
    expect(chunks.join('\n\n')).toBe(text);
  });

  it('closes and reopens a code block that spans messages, keeping its language', () => {
    const chunks = renderChunks(fixture('long-code-reply.md'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expectTelegramAccepts(chunk.html);
    expect(chunks[0]!.html.endsWith('</code></pre>')).toBe(true);
    expect(chunks[1]!.html.startsWith('<pre><code class="language-typescript">')).toBe(true);
    const code = chunks.map((chunk) => visibleText(chunk.html)).join('\n');
    expect(code).toContain("export const value0 = compute(0, 'item-0') < limit ? 0 : 0;");
    expect(code).toContain("export const value150 = compute(150, 'item-150') < limit ? 150 : 0;");
  });

  it('closes nested formatting at a cut and reopens it, attributes included', () => {
    const html = `<blockquote><b>${'bold words '.repeat(40)}</b> and <a href="https://example.com/x">${'link text '.repeat(30)}</a></blockquote>`;
    const chunks = splitTelegramHtml(html, 300);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(visibleText(chunk).length).toBeLessThanOrEqual(300);
      expect(parseTelegramHtml(chunk)).toMatchObject({ ok: true });
      expect(chunk.startsWith('<blockquote>')).toBe(true);
    }
    expect(chunks.some((chunk) => chunk.startsWith('<blockquote><a href="https://example.com/x">'))).toBe(true);
  });

  it('never cuts an entity or a surrogate pair', () => {
    const chunks = splitTelegramHtml('&amp;😀'.repeat(500), 97);
    for (const chunk of chunks) expect(parseTelegramHtml(chunk)).toMatchObject({ ok: true });
    // Telegram counts UTF-16 code units: an emoji outside the Basic Multilingual Plane is two.
    for (const chunk of chunks) expect(visibleText(chunk).length).toBeLessThanOrEqual(97);
    expect(chunks.map(visibleText).join('')).toBe('&😀'.repeat(500));
  });

  it('splits a long reply of emoji and other two-unit characters into messages Telegram takes', () => {
    const chunks = renderChunks('😀𝔘'.repeat(1_500));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expectTelegramAccepts(chunk.html);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe('😀𝔘'.repeat(1_500));
  });

  it('never cuts a flag or a family emoji apart, though each is several characters', () => {
    const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
    for (const text of [`a${'🇺🇸'.repeat(1_100)}`, '👨‍👩‍👧‍👦'.repeat(500)]) {
      const chunks = renderChunks(text);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) {
        expectTelegramAccepts(chunk.html);
        // Each message is whole flags or whole families: none starts or ends with half of one.
        const pieces = [...graphemes.segment(chunk.plain)].map(({ segment }) => segment);
        expect(pieces.every((piece) => piece === 'a' || piece === '🇺🇸' || piece === '👨‍👩‍👧‍👦')).toBe(true);
      }
      expect(chunks.map((chunk) => chunk.plain).join('')).toBe(text);
    }
  });

  it('still splits a letter under more stacked accents than one message holds', () => {
    const text = `Z${'\u0301'.repeat(9_000)}`;
    const chunks = renderChunks(text);
    for (const chunk of chunks) expectTelegramAccepts(chunk.html);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe(text);
  });

  it('cuts a long Chinese reply, which has no spaces, after a sentence', () => {
    const chunks = renderChunks('这是一个句子。'.repeat(1_000));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.plain.endsWith('。')).toBe(true);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe('这是一个句子。'.repeat(1_000));
  });

  it("keeps the indentation of a code block's first line in the next message, so copied code still runs", () => {
    const lines = Array.from({ length: 400 }, (_, index) => `        total += compute(${index})`);
    const chunks = renderChunks(['```python', 'def f():', ...lines, '```'].join('\n'));
    expect(chunks.length).toBeGreaterThan(1);
    const code = chunks.map((chunk) => visibleText(chunk.html)).join('\n').split('\n').filter((line) => line.trim() !== '');
    expect(code).toEqual(['def f():', ...lines]);
  });

  it('sends the source of a reply whose markup shows no text, instead of nothing', () => {
    expect(renderChunks('```\n```')).toEqual([{ html: '```\n```', plain: '```\n```' }]);
    expect(renderChunks('   ')).toEqual([]);
  });

  it('splits a single huge word', () => {
    const chunks = renderChunks('a'.repeat(10_000));
    expect(chunks.every((chunk) => chunk.html.length <= TELEGRAM_MAX_CHARS)).toBe(true);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe('a'.repeat(10_000));
  });

  it('counts an escaped character as the one character Telegram shows, not as its entity', () => {
    const chunks = renderChunks('<&>'.repeat(3_000));
    for (const chunk of chunks) expectTelegramAccepts(chunk.html);
    expect(chunks.map((chunk) => visibleText(chunk.html).length)).toEqual([TELEGRAM_MAX_CHARS, TELEGRAM_MAX_CHARS, 9_000 - 2 * TELEGRAM_MAX_CHARS]);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe('<&>'.repeat(3_000));
  });
});
