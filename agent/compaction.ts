import { generateText, type LanguageModel, type ModelMessage } from 'ai';
import type { SessionWindow, Summary, Turn } from './ports/session-store.ts';
import { estimateTokens } from './tokens.ts';
import { turnUsageOf, type TurnUsage } from './turn-usage.ts';
import type { ReasoningSettings } from './providers.ts';
import { sliceWhole, sliceWholeEnd } from '../tools/char-count.ts';

export interface CompactionPlan {
  /** Turns folded into the new summary, oldest first. */
  older: Turn[];
  /** Turns kept word for word. */
  tail: Turn[];
}

/**
 * A turn is folded only once it is older than one attempt that answers Telegram directly can take (Telegram waits
 * 60 s for the answer, and the function's deadline ends such an attempt soon after). A message of the same chat still being processed was then received after every folded turn, so it sorts
 * after what the summary covers and cannot end up outside both the summary and the window. Through the turn queue a
 * conversation's messages run one after another (a FIFO group holds the next while one is in flight), so no attempt
 * of the same conversation runs beside a compaction there. A longer bound would also cover redeliveries of failed
 * attempts, but would hold compaction back for longer in a quick back-and-forth.
 */
export const SETTLED_AFTER_MS = 2 * 60_000;

/**
 * While a burst of messages is still being processed its turns cannot be folded (see SETTLED_AFTER_MS), so a window
 * can overflow one read. The turn that compacts next reads this many turns, so the overflow and the summary before
 * it are found and folded instead of dropping out of the conversation. Telegram forwards at most 100 messages at
 * once; only a long run of failed summary calls can leave more unsummarized.
 */
export const BACKLOG_TURNS = 500;

/** How many of the newest turns a compaction keeps verbatim at most: half the window. */
export function maxTailTurns(windowTurns: number): number {
  return Math.max(1, Math.floor(windowTurns / 2));
}

/**
 * Decides whether the window must shrink: when it is over budget, when it holds as many turns as a read returns,
 * or when the store reported older turns that no summary covers yet. The rest is summarized, so the prompt stays
 * bounded however long the chat gets.
 */
export interface CompactionLimits {
  /** HERMES_CONTEXT_TOKENS. */
  budgetTokens: number;
  /** HERMES_WINDOW_TURNS. */
  windowTurns: number;
  /** Epoch ms, to tell settled turns from those still being processed. */
  now: number;
}

export function planCompaction(window: SessionWindow, { budgetTokens, windowTurns, now }: CompactionLimits): CompactionPlan | undefined {
  const turnTokens = window.turns.map((turn) => estimateTokens(turn.messages));
  if (!mustCompact(window, turnTokens, { budgetTokens, windowTurns })) return undefined;
  const wanted = verbatimTailStart(turnTokens, budgetTokens, maxTailTurns(windowTurns));
  const settled = lastSettledBoundary(window.turns, wanted, now);
  // Waits rather than spend a summary call on a turn or two, unless older turns already fall outside the window.
  if (settled === 0 || (settled < wanted / 2 && !window.truncated)) return undefined;
  return { older: window.turns.slice(0, settled), tail: window.turns.slice(settled) };
}

/** How many of the newest exchanges /compress keeps word for word, as Hermes' compressor keeps the last messages. */
export const COMPRESS_KEEPS_TURNS = 2;

/**
 * What /compress folds: every settled turn but the newest `keepTurns`, however small the window, so a user can shrink
 * what each message costs before the window would. Undefined when that leaves nothing to fold.
 */
export function planCompression(window: SessionWindow, { now, keepTurns = COMPRESS_KEEPS_TURNS }: { now: number; keepTurns?: number }): CompactionPlan | undefined {
  const settled = lastSettledBoundary(window.turns, Math.max(0, window.turns.length - keepTurns), now);
  if (settled === 0) return undefined;
  return { older: window.turns.slice(0, settled), tail: window.turns.slice(settled) };
}

/** A full window is compacted before the next turn would push the previous summary out of the read. */
function mustCompact(window: SessionWindow, turnTokens: number[], { budgetTokens, windowTurns }: Omit<CompactionLimits, 'now'>): boolean {
  const summaryTokens = window.summary ? estimateTokens(window.summary.text) : 0;
  const total = summaryTokens + turnTokens.reduce((sum, tokens) => sum + tokens, 0);
  return total > budgetTokens || window.truncated || window.turns.length >= windowTurns;
}

/** Where the verbatim tail starts: the newest turns that fit half the budget, at most `tailLimit`, and never all of them. */
function verbatimTailStart(turnTokens: number[], budgetTokens: number, tailLimit: number): number {
  let kept = 0;
  let start = turnTokens.length;
  while (start > 0 && turnTokens.length - start < tailLimit && kept + turnTokens[start - 1]! <= budgetTokens / 2) {
    start -= 1;
    kept += turnTokens[start]!;
  }
  return start === turnTokens.length && start > 0 ? start - 1 : start;
}

/** Moves the boundary back past every turn that has not settled, so a turn still being answered is never folded. */
function lastSettledBoundary(turns: Turn[], start: number, now: number): number {
  let boundary = start;
  while (boundary > 0 && turns[boundary - 1]!.at > now - SETTLED_AFTER_MS) boundary -= 1;
  return boundary;
}

const SUMMARY_INSTRUCTIONS =
  'You maintain the running summary of a chat between a user and their assistant. Merge the previous summary and the new ' +
  'transcript into one summary for the assistant to continue from: facts about the user, decisions, open tasks and promises, ' +
  'names, numbers and dates. Plain text, at most 250 words. Output only the summary.';

const SUMMARY_OUTPUT_TOKENS = 600;
/** What adaptive thinking at effort low may take before a short answer. */
const LEAST_THINKING_ROOM = 4_000;

export interface SummaryRequest {
  previous: string | undefined;
  older: Turn[];
  maxChars: number;
  leastThinking: ReasoningSettings;
  /** HERMES_MODEL_RETRIES, as for the turn's own calls. */
  maxRetries?: number;
  abortSignal?: AbortSignal | undefined;
}

/**
 * Folds the oldest turns of `older` into the previous summary: as many as fit `maxChars` of transcript (always at
 * least one, clipped if it alone is longer), so the call stays bounded. The summary covers exactly the turns it
 * read; a larger backlog is folded by the turns that follow, one call each.
 */
export async function summarize(
  model: LanguageModel,
  { previous, older, maxChars, leastThinking, maxRetries, abortSignal }: SummaryRequest,
): Promise<{ summary: Summary; usage: TurnUsage }> {
  const rendered = older.map((turn) => turn.messages.map(renderMessage).join('\n'));
  let count = 1;
  let chars = rendered[0]!.length;
  while (count < older.length && chars + 1 + rendered[count]!.length <= maxChars) {
    chars += 1 + rendered[count]!.length;
    count += 1;
  }
  const transcript = rendered.slice(0, count).join('\n');
  const clipped = transcript.length > maxChars ? `[…]\n${sliceWholeEnd(transcript, maxChars)}` : transcript;
  const { text, finishReason, usage } = await generateText({
    model,
    instructions: SUMMARY_INSTRUCTIONS,
    messages: [{ role: 'user', content: `Previous summary:\n${previous ?? '(none)'}\n\nNew transcript:\n${clipped}` }],
    // A summary needs no thinking; reasoning tokens would only share its small output budget. A model that thinks
    // whatever it is told (Opus 5.5, Fable) gets room for its least thinking besides.
    ...leastThinking,
    maxOutputTokens: SUMMARY_OUTPUT_TOKENS + (leastThinking.reasoning === 'none' ? 0 : LEAST_THINKING_ROOM),
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(abortSignal ? { abortSignal } : {}),
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
        return `[called ${part.toolName} ${sliceWhole(JSON.stringify(part.input), 300)}]`;
      case 'tool-result':
        return `[${part.toolName} returned ${sliceWhole(JSON.stringify(part.output), 300)}]`;
      default:
        return `[${part.type}]`;
    }
  });
  return `${message.role}: ${parts.join(' ')}`;
}
