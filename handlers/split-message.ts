/** Telegram's limit for one message. It counts the text after entity parsing; we bound the HTML itself, which is never shorter. */
export const TELEGRAM_MAX_CHARS = 4096;

interface OpenTag {
  name: string;
  raw: string;
}

/** One indivisible piece of HTML: a tag, an entity, or one character (a whole code point). */
interface Atom {
  raw: string;
  open?: OpenTag;
  close?: string;
}

const ATOM = /<\/([a-z][\w-]*)\s*>|<([a-z][\w-]*)(?:\s[^>]*)?>|&(?:#\d+|#x[\da-f]+|[a-z]+);|[\s\S]/giu;

/**
 * Splits Telegram HTML into messages of at most `limit` characters, preferring a blank line outside any tag, then
 * a line break, then a space. Tags open at a cut are closed at the end of the message and reopened, attributes and
 * all, at the start of the next, so every message parses on its own and a code block keeps its language.
 */
export function splitTelegramHtml(html: string, limit: number = TELEGRAM_MAX_CHARS): string[] {
  const atoms = Array.from(html.matchAll(ATOM), atomOf);
  const chunks: string[] = [];
  let reopen: OpenTag[] = [];
  let index = 0;
  while (index < atoms.length) {
    const cut = findCut(atoms, { start: index, reopen, limit });
    const body = atoms.slice(index, cut.at).map((atom) => atom.raw).join('');
    const text = reopen.map((tag) => tag.raw).join('') + body;
    const chunk = cut.at < atoms.length ? trimEndBeforeClosers(text) + closers(cut.stack) : text;
    if (visibleText(chunk).trim().length > 0) chunks.push(chunk.trim());
    reopen = cut.stack;
    index = skipLeadingNewlines(atoms, cut.at, reopen);
  }
  return chunks;
}

/** The plain text a chunk shows, for sending it again without parse_mode. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[\da-f]+|lt|gt|amp|quot);/gi, (_all, entity: string) => {
      const lower = entity.toLowerCase();
      if (lower === 'lt') return '<';
      if (lower === 'gt') return '>';
      if (lower === 'amp') return '&';
      if (lower === 'quot') return '"';
      return String.fromCodePoint(lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1)));
    });
}

function atomOf(match: RegExpMatchArray): Atom {
  const [raw, closeName, openName] = match as unknown as [string, string | undefined, string | undefined];
  if (closeName) return { raw, close: closeName.toLowerCase() };
  if (openName) return { raw, open: { name: openName.toLowerCase(), raw } };
  return { raw };
}

function closers(stack: OpenTag[]): string {
  return stack
    .map((tag) => `</${tag.name}>`)
    .reverse()
    .join('');
}

function trimEndBeforeClosers(text: string): string {
  return text.replace(/[ \t\n]+$/, '');
}

/** After a cut outside a code block, the next message starts at its text, not at the line break that was cut. */
function skipLeadingNewlines(atoms: Atom[], index: number, stack: OpenTag[]): number {
  if (stack.some((tag) => tag.name === 'pre')) return index;
  let at = index;
  while (at < atoms.length && (atoms[at]!.raw === '\n' || atoms[at]!.raw === ' ')) at += 1;
  return at;
}

interface Cut {
  at: number;
  stack: OpenTag[];
}

function findCut(atoms: Atom[], { start, reopen, limit }: { start: number; reopen: OpenTag[]; limit: number }): Cut {
  let stack = [...reopen];
  let length = reopen.reduce((sum, tag) => sum + tag.raw.length, 0);
  const best: Array<Cut | undefined> = [undefined, undefined, undefined];
  let last: Cut = { at: start, stack };
  let index = start;
  while (index < atoms.length) {
    const atom = atoms[index]!;
    const next = atom.open ? [...stack, atom.open] : atom.close ? stack.slice(0, lastIndexOfTag(stack, atom.close)) : stack;
    const closing = next.reduce((sum, tag) => sum + tag.name.length + 3, 0);
    if (length + atom.raw.length + closing > limit && index > start) break;
    length += atom.raw.length;
    stack = next;
    index += 1;
    last = { at: index, stack };
    if (atom.raw === '\n' && atoms[index]?.raw === '\n' && stack.length === 0) best[0] = last;
    else if (atom.raw === '\n') best[1] = last;
    else if (atom.raw === ' ') best[2] = last;
  }
  if (index >= atoms.length) return last;
  const consumed = index - start;
  // A boundary too near the start would make a needlessly short message; then a weaker boundary is better.
  const good = best.find((cut) => cut !== undefined && cut.at - start > consumed / 3);
  return good ?? last;
}

function lastIndexOfTag(stack: OpenTag[], name: string): number {
  for (let index = stack.length - 1; index >= 0; index -= 1) if (stack[index]!.name === name) return index;
  return stack.length;
}
