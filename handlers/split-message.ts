/**
 * Telegram's limit for one message: "1-4096 characters after entities parsing" (sendMessage, Bot API docs, checked
 * 2026-12-02). So it counts what the message shows: a tag nothing, `&lt;` one character. Counted in UTF-16 code units,
 * as the Bot API counts entity offsets and as the stand-in enforces it; that is never less than Telegram's count.
 */
export const TELEGRAM_MAX_CHARS = 4096;

interface OpenTag {
  name: string;
  raw: string;
}

/** One indivisible piece of HTML: a tag, an entity, or one character as the reader sees it (a grapheme cluster). */
interface Atom {
  raw: string;
  /** What it adds to the shown text, in UTF-16 code units: nothing for a tag, one character or two for an entity. */
  shown: number;
  open?: OpenTag;
  close?: string;
}

const ATOM = /<\/([a-z][\w-]*)\s*>|<([a-z][\w-]*)(?:\s[^>]*)?>|&(?:#\d+|#x[\da-f]+|[a-z]+);|[\s\S]/giu;

/**
 * Splits Telegram HTML into messages that show at most `limit` characters each, preferring a blank line outside any
 * tag, then a line break, then a space. Tags open at a cut are closed at the end of the message and reopened, attributes and
 * all, at the start of the next, so every message parses on its own and a code block keeps its language.
 */
export function splitTelegramHtml(html: string, limit: number = TELEGRAM_MAX_CHARS): string[] {
  const atoms = asGraphemes(Array.from(html.matchAll(ATOM), atomOf));
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
  return html.replace(/<[^>]*>/g, '').replace(/&(#\d+|#x[\da-f]+|lt|gt|amp|quot);/gi, (_all, entity: string) => decodeEntity(entity));
}

const KNOWN_ENTITY = /^&(#\d{1,7}|#x[\da-f]{1,6}|lt|gt|amp|quot);$/i;

function decodeEntity(entity: string): string {
  const lower = entity.toLowerCase();
  if (lower === 'lt') return '<';
  if (lower === 'gt') return '>';
  if (lower === 'amp') return '&';
  if (lower === 'quot') return '"';
  return String.fromCodePoint(lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1)));
}

function atomOf(match: RegExpMatchArray): Atom {
  const [raw, closeName, openName] = match as unknown as [string, string | undefined, string | undefined];
  if (closeName) return { raw, shown: 0, close: closeName.toLowerCase() };
  if (openName) return { raw, shown: 0, open: { name: openName.toLowerCase(), raw } };
  // An entity Telegram would not decode is counted as written.
  if (KNOWN_ENTITY.test(raw)) return { raw, shown: decodeEntity(raw.slice(1, -1)).length };
  return { raw, shown: raw.length };
}

/** Where Chinese and Japanese end a sentence or clause: their text has no spaces to cut at. */
const SENTENCE_END_NO_SPACE = new Set(['。', '！', '？', '；', '，', '、', '…']);
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** Longer than any emoji sequence Unicode defines (a family of four with skin tones is 19 units). */
const MAX_GRAPHEME_UNITS = 64;

/**
 * Characters joined into what the reader sees as one: a flag (two regional indicators), a family emoji (joined by
 * zero-width joiners), a letter and its accents. Cut apart, each half shows as something else (🇺🇸 becomes 🇺 and
 * every later flag pairs up wrongly).
 */
function asGraphemes(atoms: Atom[]): Atom[] {
  const out: Atom[] = [];
  let run = '';
  const flush = () => {
    for (const { segment } of graphemes.segment(run)) {
      // A letter under hundreds of stacked accents is one cluster too, and may be longer than a message: it goes by code point.
      if (segment.length <= MAX_GRAPHEME_UNITS) out.push({ raw: segment, shown: segment.length });
      else for (const point of segment) out.push({ raw: point, shown: point.length });
    }
    run = '';
  };
  for (const atom of atoms) {
    if (atom.open || atom.close || atom.raw.length > 2 || atom.raw.startsWith('&')) {
      flush();
      out.push(atom);
    } else {
      run += atom.raw;
    }
  }
  flush();
  return out;
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
  let length = 0;
  const best: Array<Cut | undefined> = [undefined, undefined, undefined];
  let last: Cut = { at: start, stack };
  let index = start;
  while (index < atoms.length) {
    const atom = atoms[index]!;
    const next = atom.open ? [...stack, atom.open] : atom.close ? stack.slice(0, lastIndexOfTag(stack, atom.close)) : stack;
    if (length + atom.shown > limit && index > start) break;
    length += atom.shown;
    stack = next;
    index += 1;
    last = { at: index, stack };
    if (atom.raw === '\n' && atoms[index]?.raw === '\n' && stack.length === 0) best[0] = last;
    else if (atom.raw === '\n') best[1] = last;
    else if (atom.raw === ' ' || SENTENCE_END_NO_SPACE.has(atom.raw)) best[2] = last;
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
