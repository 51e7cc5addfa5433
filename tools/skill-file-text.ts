import { MAX_SKILL_CHARS } from './skill-markdown.ts';
import { sliceWhole } from './char-count.ts';

/**
 * A skill file as the model may read it. A binary asset (an image, a font, an archive a published skill ships) read
 * as text is a NUL or replacement character soup that would fill the context and can fail the request; Hermes
 * answers such a file with a note instead (skills_tool.py, skill_view). Text past the size a SKILL.md may have is
 * cut there, saying so, as one file must not crowd out the conversation.
 */
export function skillFileText(path: string, content: string): string {
  if (content.includes('\u0000') || content.includes('\uFFFD')) return `[Binary file: ${path}; it cannot be shown as text.]`;
  if (content.length <= MAX_SKILL_CHARS) return content;
  return `${sliceWhole(content, MAX_SKILL_CHARS)}\n[… clipped: ${path} has ${content.length.toLocaleString('en-US')} characters; the first ${MAX_SKILL_CHARS.toLocaleString('en-US')} are shown.]`;
}
