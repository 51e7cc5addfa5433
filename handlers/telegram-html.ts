/**
 * Renders the small Markdown subset models write (fences, inline code, bold, italic, strike, links, headings)
 * as Telegram HTML. Everything else is escaped, so the output always parses; tags never cross code spans.
 */
export function markdownToTelegramHtml(markdown: string): string {
  const out: string[] = [];
  const fence = /^```([\w+#.-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm;
  let last = 0;
  for (const match of markdown.matchAll(fence)) {
    out.push(renderBlocks(markdown.slice(last, match.index)));
    const language = match[1] ? ` class="language-${escapeHtml(match[1])}"` : '';
    out.push(`<pre><code${language}>${escapeHtml(match[2]!.replace(/\n$/, ''))}</code></pre>`);
    last = match.index + match[0].length;
  }
  out.push(renderBlocks(markdown.slice(last)));
  return out.join('').replace(/\n{3,}/g, '\n\n').trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderBlocks(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const heading = /^#{1,6}\s+(.*)$/.exec(line);
      if (heading) return `<b>${renderInline(heading[1]!)}</b>`;
      const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
      if (bullet) return `${bullet[1]}• ${renderInline(bullet[2]!)}`;
      const quote = /^>\s?(.*)$/.exec(line);
      if (quote) return `<blockquote>${renderInline(quote[1]!)}</blockquote>`;
      return renderInline(line);
    })
    .join('\n')
    .replace(/<\/blockquote>\n<blockquote>/g, '\n');
}

function renderInline(text: string): string {
  const parts = text.split(/(`[^`\n]+`)/);
  return parts
    .map((part, index) => (index % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : renderEmphasis(part)))
    .join('');
}

function renderEmphasis(text: string): string {
  let html = escapeHtml(text);
  html = html.replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_all, label: string, url: string) => `<a href="${url.replace(/"/g, '&quot;')}">${label}</a>`);
  html = html.replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '<b>$1</b>');
  html = html.replace(/__(?=\S)([^_\n]*?\S)__/g, '<b>$1</b>');
  html = html.replace(/~~(?=\S)([^~\n]*?\S)~~/g, '<s>$1</s>');
  html = html.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1<i>$2</i>');
  html = html.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, '$1<i>$2</i>');
  return html;
}
