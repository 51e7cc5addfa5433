import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';
import stringWidth from 'string-width';
import type Token from 'markdown-it/lib/token.mjs';

/**
 * Model Markdown as Telegram HTML, from markdown-it's token stream (CommonMark plus GFM tables and strikethrough).
 * Only the tags of the Bot API's HTML style are produced (https://core.telegram.org/bots/api#formatting-options,
 * checked 2026-12-01): b, i, s, a, code, pre with a `language-` class, blockquote. Its nesting rules hold: nothing
 * inside code or pre, no link inside a link, no blockquote inside a blockquote. Telegram has no list, heading or
 * table entities, so lists become bullet lines, headings bold lines and tables a monospace grid. HTML the model
 * writes is escaped (markdown-it runs with `html: false`).
 */
const markdown = new MarkdownIt('default', { html: false, linkify: false, typographer: false })
  // CommonMark does not close `**注意：**请` (a closing mark between CJK punctuation and a letter): the CJK-friendly
  // amendment does, as models write Chinese, Japanese and Korean (commonmark-spec issue #650).
  .use(cjkFriendly);

/** Telegram renders links of these schemes; others stay as their text. */
const LINK_SCHEMES = /^(https?:|tg:|mailto:)/i;
const BULLETS = ['•', '◦', '▪'];
const INDENT = '   ';
/** Wider tables would wrap on a phone and lose their columns; they become one record per row instead. */
const MAX_GRID_WIDTH = 44;

export function markdownToTelegramHtml(source: string): string {
  const tokens = markdown.parse(source, {});
  return renderBlocks(tokens, { start: 0, end: tokens.length }, { inQuote: false, depth: 0 })
    .join('\n\n')
    .trim();
}

/**
 * Plain text, such as the user's own words, to be joined to Markdown and shown exactly as written: every ASCII
 * punctuation character gets the backslash CommonMark allows before it, so `5*3 and 2*4` keeps its asterisks and
 * `__init__.py` is not bold (https://spec.commonmark.org/0.31.2/#backslash-escapes, checked 2026-12-02).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '\\$&');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

interface BlockContext {
  inQuote: boolean;
  depth: number;
}

/** Renders tokens[start, end) as a list of blocks (paragraphs, lists, code…), joined by the caller. */
/** A half-open range of token indices. */
interface TokenRange {
  start: number;
  end: number;
}

function renderBlocks(tokens: Token[], { start, end }: TokenRange, context: BlockContext): string[] {
  const blocks: string[] = [];
  let index = start;
  while (index < end) {
    const token = tokens[index]!;
    switch (token.type) {
      case 'paragraph_open': {
        blocks.push(renderInline(tokens[index + 1]!.children ?? []));
        index = closingIndex(tokens, index) + 1;
        break;
      }
      case 'heading_open': {
        blocks.push(`<b>${renderInline(tokens[index + 1]!.children ?? [])}</b>`);
        index = closingIndex(tokens, index) + 1;
        break;
      }
      case 'fence':
      case 'code_block': {
        blocks.push(codeBlock(token.content, token.type === 'fence' ? token.info : ''));
        index += 1;
        break;
      }
      case 'blockquote_open': {
        const close = closingIndex(tokens, index);
        const inner = renderBlocks(tokens, { start: index + 1, end: close }, { ...context, inQuote: true }).join('\n\n');
        blocks.push(context.inQuote ? inner : `<blockquote>${inner}</blockquote>`);
        index = close + 1;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const close = closingIndex(tokens, index);
        blocks.push(renderList(tokens, { start: index, end: close }, context));
        index = close + 1;
        break;
      }
      case 'table_open': {
        const close = closingIndex(tokens, index);
        blocks.push(renderTable(tokens.slice(index, close + 1)));
        index = close + 1;
        break;
      }
      case 'hr':
        blocks.push('——————');
        index += 1;
        break;
      case 'inline':
        blocks.push(renderInline(token.children ?? []));
        index += 1;
        break;
      default:
        index += 1;
    }
  }
  return blocks.filter((block) => block.length > 0);
}

/** The index of the token closing the one opened at `open` (same nesting level). */
function closingIndex(tokens: Token[], open: number): number {
  const { level } = tokens[open]!;
  for (let index = open + 1; index < tokens.length; index += 1) {
    if (tokens[index]!.level === level && tokens[index]!.nesting === -1) return index;
  }
  return tokens.length - 1;
}

function codeBlock(content: string, info: string): string {
  const code = escapeHtml(content.replace(/\n$/, ''));
  const language = /^[\w+#.-]+/.exec(info.trim())?.[0];
  return language ? `<pre><code class="language-${escapeAttribute(language)}">${code}</code></pre>` : `<pre>${code}</pre>`;
}

/** Each item's first line carries the marker; its other blocks and nested lists are indented under it. */
function renderList(tokens: Token[], { start: open, end: close }: TokenRange, context: BlockContext): string {
  const ordered = tokens[open]!.type === 'ordered_list_open';
  let number = Number(tokens[open]!.attrGet('start') ?? 1);
  const indent = INDENT.repeat(context.depth);
  const lines: string[] = [];
  let index = open + 1;
  while (index < close) {
    if (tokens[index]!.type !== 'list_item_open') {
      index += 1;
      continue;
    }
    const itemClose = closingIndex(tokens, index);
    const blocks = renderBlocks(tokens, { start: index + 1, end: itemClose }, { ...context, depth: context.depth + 1 });
    const [item = '', ...rest] = blocks;
    // GitHub task items ("- [ ] todo") show as check boxes instead of a bullet.
    const task = ordered ? undefined : /^\[([ xX])\] /.exec(item);
    const marker = task ? (task[1] === ' ' ? '☐' : '☑') : ordered ? `${number}.` : BULLETS[context.depth % BULLETS.length]!;
    const first = task ? item.slice(task[0].length) : item;
    number += 1;
    const nestedList = (block: string) => block.startsWith(INDENT.repeat(context.depth + 1));
    lines.push(`${indent}${marker} ${first.startsWith('<pre>') ? `\n${first}` : first}`);
    for (const block of rest) {
      lines.push(nestedList(block) || block.startsWith('<pre>') ? block : indentLines(block, `${indent}${INDENT}`));
    }
    index = itemClose + 1;
  }
  return lines.join('\n');
}

function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

/** A narrow table is a monospace grid; a wide one is one record per row, each cell labelled with its header. */
function renderTable(tokens: Token[]): string {
  const rows: string[][] = [];
  let headerRows = 0;
  let row: string[] | undefined;
  for (const token of tokens) {
    if (token.type === 'tr_open') row = [];
    if (token.type === 'inline' && row) row.push(plainInline(token.children ?? []));
    if (token.type === 'tr_close' && row) {
      rows.push(row);
      row = undefined;
    }
    if (token.type === 'thead_close') headerRows = rows.length;
  }
  const columns = Math.max(...rows.map((cells) => cells.length));
  const widths = Array.from({ length: columns }, (_, column) => Math.max(1, ...rows.map((cells) => width(cells[column] ?? ''))));
  const gridWidth = widths.reduce((sum, value) => sum + value, 0) + 3 * (columns - 1);
  if (gridWidth > MAX_GRID_WIDTH && headerRows > 0 && columns > 1) return tableAsRecords(rows[0]!, rows.slice(headerRows));
  const line = (cells: string[]) =>
    widths
      .map((columnWidth, column) => pad(cells[column] ?? '', columnWidth))
      .join(' │ ')
      .trimEnd();
  const out = rows.map(line);
  if (headerRows > 0) out.splice(headerRows, 0, widths.map((columnWidth) => '─'.repeat(columnWidth)).join('─┼─'));
  return `<pre>${escapeHtml(out.join('\n'))}</pre>`;
}

function tableAsRecords(header: string[], body: string[][]): string {
  return body
    .map((cells) => {
      const [first = '', ...rest] = cells;
      const fields = rest.map((cell, column) => `${escapeHtml(header[column + 1] ?? '')}: ${escapeHtml(cell)}`);
      return [`<b>${escapeHtml(first)}</b>`, ...fields].join('\n');
    })
    .join('\n\n');
}

/** Columns as a monospace font shows them: two for CJK and emoji (Unicode East Asian Width), one for the rest. */
function width(text: string): number {
  return stringWidth(text);
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/**
 * A table cell as plain text (tables become a fixed-width block). A link keeps its address after its text, as the
 * block can hold no link; a `<br>` models write inside cells becomes a space.
 */
function plainInline(children: Token[]): string {
  let out = '';
  const links: Array<{ href: string; from: number }> = [];
  for (const child of children) {
    // With raw HTML off, a `<br>` reaches here as text.
    if (child.type === 'text') out += child.content.replace(/<br\s*\/?>/gi, ' ');
    else if (child.type === 'code_inline' || child.type === 'image') out += child.content;
    else if (child.type === 'softbreak' || child.type === 'hardbreak') out += ' ';
    else if (child.type === 'link_open') links.push({ href: child.attrGet('href') ?? '', from: out.length });
    else if (child.type === 'link_close') {
      const link = links.pop();
      if (link && link.href && out.slice(link.from) !== link.href) out += ` (${link.href})`;
    }
  }
  return out;
}

function renderInline(children: Token[]): string {
  let out = '';
  /** Per open link: whether it became an <a> tag, and its href for the text fallback. */
  const links: Array<{ tag: boolean; href: string }> = [];
  const inLink = () => links.some((link) => link.tag);
  for (const child of children) {
    switch (child.type) {
      case 'text':
        out += escapeHtml(child.content);
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'strong_open':
        out += '<b>';
        break;
      case 'strong_close':
        out += '</b>';
        break;
      case 'em_open':
        out += '<i>';
        break;
      case 'em_close':
        out += '</i>';
        break;
      case 's_open':
        out += '<s>';
        break;
      case 's_close':
        out += '</s>';
        break;
      case 'code_inline':
        // A link may not contain a code entity; the code's text stays.
        out += inLink() ? escapeHtml(child.content) : `<code>${escapeHtml(child.content)}</code>`;
        break;
      case 'link_open': {
        const href = child.attrGet('href') ?? '';
        const tag = LINK_SCHEMES.test(href) && !inLink();
        links.push({ tag, href });
        if (tag) out += `<a href="${escapeAttribute(href)}">`;
        break;
      }
      case 'link_close': {
        const link = links.pop();
        if (link?.tag) out += '</a>';
        else if (link && !inLink()) out += ` (${escapeHtml(link.href)})`;
        break;
      }
      case 'image': {
        const src = child.attrGet('src') ?? '';
        const alt = escapeHtml(child.content || 'image');
        out += LINK_SCHEMES.test(src) && !inLink() ? `<a href="${escapeAttribute(src)}">${alt}</a>` : alt;
        break;
      }
      default:
        out += escapeHtml(child.content);
    }
  }
  return out;
}
