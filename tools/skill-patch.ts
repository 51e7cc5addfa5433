import { ValidationError } from './errors.ts';

export interface Replacement {
  oldString: string;
  newString: string;
  replaceAll: boolean;
  /** The file's path in the skill, for messages. */
  file: string;
}

interface Span {
  start: number;
  end: number;
}

/**
 * The first two strategies of Hermes' fuzzy_find_and_replace (tools/fuzzy_match.py, used by _patch_skill): the exact
 * text, then the same lines with the whitespace around each ignored. Hermes reads files with universal newlines, so
 * a Windows file matches an old_string with plain line breaks; here the file keeps its own line endings, and the new
 * text is written with them. As in Hermes, a strategy that matches more than once needs replace_all.
 */
export function replaceText(current: string, { oldString, newString, replaceAll, file }: Replacement): { updated: string; count: number } {
  const oldText = oldString.replaceAll('\r\n', '\n');
  if (oldText.trim() === '') throw new ValidationError('old_string is only whitespace; give the text to replace.');
  const newText = newString.replaceAll('\r\n', '\n');
  const view = lineFeedView(current);
  for (const [strategy, find] of [['exact', exactSpans], ['line-trimmed', lineTrimmedSpans]] as const) {
    const spans = find(view.text, oldText);
    if (spans.length === 0) continue;
    if (spans.length > 1 && !replaceAll) {
      throw new ValidationError(`old_string occurs ${spans.length} times in ${file}; add context to make it unique or set replace_all.`);
    }
    let updated = current;
    for (const span of [...spans].reverse()) {
      const text = strategy === 'exact' ? newText : reindented(view.text.slice(span.start, span.end), oldText, newText);
      updated = updated.slice(0, view.original[span.start]) + text.replaceAll('\n', view.lineEnding) + updated.slice(view.original[span.end]);
    }
    return { updated, count: spans.length };
  }
  throw new ValidationError(`old_string was not found in ${file}. View the skill and copy the text exactly.`);
}

/**
 * The file with "\r\n" read as "\n", and where each of its positions is in the file: a line break maps to its "\r",
 * so a span that stops before a line break leaves the whole break in place.
 */
function lineFeedView(content: string): { text: string; original: number[]; lineEnding: string } {
  const original: number[] = [];
  let text = '';
  let crlf = 0;
  for (let index = 0; index < content.length; index++) {
    original.push(index);
    if (content[index] === '\r' && content[index + 1] === '\n') {
      index++;
      crlf++;
      text += '\n';
    } else {
      text += content[index];
    }
  }
  original.push(content.length);
  const lineFeeds = text.split('\n').length - 1 - crlf;
  return { text, original, lineEnding: crlf > lineFeeds ? '\r\n' : '\n' };
}

function exactSpans(text: string, pattern: string): Span[] {
  const spans: Span[] = [];
  for (let start = text.indexOf(pattern); start >= 0; start = text.indexOf(pattern, start + pattern.length)) {
    spans.push({ start, end: start + pattern.length });
  }
  return spans;
}

/** Hermes' _strategy_line_trimmed: whole lines that equal the pattern's lines once each is trimmed; no two overlap. */
function lineTrimmedSpans(text: string, pattern: string): Span[] {
  const wanted = pattern.split('\n').map((line) => line.trim());
  const lines = text.split('\n');
  const starts: number[] = [];
  for (let index = 0, offset = 0; index < lines.length; offset += lines[index]!.length + 1, index++) starts.push(offset);
  const spans: Span[] = [];
  for (let first = 0; first + wanted.length <= lines.length; first++) {
    if (!wanted.every((line, offset) => lines[first + offset]!.trim() === line)) continue;
    const last = first + wanted.length - 1;
    spans.push({ start: starts[first]!, end: starts[last]! + lines[last]!.length });
    first = last;
  }
  return spans;
}

/**
 * Hermes' _reindent_replacement: when the matched lines are indented differently from old_string, new_string is
 * moved by the same amount, so it sits in the file as the lines it replaces did.
 */
function reindented(fileRegion: string, oldText: string, newText: string): string {
  const indentOf = (text: string) => /^[ \t]*/.exec(text.split('\n').find((line) => line.trim() !== '') ?? '')![0];
  const oldIndent = indentOf(oldText);
  const fileIndent = indentOf(fileRegion);
  if (oldIndent === fileIndent) return newText;
  return newText
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      return line.startsWith(oldIndent) ? fileIndent + line.slice(oldIndent.length) : fileIndent + line.replace(/^[ \t]+/, '');
    })
    .join('\n');
}
