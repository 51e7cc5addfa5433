import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { SessionWindow, Summary, Turn } from './ports/session-store.ts';
import { estimateTokens } from './tokens.ts';
import { turnUsageOf, type TurnUsage } from './turn-usage.ts';

export interface CompactionPlan {
  /** Turns folded into the new summary, oldest first. */
  older: Turn[];
  /** Turns kept word for word. */
  tail: Turn[];
}

/**
 * A turn is folded only once it is older than one processing attempt can take (the Lambda limit is 90 s). A message
 * of the same chat still being processed was then received after every folded turn, so it sorts after what the
 * summary covers and cannot end up outside both the summary and the window. A longer bound would also cover
 * redeliveries of failed attempts, but would hold compaction back for longer in a quick back-and-forth.
 */
export const SETTLED_AFTER_MS = 2 * 60_000;

/** How many of the newest turns a compaction keeps verbatim at most: half the window. */
export function maxTailTurns(windowTurns: number): number {
  return Math.max(1, Math.floor(windowTurns / 2));
}

/**
 * Decides whether the window must shrink: when it is over budget, when it holds as many turns as a read returns,
 * or when the store reported older turns that no summary covers yet. The newest turns that fit in half the budget
 * (and half the window) stay verbatim, and so does every turn that has not settled; the rest is summarized, so the
 * prompt stays bounded however long the chat gets. While fewer than half the turns it would fold have settled, it
 * waits rather than spend a summary call on a turn or two, unless older turns already fall outside the window.
 */
export function planCompaction(window: SessionWindow, budgetTokens: number, windowTurns: number, now: number): CompactionPlan | undefined {
  const tailLimit = maxTailTurns(windowTurns);
  const summaryTokens = window.summary ? estimateTokens(window.summary.text) : 0;
  const turnTokens = window.turns.map((turn) => estimateTokens(turn.messages));
  const total = summaryTokens + turnTokens.reduce((sum, tokens) => sum + tokens, 0);
  // A full window is compacted before the next turn would push the previous summary out of the read.
  if (total <= budgetTokens && !window.truncated && window.turns.length < windowTurns) return undefined;
  let kept = 0;
  let index = window.turns.length;
  while (index > 0 && window.turns.length - index < tailLimit && kept + turnTokens[index - 1]! <= budgetTokens / 2) {
    index -= 1;
    kept += turnTokens[index]!;
  }
  if (index === window.turns.length && window.turns.length > 0) index -= 1;
  const wanted = index;
  while (index > 0 && window.turns[index - 1]!.at > now - SETTLED_AFTER_MS) index -= 1;
  if (index === 0 || (index < wanted / 2 && !window.truncated)) return undefined;
  return { older: window.turns.slice(0, index), tail: window.turns.slice(index) };
}

const SUMMARY_INSTRUCTIONS =
  'You maintain the running summary of a chat between a user and their assistant. Merge the previous summary and the new ' +
  'transcript into one summary for the assistant to continue from: facts about the user, decisions, open tasks and promises, ' +
  'names, numbers and dates. Plain text, at most 250 words. Output only the summary.';

/**
 * Folds the oldest turns of `older` into the previous summary: as many as fit `maxChars` of transcript (always at
 * least one, clipped if it alone is longer), so the call stays bounded. The summary covers exactly the turns it
 * read; a larger backlog is folded by the turns that follow, one call each.
 */
export async function summarize(
  model: LanguageModel,
  previous: string | undefined,
  older: Turn[],
  maxChars: number,
): Promise<{ summary: Summary; usage: TurnUsage }> {
  const rendered = older.map((turn) => turn.messages.map(renderMessage).join('\n'));
  let count = 1;
  let chars = rendered[0]!.length;
  while (count < older.length && chars + 1 + rendered[count]!.length <= maxChars) {
    chars += 1 + rendered[count]!.length;
    count += 1;
  }
  const transcript = rendered.slice(0, count).join('\n');
  const clipped = transcript.length > maxChars ? `[…]\n${transcript.slice(-maxChars)}` : transcript;
  const { text, finishReason, usage } = await generateText({
    model,
    instructions: SUMMARY_INSTRUCTIONS,
    messages: [{ role: 'user', content: `Previous summary:\n${previous ?? '(none)'}\n\nNew transcript:\n${clipped}` }],
    // A summary needs no thinking; reasoning tokens would only share its small output budget.
    reasoning: 'none',
    maxOutputTokens: 600,
  });
  // An empty or cut-off summary would stand in for the folded turns with less than they hold: a failed call.
  if (text.trim() === '') throw new Error('The model returned an empty summary.');
  if (finishReason === 'length') throw new Error('The summary was cut off by its output-token limit.');
  return { summary: { text: text.trim(), coversThrough: older[count - 1]!.id }, usage: turnUsageOf(usage) };
}

function renderMessage(message: ModelMessage): string {
  if (typeof message.content === 'string') return `${message.role}: ${message.content}`;
  const parts = message.content.map((part) => {
    switch (part.type) {
      case 'text':
        return part.text;
      case 'tool-call':
        return `[called ${part.toolName} ${JSON.stringify(part.input).slice(0, 300)}]`;
      case 'tool-result':
        return `[${part.toolName} returned ${JSON.stringify(part.output).slice(0, 300)}]`;
      default:
        return `[${part.type}]`;
    }
  });
  return `${message.role}: ${parts.join(' ')}`;
}
