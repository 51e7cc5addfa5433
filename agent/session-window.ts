import type { Reset, SessionWindow, Summary, Turn } from './ports/session-store.ts';

export type SessionRow = ({ kind: 'turn' } & Turn) | Reset;

/**
 * Shared by every SessionStore adapter. Adapters read at most `maxTurns + 1` rows newest first (one reverse
 * range read) and this builds the window back to the latest reset, or to the newest summary's `coversThrough`.
 * The turns between that point and the turn carrying the summary are the verbatim tail compaction kept, so the
 * read goes on past the summary's turn to them. Of several summaries, the one covering most counts. The extra row tells a window that ends exactly at the limit
 * apart from one with older turns that no summary covers.
 */
export function windowFromNewestRows(rowsNewestFirst: SessionRow[], maxTurns: number): SessionWindow {
  const turns: Turn[] = [];
  let summary: Summary | undefined;
  let summaryAt: number | undefined;
  let truncated = false;
  for (const row of rowsNewestFirst) {
    if (row.kind === 'reset') {
      // A summary seen before the reset covers only turns older than it: one compacted in a race with /new.
      summary = undefined;
      break;
    }
    if (summary && row.id <= summary.coversThrough) break;
    if (turns.length === maxTurns) {
      truncated = true;
      break;
    }
    turns.push({ id: row.id, at: row.at, messages: row.messages });
    // The summary covering most: every summary merges the one before it, and a turn handled beside a compaction (or
    // /compress) may carry the older one, refreshed, on a row that sorts after the newer (agent-loop's summaryToCarry).
    if (row.summary && (!summary || row.summary.coversThrough > summary.coversThrough)) {
      summary = row.summary;
      summaryAt = row.at;
    }
  }
  return { ...(summary ? { summary, summaryAt: summaryAt! } : {}), turns: turns.reverse(), truncated };
}
