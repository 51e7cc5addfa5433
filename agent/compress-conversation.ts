import type { AgentDeps } from './agent-loop.ts';
import { BACKLOG_TURNS, COMPRESS_KEEPS_TURNS, planCompression, summarize } from './compaction.ts';
import { silentLogger } from './logger.ts';
import { describeModelFailure, failureLasts } from './model-failure.ts';
import type { Turn } from './ports/session-store.ts';
import { reasoningSettings } from './providers.ts';
import { turnId } from './session-keys.ts';
import { estimateTokens } from './tokens.ts';
import { budgetRefusal, figuresOf, recordUsage, spentToday } from './token-usage.ts';
import { DuplicateTurnError, ModelError } from '../tools/errors.ts';

export interface CompressRequest {
  sessionKey: string;
  /** Whose token usage the summary counts against. */
  userId: string;
  /** With `eventId`, the stored turn's id: the same command delivered again is recognized, not paid for twice. */
  receivedAt: number;
  eventId: string;
  abortSignal?: AbortSignal | undefined;
}

export type CompressResult =
  | { status: 'compressed'; folded: number; kept: number; tokensBefore: number; tokensAfter: number }
  /** Too few exchanges, or only ones still being answered, to fold. */
  | { status: 'nothing' }
  /** This command was run before (a redelivery). */
  | { status: 'repeated' }
  /** The user has spent the daily token budget (HERMES_DAILY_TOKEN_BUDGET): the summary would be one more call. */
  | { status: 'over-budget'; text: string };

/** What the conversation keeps of the command: the model then knows why the earlier part is a summary. */
export const COMPRESSED_NOTE = '(The conversation before the last exchanges is now the summary above, at the user’s request.)';

/** The turn /compress stores: no message of the user's to answer again, and its undoing brings the folded exchanges back. */
export function isCompressNote(turn: Turn): boolean {
  const [asked, answer] = turn.messages;
  return turn.summary !== undefined && asked?.role === 'user' && asked.content === '/compress' && answer?.role === 'assistant' && answer.content === COMPRESSED_NOTE;
}

/**
 * Hermes' /compress: the conversation folded into its running summary now, keeping the newest exchanges word for
 * word, rather than when the window fills. The summary travels with a turn recording the command, as every summary
 * does (session-store.ts), so /undo of it brings the folded exchanges back.
 */
export async function compressConversation(deps: AgentDeps, request: CompressRequest): Promise<CompressResult> {
  const { config } = deps;
  const log = deps.log ?? silentLogger;
  const now = (deps.now ?? (() => new Date()))();
  const id = turnId(request.receivedAt, request.eventId);
  let window = await deps.sessions.loadWindow(request.sessionKey, config.windowTurns);
  if (window.turns.some((turn) => turn.id === id)) return { status: 'repeated' };
  if (window.truncated) window = await deps.sessions.loadWindow(request.sessionKey, BACKLOG_TURNS);
  const plan = planCompression(window, { now: now.getTime(), keepTurns: COMPRESS_KEEPS_TURNS });
  if (!plan) return { status: 'nothing' };
  const budget = config.limits?.dailyTokenBudget ?? 0;
  const refusal = budgetRefusal(await spentToday(deps.usage, { userId: request.userId, budget, now }), budget);
  if (refusal) return { status: 'over-budget', text: refusal };
  let made: Awaited<ReturnType<typeof summarize>>;
  try {
    made = await summarize(deps.model, {
      previous: window.summary?.text,
      older: plan.older,
      maxChars: config.contextTokens * 2,
      leastThinking: reasoningSettings(config.provider, 'off', config.model),
      maxRetries: config.modelRetries,
      abortSignal: request.abortSignal,
    });
  } catch (error) {
    log.error('could not compress the conversation', { error, sessionKey: request.sessionKey });
    throw new ModelError(`The summary could not be made: ${describeModelFailure(error, { abortSignal: request.abortSignal, provider: config.provider })}.`, { cause: error, lasting: failureLasts(error) });
  }
  const { summary, usage } = made;
  // A backlog longer than one summary call reads is folded only as far as the call read.
  const folded = plan.older.findIndex((turn) => turn.id === summary.coversThrough) + 1;
  const kept = window.turns.slice(folded);
  const note: Turn = { id, at: request.receivedAt, messages: [{ role: 'user', content: '/compress' }, { role: 'assistant', content: COMPRESSED_NOTE }], summary };
  try {
    await deps.sessions.appendTurn(request.sessionKey, note);
  } catch (error) {
    if (error instanceof DuplicateTurnError) return { status: 'repeated' };
    throw error;
  } finally {
    await recordUsage(deps.usage, { userId: request.userId, now, figures: figuresOf(usage), log });
  }
  return {
    status: 'compressed',
    folded,
    kept: kept.length,
    tokensBefore: tokensOf(window.summary?.text, window.turns),
    tokensAfter: tokensOf(summary.text, [...kept, note]),
  };
}

function tokensOf(summary: string | undefined, turns: Turn[]): number {
  return (summary ? estimateTokens(summary) : 0) + turns.reduce((sum, turn) => sum + estimateTokens(turn.messages), 0);
}
