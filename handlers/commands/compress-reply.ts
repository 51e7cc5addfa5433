import { COMPRESS_KEEPS_TURNS, SETTLED_AFTER_MS } from '../../agent/compaction.ts';
import type { CompressResult } from '../../agent/compress-conversation.ts';

/** What /compress says, in Telegram and in the terminal (which has no /undo). */
export function compressReply(result: CompressResult, { undo = true }: { undo?: boolean } = {}): string {
  if (result.status === 'repeated') return 'Compressed: the earlier messages of this conversation are a summary now.';
  if (result.status === 'over-budget') return result.text;
  if (result.status === 'nothing') {
    return `There is nothing to compress yet: I keep the last ${COMPRESS_KEEPS_TURNS} exchanges word for word, and fold only those answered more than ${SETTLED_AFTER_MS / 60_000} minutes ago.`;
  }
  const { folded, kept, tokensBefore, tokensAfter } = result;
  return [
    `Compressed ${folded} earlier exchange${folded === 1 ? '' : 's'} into a summary; the last ${kept} stay${kept === 1 ? 's' : ''} word for word.`,
    `The conversation each message sends went from about ${tokensBefore.toLocaleString('en-US')} to ${tokensAfter.toLocaleString('en-US')} tokens.${undo ? ' /undo, sent next, brings them back.' : ''}`,
  ].join('\n');
}
