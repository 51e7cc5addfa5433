/**
 * Telegram's HTML parse mode as the Bot API enforces it (https://core.telegram.org/bots/api#formatting-options,
 * checked 2026-12-01): only the documented tags, every tag closed in order, `<`, `>` and `&` escaped outside tags,
 * and the nesting rules (nothing inside code or pre but pre's language code tag, no link in a link, no blockquote in
 * a blockquote). The error texts follow the Bot API's "Bad Request: can't parse entities: …" answers.
 */
export type HtmlCheck = { ok: true; text: string } | { ok: false; description: string };

const TAG_NAMES = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'tg-time', 'code', 'pre', 'blockquote']);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export function parseTelegramHtml(html: string): HtmlCheck {
  const stack: Array<{ name: string; attributes: string }> = [];
  let text = '';
  let index = 0;
  const fail = (reason: string): HtmlCheck => ({ ok: false, description: `Bad Request: can't parse entities: ${reason}` });
  const byteOffset = (at: number) => Buffer.byteLength(html.slice(0, at), 'utf8');
  while (index < html.length) {
    const char = html[index]!;
    if (char === '&') {
      const entity = /^&(#\d+|#x[\da-f]+|[a-z]+);/i.exec(html.slice(index));
      if (!entity) return fail(`Can't find end of the entity starting at byte offset ${byteOffset(index)}`);
      const name = entity[1]!;
      if (name.startsWith('#')) {
        text += String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      } else if (NAMED_ENTITIES[name] !== undefined) {
        text += NAMED_ENTITIES[name];
      } else {
        return fail(`Unsupported HTML entity "&${name};" at byte offset ${byteOffset(index)}`);
      }
      index += entity[0].length;
      continue;
    }
    if (char === '>') return fail(`Unexpected end of name token at byte offset ${byteOffset(index)}`);
    if (char !== '<') {
      text += char;
      index += 1;
      continue;
    }
    const end = html.indexOf('>', index);
    if (end < 0) return fail(`Unclosed start tag at byte offset ${byteOffset(index)}`);
    const inner = html.slice(index + 1, end);
    const closing = /^\/([a-z][\w-]*)\s*$/i.exec(inner);
    if (closing) {
      const name = closing[1]!.toLowerCase();
      const open = stack.pop();
      if (!open) return fail(`Unexpected end tag at byte offset ${byteOffset(index)}`);
      if (open.name !== name) return fail(`Can't find end tag corresponding to start tag "${open.name}"`);
      index = end + 1;
      continue;
    }
    const opening = /^([a-z][\w-]*)(\s[\s\S]*)?$/i.exec(inner);
    const name = opening?.[1]?.toLowerCase();
    if (!opening || !name || !TAG_NAMES.has(name)) return fail(`Unsupported start tag "${name ?? inner}" at byte offset ${byteOffset(index)}`);
    const attributes = opening[2]?.trim() ?? '';
    const parent = stack.at(-1);
    if (parent?.name === 'code' || (parent?.name === 'pre' && name !== 'code')) {
      return fail(`Entity "${name}" can't be nested inside "${parent.name}" at byte offset ${byteOffset(index)}`);
    }
    if (name === 'a' && stack.some((tag) => tag.name === 'a')) return fail(`Nested links are not allowed at byte offset ${byteOffset(index)}`);
    if (name === 'blockquote' && stack.some((tag) => tag.name === 'blockquote')) return fail(`Blockquote can't be nested at byte offset ${byteOffset(index)}`);
    if (name === 'a' && !/^href="[^"]*"$/.test(attributes)) return fail(`Tag "a" must have attribute "href" at byte offset ${byteOffset(index)}`);
    if (name === 'code' && attributes && (parent?.name !== 'pre' || !/^class="language-[^"]+"$/.test(attributes))) {
      return fail(`Programming language can be specified only for "code" tags inside "pre" at byte offset ${byteOffset(index)}`);
    }
    stack.push({ name, attributes });
    index = end + 1;
  }
  if (stack.length > 0) return fail(`Can't find end tag corresponding to start tag "${stack.at(-1)!.name}"`);
  return { ok: true, text };
}
