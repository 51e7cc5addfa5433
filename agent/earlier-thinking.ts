import type { ModelMessage } from 'ai';

/**
 * Earlier turns without their thinking blocks, for models with preserved thinking (claude-thinking.ts). Each turn's
 * system prompt carries that moment's memory, skills and summary, and the window drops its oldest turns, so a block
 * from an earlier turn no longer stands after what it was written after; sent back, it fails the prefix check.
 * Anthropic's advice for histories that are trimmed or summarized is to remove thinking from the turns kept
 * ("Prefix checks on thinking blocks", read 2026-12-02). The running turn's own blocks still go back with its tool
 * results, since nothing before them changes while it runs.
 */
export function withoutEarlierThinking(history: ModelMessage[]): ModelMessage[] {
  return history.flatMap((message) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return [message];
    const content = message.content.filter((part) => part.type !== 'reasoning' && part.type !== 'reasoning-file');
    if (content.length === message.content.length) return [message];
    return content.length > 0 ? [{ ...message, content }] : [];
  });
}
