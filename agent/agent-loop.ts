import { generateText, isStepCount, type LanguageModel, type ModelMessage, type StepResult } from 'ai';
import { planCompaction, summarize } from './compaction.ts';
import type { Config } from './config.ts';
import { DuplicateTurnError, ModelError } from '../tools/errors.ts';
import { describeModelFailure } from './model-failure.ts';
import { reasoningSettings } from './providers.ts';
import { silentLogger, type Logger } from './logger.ts';
import type { MemoryStore } from '../tools/ports/memory-store.ts';
import type { Delivery, Scheduler } from '../tools/ports/scheduler.ts';
import type { SessionStore, SessionWindow, Summary } from './ports/session-store.ts';
import { turnId } from './session-keys.ts';
import { buildSystemPrompt } from './system-prompt.ts';
import { renderTurns, stampedUserMessage } from './turn-rendering.ts';
import { addUsage, NO_USAGE, turnUsageOf, type TurnUsage } from './turn-usage.ts';
import { withCachePoints } from './cache-points.ts';
import { boundTurnMessages } from './turn-size.ts';
import { createTools, type HermesTools } from '../tools/index.ts';
import type { SkillLibrary } from '../tools/skill-library.ts';

export interface AgentDeps {
  config: Pick<Config, 'maxSteps' | 'modelRetries' | 'contextTokens' | 'windowTurns' | 'timezone' | 'persona' | 'provider' | 'model' | 'reasoning' | 'maxOutputTokens'>;
  model: LanguageModel;
  sessions: SessionStore;
  skills: SkillLibrary;
  scheduler: Scheduler;
  memory: MemoryStore;
  now?: () => Date;
  log?: Logger;
}

export interface TurnInput {
  sessionKey: string;
  userId: string;
  delivery: Delivery;
  text: string;
  receivedAt: number;
  /**
   * With `receivedAt`, makes the stored turn id stable for this event (Telegram date + update_id, cron slot),
   * so a redelivered event is recognized instead of answered twice.
   */
  eventId?: string;
  /**
   * Settles when the turn may act (its event's dedup claim); reads run meanwhile, so the claim costs no extra
   * round trip. A rejection ends the turn before anything is written or sent.
   */
  admit?: Promise<void>;
  /**
   * Sends the answer once the turn is stored. Recording the exchange for recall runs alongside, so the reply
   * never waits on the memory service; the turn ends only when both are done. Without it the caller sends
   * `text` itself, after recording.
   */
  deliver?: (text: string) => Promise<void>;
  /** Epoch ms after which no new model step starts; the turn answers with what it has. */
  softDeadline?: number;
  abortSignal?: AbortSignal;
}

export interface TurnOutput {
  text: string;
  /** Why the loop stopped early, if it did; `length` is an answer cut off by the output-token limit. */
  stopped?: 'deadline' | 'aborted' | 'step-limit' | 'length';
  toolCalls: string[];
  compacted: boolean;
  /** Tokens of the turn's model calls (the summary call included), as the provider billed them. */
  usage: TurnUsage;
}

export const STOPPED_NOTE = {
  deadline: 'I ran out of time before finishing. Here is where I got to; ask me to continue.',
  'step-limit': 'I reached my step limit before finishing. Ask me to continue.',
  length: 'My answer was cut off here by its length limit. Ask me to continue.',
} as const;

/** One user message in, one answer out: load the window, compact if needed, run the tool loop, store the turn. */
export async function runTurn(deps: AgentDeps, input: TurnInput): Promise<TurnOutput> {
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const { config } = deps;

  const [window, memoryNotes, memoryUser, skills] = await Promise.all([
    deps.sessions.loadWindow(input.sessionKey, config.windowTurns),
    deps.memory.list(input.userId, 'memory'),
    deps.memory.list(input.userId, 'user'),
    deps.skills.index(),
    input.admit,
  ]);
  const startedAt = now().getTime();
  const { id, at } = await placeTurn(deps.sessions, input, window, startedAt);
  const { history, summary, newSummary, summaryUsage } = await compactIfNeeded(deps, input.sessionKey, window, startedAt, log);
  const compacted = newSummary !== undefined;

  const system = buildSystemPrompt({
    persona: config.persona,
    timezone: config.timezone,
    memory: { memory: memoryNotes, user: memoryUser },
    skills,
    summary: summary?.text,
  });
  const userMessage: ModelMessage = { role: 'user', content: input.text };
  const request = withCachePoints(config.provider, config.model, { system, history });
  const tools = createTools(deps, { userId: input.userId, delivery: input.delivery, now, timezone: config.timezone });
  const steps: Array<StepResult<HermesTools>> = [];
  const deadlinePassed = () => input.softDeadline !== undefined && Date.now() >= input.softDeadline;

  let responseMessages: ModelMessage[];
  let text: string;
  let stopped: TurnOutput['stopped'];
  let usage = summaryUsage;
  try {
    const result = await generateText({
      model: deps.model,
      instructions: request.instructions,
      messages: [...request.history, stampedUserMessage(userMessage, at, config.timezone)],
      tools,
      ...reasoningSettings(config.provider, config.reasoning),
      maxOutputTokens: config.maxOutputTokens,
      stopWhen: [isStepCount(config.maxSteps), deadlinePassed],
      abortSignal: input.abortSignal,
      maxRetries: config.modelRetries,
      onStepEnd: (step) => {
        steps.push(step);
      },
    });
    responseMessages = result.responseMessages;
    usage = addUsage(usage, turnUsageOf(result.usage));
    // The last step may be only tool calls; then the newest text the model wrote is the answer.
    text = result.text.trim() || ([...result.steps].reverse().find((step) => step.text.trim())?.text.trim() ?? '');
    const last = result.steps.at(-1);
    if (last?.finishReason === 'tool-calls') stopped = deadlinePassed() ? 'deadline' : 'step-limit';
    if (last?.finishReason === 'length') {
      stopped = 'length';
      log.warn('the answer was cut off by the output-token limit', { sessionKey: input.sessionKey, maxOutputTokens: config.maxOutputTokens });
    }
  } catch (error) {
    if (input.abortSignal?.aborted && steps.length > 0) {
      responseMessages = steps.flatMap((step) => step.response.messages);
      usage = steps.reduce((sum, step) => addUsage(sum, turnUsageOf(step.usage)), usage);
      text = steps.at(-1)!.text.trim();
      stopped = 'aborted';
    } else {
      await deps.sessions.appendTurn(input.sessionKey, turnOf(id, at, [userMessage], newSummary));
      log.error('model call failed', { error, sessionKey: input.sessionKey });
      throw new ModelError(`The model did not answer: ${describeModelFailure(error, input.abortSignal)}.`, { cause: error });
    }
  }

  if (stopped) text = [text, STOPPED_NOTE[stopped === 'aborted' ? 'deadline' : stopped]].filter(Boolean).join('\n\n');
  if (!text) text = '(no answer)';

  const recorded = deps.memory
    .recordExchange(input.userId, { sessionKey: input.sessionKey, userText: input.text, assistantText: text, at: input.receivedAt })
    .catch((error: unknown) => log.warn('could not record the exchange for recall', { error }));
  try {
    await deps.sessions.appendTurn(input.sessionKey, turnOf(id, at, [userMessage, ...responseMessages], newSummary));
    await input.deliver?.(text);
  } finally {
    await recorded;
  }
  const toolCalls = steps.flatMap((step) => step.toolCalls.map((call) => call.toolName));
  log.info('turn done', { sessionKey: input.sessionKey, steps: steps.length, toolCalls, compacted, stopped, ...usage });
  return { text, toolCalls, compacted, usage, ...(stopped ? { stopped } : {}) };
}

function turnOf(id: string, at: number, messages: ModelMessage[], summary: Summary | undefined) {
  return { id, at, messages: boundTurnMessages(messages), ...(summary ? { summary } : {}) };
}

/**
 * The turn's id and time. A redelivered event already answered is refused. An event arriving after later turns
 * were summarized (a redelivery of a failed attempt) would sort among what the summary covers, stored but out of
 * sight; unless it was stored before, it is placed at the time it is processed instead, where the window shows it.
 */
async function placeTurn(sessions: SessionStore, input: TurnInput, window: SessionWindow, now: number): Promise<{ id: string; at: number }> {
  const id = turnId(input.receivedAt, input.eventId);
  const answered = () => new DuplicateTurnError(`Event ${input.eventId} of session ${input.sessionKey} was already answered.`);
  if (input.eventId !== undefined && window.turns.some((turn) => turn.id === id)) throw answered();
  if (!window.summary || id > window.summary.coversThrough) return { id, at: input.receivedAt };
  if (input.eventId !== undefined && (await sessions.hasTurn(input.sessionKey, id))) throw answered();
  return { id: turnId(now, input.eventId), at: now };
}

/**
 * While a burst of messages is still being processed its turns cannot be folded (see SETTLED_AFTER_MS), so a window
 * can overflow one read. The turn that compacts next reads this many turns, so the overflow and the summary before
 * it are found and folded instead of dropping out of the conversation. Telegram forwards at most 100 messages at
 * once; only a long run of failed summary calls can leave more unsummarized.
 */
const BACKLOG_TURNS = 500;

/**
 * Summarizes the older part of an oversized window. The new summary is stored with this turn, so it costs no
 * write of its own. A failed summary call keeps the turn going on the recent tail alone; the next turn tries again.
 */
async function compactIfNeeded(
  deps: AgentDeps,
  sessionKey: string,
  loaded: SessionWindow,
  now: number,
  log: Logger,
): Promise<{ history: ModelMessage[]; summary?: Summary; newSummary?: Summary; summaryUsage: TurnUsage }> {
  const { contextTokens, windowTurns, timezone } = deps.config;
  const flatten = (turns: SessionWindow['turns']) => renderTurns(turns, timezone);
  let window = loaded;
  let plan = planCompaction(window, contextTokens, windowTurns, now);
  if (plan && window.truncated) {
    window = await deps.sessions.loadWindow(sessionKey, BACKLOG_TURNS);
    if (window.truncated) log.warn('more unsummarized turns than a backlog read holds; the oldest stay out of the summary', { sessionKey, read: BACKLOG_TURNS });
    plan = planCompaction(window, contextTokens, windowTurns, now);
  }
  if (!plan) return { history: flatten(loaded.turns), summaryUsage: NO_USAGE, ...(loaded.summary ? { summary: loaded.summary } : {}) };
  const history = flatten(plan.tail);
  try {
    const { summary: newSummary, usage } = await summarize(deps.model, window.summary?.text, plan.older, contextTokens * 2);
    return { history, summary: newSummary, newSummary, summaryUsage: usage };
  } catch (error) {
    log.warn('compaction failed; continuing with the recent turns only', { error, sessionKey });
    return { history, summaryUsage: NO_USAGE, ...(window.summary ? { summary: window.summary } : {}) };
  }
}
