import { MAX_SKILL_CHARS } from './skill-markdown.ts';
import { sliceWhole } from './char-count.ts';

/**
 * A skill file as the model may read it. A binary asset (an image, a font, an archive a published skill ships) read
 * as text is a NUL or replacement character soup that would fill the context and can fail the request; Hermes
 * answers such a file with a note instead (skills_tool.py, skill_view). Text past the size a SKILL.md may have is
 * cut there, saying so, as one file must not crowd out the conversation.
 */
export function skillFileText(path: string, content: string): string {
  if (isBinary(content)) return `[Binary file: ${path}; it cannot be shown as text.]`;
  if (content.length <= MAX_SKILL_CHARS) return content;
  return `${sliceWhole(content, MAX_SKILL_CHARS)}\n[… clipped: ${path} has ${content.length.toLocaleString('en-US')} characters; the first ${MAX_SKILL_CHARS.toLocaleString('en-US')} are shown.]`;
}

/**
 * NUL, or mostly bytes that are not UTF-8. A text saved in an older encoding (Windows-1252's curly quotes, "café") has
 * a few such bytes, shown as U+FFFD, and stays readable, as Hermes reads skills with errors="replace".
 */
function isBinary(content: string): boolean {
  if (content.includes('\u0000')) return true;
  let unreadable = 0;
  for (let index = content.indexOf('\uFFFD'); index !== -1; index = content.indexOf('\uFFFD', index + 1)) unreadable++;
  return unreadable > content.length / 10;
}
