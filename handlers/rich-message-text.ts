import type { RichMessage } from 'grammy/types';

type Node = Record<string, unknown>;

/** Blocks that show media the bot does not fetch: named, so the model knows something was there. */
const MEDIA_BLOCKS = new Set(['photo', 'video', 'animation', 'audio', 'document', 'voice_note', 'collage', 'slideshow', 'map']);

/**
 * The words of a rich formatted message (`rich_message`, Bot API 10.1: paragraphs, headings, lists, tables, quotes,
 * details; "RichMessage" and "RichBlock", Bot API docs, read 2026-12-02), as plain text with a block a line: such a
 * message, forwarded from another bot's answer, has no `text` of its own. Links keep their address, as hidden links
 * in a text do (linked-text.ts).
 */
export function richMessageText(message: RichMessage): string {
  return blocksText(message.blocks as unknown as Node[]).join('\n').trim();
}

function blocksText(blocks: readonly Node[] | undefined): string[] {
  return (blocks ?? []).flatMap(blockText).filter((line) => line.trim() !== '');
}

function blockText(block: Node): string[] {
  const type = String(block.type);
  if (type === 'list') {
    return ((block.items as Node[] | undefined) ?? []).flatMap((item) => {
      const [first = '', ...rest] = blocksText(item.blocks as Node[] | undefined);
      return [`${String(item.label ?? '-')} ${first}`.trim(), ...rest];
    });
  }
  if (type === 'table') {
    const rows = ((block.cells as Node[][] | undefined) ?? []).map((row) => row.map((cell) => inlineText(cell.text)).join(' | '));
    return [...rows, inlineText(block.caption)];
  }
  if (type === 'divider') return ['---'];
  const media = MEDIA_BLOCKS.has(type) ? [`[${type.replace('_', ' ')}]`] : [];
  // A media block's caption is a RichBlockCaption (its text and credit); a table's is plain RichText.
  const caption = block.caption as Node | string | undefined;
  const captionBlock = typeof caption === 'object' && caption !== null && !Array.isArray(caption) && 'text' in caption ? caption : undefined;
  return [
    ...media,
    inlineText(block.summary),
    inlineText(block.text ?? block.expression),
    ...blocksText(block.blocks as Node[] | undefined),
    inlineText(captionBlock ? captionBlock.text : caption),
    inlineText(captionBlock?.credit),
    inlineText(block.credit),
  ];
}

/** RichText: a string, a list of pieces, or a styled piece around its own text. */
function inlineText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(inlineText).join('');
  if (typeof value !== 'object') return '';
  const piece = value as Node;
  // A custom emoji shows as the ordinary emoji Telegram gives for it.
  const words = inlineText(piece.text ?? piece.expression ?? piece.alternative_text);
  return typeof piece.url === 'string' && piece.url !== words.trim() ? `${words} (${piece.url})` : words;
}
