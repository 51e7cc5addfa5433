import type { Checkpoint, SessionWindow, Turn } from './ports/session-store.ts';

export type SessionRow = ({ kind: 'turn' } & Turn) | Checkpoint;

/**
 * Shared by every SessionStore adapter. Adapters read at most `maxTurns + 1` rows newest first (one reverse
 * range read) and this builds the window back to the latest checkpoint. The extra row tells a checkpoint
 * just past the limit apart from older turns that were never summarized.
 */
export function windowFromNewestRows(rowsNewestFirst: SessionRow[], maxTurns: number): SessionWindow {
  const turns: Turn[] = [];
  let summary: SessionWindow['summary'];
  let truncated = false;
  for (const row of rowsNewestFirst) {
    if (row.kind === 'reset') break;
    if (row.kind === 'summary') {
      summary = { text: row.text, coversThrough: row.coversThrough };
      break;
    }
    if (turns.length === maxTurns) {
      truncated = true;
      break;
    }
    turns.push({ id: row.id, at: row.at, messages: row.messages });
  }
  const visible = summary ? turns.filter((turn) => turn.id > summary.coversThrough) : turns;
  return { ...(summary ? { summary } : {}), turns: visible.reverse(), truncated };
}
