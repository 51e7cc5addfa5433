import { generateText, isStepCount, type FilePart, type LanguageModel, type ModelMessage, type StepResult, type TextPart } from 'ai';
import { BACKLOG_TURNS, planCompaction, summarize } from './compaction.ts';
import type { Config } from './config.ts';
import { DuplicateTurnError, ModelError } from '../tools/errors.ts';
import { describeModelFailure, failureLasts, MODEL_FAILURE_LOG_MESSAGE } from './model-failure.ts';
import { MEDIA_BYTES_PER_REQUEST, reasoningSettings } from './providers.ts';
import { silentLogger, type Logger } from './logger.ts';
import type { Locks } from '../tools/ports/locks.ts';
import type { MediaLibrary } from '../tools/ports/media-library.ts';
import type { MemoryStore } from '../tools/ports/memory-store.ts';
import type { Delivery, Scheduler } from '../tools/ports/scheduler.ts';
import type { SessionStore, SessionWindow, Summary, Turn } from './ports/session-store.ts';
import { turnId } from './session-keys.ts';
import { buildSystemPrompt, type UnreadablePart } from './system-prompt.ts';
import { renderTurns, stampedUserMessage } from './turn-rendering.ts';
import { closedTurn } from './closed-turn.ts';
import { abortSummaryBefore } from './deadlines.ts';
import { addUsage, NO_USAGE, turnUsageOf, type TurnUsage } from './turn-usage.ts';
import { withCachePoints } from './cache-points.ts';
import { boundTurnMessages, lastResortTurn } from './turn-size.ts';
import type { UsageStore } from './ports/usage-store.ts';
import { budgetRefusal, figuresOf, recordUsage, spentToday } from './token-usage.ts';
import { createTools, type HermesTools } from '../tools/index.ts';
import type { SkillLibrary } from '../tools/skill-library.ts';
import { watchForStop } from './stop-watch.ts';
import { filePartBytes } from './file-part-bytes.ts';
import { textsAnsweredWithNext } from './deferred-text.ts';
import { hasPreservedThinking } from './claude-thinking.ts';
import { withoutEarlierThinking } from './earlier-thinking.ts';

export interface AgentDeps {
  config: Pick<Config, 'maxSteps' | 'modelRetries' | 'contextTokens' | 'windowTurns' | 'timezone' | 'persona' | 'provider' | 'model' | 'reasoning' | 'maxOutputTokens'> &
    Partial<Pick<Config, 'limits' | 'skillAdmins' | 'promptCacheTtl' | 'memoryLimits'>>;
  model: LanguageModel;
  sessions: SessionStore;
  skills: SkillLibrary;
  scheduler: Scheduler;
  memory: MemoryStore;
  /** The chat's received files, for media_view. */
  media?: MediaLibrary;
  /** One change at a time per user's memory, skill, or chat's jobs, across instances (tools/ports/locks.ts). */
  locks?: Locks;
  /** Per-user token accounting; with `config.limits.dailyTokenBudget` it stops a user past the budget. */
  usage?: UsageStore;
  now?: () => Date;
  log?: Logger;
}

export interface TurnInput {
  sessionKey: string;
  userId: string;
  delivery: Delivery;
  text: string;
  /**
   * Media for this model call only (images, documents), after `text`. The stored turn keeps `text` alone, which names
   * the stored files, so no file bytes reach the session store and later turns still know what was sent.
   */
  parts?: Array<TextPart | FilePart>;
  /** The pages of the PDFs among `parts`, where the model reads only so many in one request. */
  pdfPages?: number;
  receivedAt: number;
  /**
   * When the model is told the message was sent, where that is not `receivedAt`: a fire is dated when it runs, not at
   * the slot its id keeps, so a run late after a laptop slept over the weekend reads "today" as today.
   */
  datedAt?: number;
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
  /** A turn started by a cron fire may only list jobs (Hermes leaves the tool out), so a job cannot multiply or re-run itself. */
  origin?: 'chat' | 'cron';
  /**
   * Asked after every step, and every STOP_POLL_MS while a step runs: true ends the turn with what it has (the user
   * pressed stop), cutting off the model call in flight.
   */
  shouldStop?: () => PromiseLike<boolean> | boolean;
  /**
   * Several people share this conversation (a forum topic): its history keeps what was said in the chat, the message
   * and the answer, not what the tools returned, which may be this member's own (recalled memory, a file's text).
   */
  shared?: boolean;
  /** Told after every step which tools it ran, for progress shown while the turn goes on. */
  onStep?: (toolNames: string[]) => void;
}

export interface TurnOutput {
  text: string;
  /** Why the loop stopped early, if it did: `length` is an answer cut off by the output-token limit, `stopped` the user's stop. */
  stopped?: 'deadline' | 'aborted' | 'step-limit' | 'length' | 'context-full' | 'stopped' | 'filtered' | 'unfinished';
  toolCalls: string[];
  compacted: boolean;
  /** Tokens of the turn's model calls (the summary call included), as the provider billed them. */
  usage: TurnUsage;
}

export const STOPPED_NOTE = {
  deadline: 'I ran out of time before finishing. Here is where I got to; ask me to continue.',
  'step-limit': 'I reached my step limit before finishing. Ask me to continue.',
  length: 'My answer was cut off here by its length limit. Ask me to continue.',
  stopped: 'Stopped, as you asked. Here is where I got to.',
  filtered: "The model provider's content filter stopped this answer here.",
  unfinished: 'The model provider ended this answer without saying why, so it may be incomplete. Ask me to continue.',
  'context-full': 'This answer was cut off: our conversation filled what the model can read at once. Send /compress to fold it into a summary, or /new to start afresh; my memory of you stays.',
} as const;

/** Trying again fills the window again: only a shorter conversation helps. */
const CONTEXT_FULL_REASON = 'our conversation filled what it can read at once; /compress folds it into a summary, and /new starts afresh (my memory of you stays)';

/** Stored after the steps a failed model call left: the next turn sees what their tools did, and that it went no further. */
export const UNFINISHED_AFTER_TOOLS = '(The model stopped answering here, after the tool calls above; they are done.)';

/** Tools ran, and the model ended without a word about them. */
export const NO_TEXT_ANSWER = '(The model ended without writing an answer.)';

/** A stop that came before the model wrote anything has nothing to show. */
export const STOPPED_BEFORE_ANY_TEXT = 'Stopped, as you asked.';

/** One user message in, one answer out: load the window, compact if needed, run the tool loop, store the turn. */
export async function runTurn(deps: AgentDeps, input: TurnInput): Promise<TurnOutput> {
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const { config } = deps;

  const budget = config.limits?.dailyTokenBudget ?? 0;
  // Memory and the skills index inform the answer but are not needed for one: while their store fails (AgentCore or
  // S3 throttled, down), turns are answered without them, and the model is told, instead of every message failing.
  const unreadable = new Set<UnreadablePart>();
  const orNothing = <T>(part: UnreadablePart, read: Promise<T[]>): Promise<T[]> =>
    read.catch((error: unknown) => {
      log.warn(`could not read ${part}; answering without it`, { error, sessionKey: input.sessionKey });
      unreadable.add(part);
      return [];
    });
  const [window, spent, memoryNotes, memoryUser, skills] = await Promise.all([
    deps.sessions.loadWindow(input.sessionKey, config.windowTurns),
    spentToday(deps.usage, { userId: input.userId, budget, now: now() }),
    orNothing('memory', deps.memory.list(input.userId, 'memory')),
    orNothing('memory', deps.memory.list(input.userId, 'user')),
    orNothing('skills', deps.skills.offered()),
    input.admit,
  ]);
  const startedAt = now().getTime();
  const { id, at } = await placeTurn(deps.sessions, { input, window, now: startedAt });
  const refusal = budgetRefusal(spent, budget);
  if (refusal) return refuseOverBudget(deps, { input, turn: { id, at, text: refusal }, log });
  const summaryAbort = [input.abortSignal, input.softDeadline === undefined ? undefined : abortSummaryBefore(input.softDeadline)].filter((signal) => signal !== undefined);
  const { history, summary, newSummary, summaryUsage } = await compactIfNeeded(deps, {
    sessionKey: input.sessionKey,
    loaded: window,
    now: startedAt,
    log,
    abortSignal: summaryAbort.length > 1 ? AbortSignal.any(summaryAbort) : summaryAbort[0],
  });
  const compacted = newSummary !== undefined;
  const storedSummary = newSummary ?? summaryToCarry(window, at);

  const system = buildSystemPrompt({
    persona: config.persona,
    timezone: config.timezone,
    memory: { memory: memoryNotes, user: memoryUser },
    ...(config.memoryLimits ? { memoryLimits: config.memoryLimits } : {}),
    skills,
    ...(config.limits ? { skillsIndexChars: config.limits.skillsIndexChars } : {}),
    summary: summary?.text,
    unreadable: [...unreadable],
  });
  const userMessage: ModelMessage = { role: 'user', content: input.text };
  const request = withCachePoints({ provider: config.provider, model: config.model, ttl: config.promptCacheTtl ?? '1h' }, { system, history: hasPreservedThinking(config.model) ? withoutEarlierThinking(history) : history });
  const tools = createTools(deps, {
    userId: input.userId,
    delivery: input.delivery,
    now,
    timezone: config.timezone,
    turnId: `${input.sessionKey}:${id}`,
    origin: input.origin ?? 'chat',
    attached: { ...attachedFiles(input.parts), bytesLimit: MEDIA_BYTES_PER_REQUEST[config.provider], ...(input.pdfPages ? { pdfPages: input.pdfPages } : {}) },
  });
  const steps: Array<StepResult<HermesTools>> = [];
  const deadlinePassed = () => input.softDeadline !== undefined && Date.now() >= input.softDeadline;
  let userStopped = false;
  const stopRequested = async () => (userStopped ||= Boolean(await input.shouldStop?.()));
  const stopWatch = input.shouldStop ? watchForStop(input.shouldStop, { log }) : undefined;
  const abortSignals = [input.abortSignal, stopWatch?.signal].filter((signal) => signal !== undefined);
  const abortSignal = abortSignals.length > 1 ? AbortSignal.any(abortSignals) : abortSignals[0];

  /**
   * The model gave no answer: the request is stored without one (so "try again" has it, and a redelivery is not
   * answered twice), with what the tools of finished steps did, so trying again does not do it twice; the error says
   * why in words the chat may see.
   */
  const unanswered = async (reason: string, cause?: unknown, lasting = failureLasts(cause)): Promise<ModelError> => {
    const done: ModelMessage[] = steps.some((step) => step.toolCalls.length > 0) ? [...steps.flatMap((step) => step.response.messages), { role: 'assistant', content: UNFINISHED_AFTER_TOOLS }] : [];
    await deps.sessions.appendTurn(input.sessionKey, turnOf({ id, at, messages: [userMessage, ...done], summary: storedSummary }));
    return new ModelError(`The model did not answer: ${reason}.`, { cause, lasting });
  };
  let responseMessages: ModelMessage[];
  let text: string;
  let stopped: TurnOutput['stopped'];
  let usage = summaryUsage;
  try {
    const result = await generateText({
      model: deps.model,
      instructions: request.instructions,
      messages: [...request.history, stampedUserMessage(input.parts?.length ? { role: 'user', content: [{ type: 'text', text: input.text }, ...input.parts] } : userMessage, at, config.timezone)],
      tools,
      // One tool call at a time: the limits the tools check (jobs per chat, memory budgets) read what the store holds,
      // and calls of one step running side by side would all pass the check before any of them wrote.
      toolCallConcurrency: 1,
      ...reasoningSettings(config.provider, config.reasoning, config.model),
      maxOutputTokens: config.maxOutputTokens,
      stopWhen: [isStepCount(config.maxSteps), deadlinePassed, stopRequested],
      abortSignal,
      maxRetries: config.modelRetries,
      onLanguageModelCallStart: () => stopWatch?.modelCallStarted(),
      onLanguageModelCallEnd: () => stopWatch?.modelCallEnded(),
      onStepEnd: (step) => {
        steps.push(step);
        input.onStep?.(step.toolCalls.map((call) => call.toolName));
      },
    });
    responseMessages = result.responseMessages;
    usage = addUsage(usage, turnUsageOf(result.usage));
    // The last step may be only tool calls; then the newest text the model wrote is the answer.
    text = result.text.trim() || ([...result.steps].reverse().find((step) => step.text.trim())?.text.trim() ?? '');
    const last = result.steps.at(-1);
    if (last?.finishReason === 'tool-calls') stopped = userStopped ? 'stopped' : deadlinePassed() ? 'deadline' : 'step-limit';
    if (last?.finishReason === 'length') {
      stopped = 'length';
      log.warn('the answer was cut off by the output-token limit', { sessionKey: input.sessionKey, maxOutputTokens: config.maxOutputTokens });
    }
    // DeepSeek's `content_filter` and `insufficient_system_resource` (the SDK's `other`): the answer ends early.
    if (last?.finishReason === 'content-filter') stopped = 'filtered';
    if (last?.finishReason === 'other' || last?.finishReason === 'error') stopped = 'unfinished';
    // Bedrock's stop reason when the model's context window filled as it wrote (Converse API reference, StopReason,
    // checked 2026-12-03); the SDK reports it as "other", which would blame the provider for ending without a reason.
    if (last?.rawFinishReason === 'model_context_window_exceeded') {
      stopped = 'context-full';
      log.warn('the answer filled the model context window', { sessionKey: input.sessionKey });
    }
  } catch (error) {
    userStopped ||= stopWatch?.stopped ?? false;
    if (abortSignal?.aborted && (steps.length > 0 || userStopped)) {
      // Stopped before the model wrote anything: the history says so, or the next turn would read the request as
      // one still to be done.
      responseMessages = steps.length > 0 ? steps.flatMap((step) => step.response.messages) : [{ role: 'assistant', content: STOPPED_BEFORE_ANY_TEXT }];
      usage = steps.reduce((sum, step) => addUsage(sum, turnUsageOf(step.usage)), usage);
      text = steps.at(-1)?.text.trim() ?? '';
      // The call in flight was cut off: by the user (the terminal's Ctrl-C asks shouldStop too) or by the deadline.
      stopped = userStopped || (await stopRequested().catch(() => false)) ? 'stopped' : 'aborted';
    } else {
      log.error(MODEL_FAILURE_LOG_MESSAGE, { error, sessionKey: input.sessionKey, provider: config.provider, model: config.model });
      throw await unanswered(describeModelFailure(error, { abortSignal: input.abortSignal, provider: config.provider }), error);
    }
  } finally {
    stopWatch?.dispose();
  }

  const toolRan = steps.some((step) => step.toolCalls.length > 0);
  if (!text && !toolRan && (stopped === undefined || stopped === 'filtered' || stopped === 'unfinished' || stopped === 'context-full')) {
    // Nothing written and nothing done is no answer: stored as "(no answer)" it would end the request for good.
    log.warn('the model returned no answer', { sessionKey: input.sessionKey, finishReason: steps.at(-1)?.finishReason });
    if (stopped === 'context-full') throw await unanswered(CONTEXT_FULL_REASON, undefined, true);
    throw await unanswered(stopped === 'filtered' ? "its provider's content filter withheld the answer" : 'it returned an empty answer');
  }
  if (stopped === 'stopped' && !text) text = STOPPED_BEFORE_ANY_TEXT;
  else if (stopped) text = [text, STOPPED_NOTE[stopped === 'aborted' ? 'deadline' : stopped]].filter(Boolean).join('\n\n');
  if (!text) text = NO_TEXT_ANSWER;

  const recorded = deps.memory
    // Texts answered with this one are part of what the user said: long-term memory and recall see them too.
    // Dated as the model saw the message: a late fire when it ran.
    .recordExchange(input.userId, { sessionKey: input.sessionKey, userText: [...textsAnsweredWithNext(window.turns), input.text].join('\n'), assistantText: text, at })
    .catch((error: unknown) => log.warn('could not record the exchange for recall', { error }));
  const counted = recordUsage(deps.usage, { userId: input.userId, now: now(), figures: figuresOf(usage), log });
  try {
    // Closed with the words the chat is sent where the turn ended on tool results, so a retry resends just those.
    const exchange: ModelMessage[] = input.shared ? [userMessage, { role: 'assistant', content: text }] : closedTurn([userMessage, ...responseMessages], text);
    const stored = await storeTurn(deps.sessions, { sessionKey: input.sessionKey, turn: turnOf({ id, at, messages: exchange, summary: storedSummary }), toolRan, log });
    if (!stored) text = `${text}\n\n${UNSAVED_NOTE}`;
    await input.deliver?.(text);
  } finally {
    await Promise.all([recorded, counted]);
  }
  const toolCalls = steps.flatMap((step) => step.toolCalls.map((call) => call.toolName));
  log.info('turn done', { sessionKey: input.sessionKey, steps: steps.length, toolCalls, compacted, stopped, ...usage });
  return { text, toolCalls, compacted, usage, ...(stopped ? { stopped } : {}) };
}

function attachedFiles(parts: TurnInput['parts']): { documents: number; images: number; bytes: number } {
  const files = (parts ?? []).filter((part): part is FilePart => part.type === 'file');
  const images = files.filter((part) => part.mediaType.startsWith('image/')).length;
  return { documents: files.length - images, images, bytes: filePartBytes(files) };
}

/**
 * Rows expire by TTL counted from when they were written, so the row carrying the summary would expire before the
 * turns after it and take everything older out of the conversation. A turn received long after that row carries
 * the same summary again: the newest summary row is then never much older than the turns after it. At most one
 * turn in this interval pays for it (a summary is at most 250 words).
 */
const SUMMARY_REFRESH_MS = 6 * 3_600_000;

function summaryToCarry(window: SessionWindow, at: number): Summary | undefined {
  if (!window.summary || window.summaryAt === undefined || at - window.summaryAt < SUMMARY_REFRESH_MS) return undefined;
  return window.summary;
}

/** The budget note is the answer: stored as the turn's reply, so the conversation shows why nothing else came. */
async function refuseOverBudget(
  deps: AgentDeps,
  { input, turn, log }: { input: TurnInput; turn: { id: string; at: number; text: string }; log: Logger },
): Promise<TurnOutput> {
  const userMessage: ModelMessage = { role: 'user', content: input.text };
  await deps.sessions.appendTurn(input.sessionKey, turnOf({ id: turn.id, at: turn.at, messages: [userMessage, { role: 'assistant', content: turn.text }] }));
  await input.deliver?.(turn.text);
  log.warn('daily token budget reached', { userId: input.userId, sessionKey: input.sessionKey });
  return { text: turn.text, toolCalls: [], compacted: false, usage: NO_USAGE };
}

/**
 * Once tools ran, their side effects happened: failing the turn would make the event's redelivery run the model and
 * the tools again. So a turn that cannot be stored is tried once more in its last-resort form, and if that fails too
 * the answer is still delivered, with a note, and the failure logged. A turn without tool calls fails as before,
 * and its redelivery is answered afresh with nothing repeated.
 */
async function storeTurn(
  sessions: SessionStore,
  { sessionKey, turn, toolRan, log }: { sessionKey: string; turn: Turn; toolRan: boolean; log: Logger },
): Promise<boolean> {
  try {
    await sessions.appendTurn(sessionKey, turn);
    return true;
  } catch (error) {
    if (!toolRan || error instanceof DuplicateTurnError) throw error;
    log.error('could not store a turn whose tools ran; trying its last-resort form', { error, sessionKey });
  }
  try {
    await sessions.appendTurn(sessionKey, { ...turn, messages: lastResortTurn(turn.messages) });
    return true;
  } catch (error) {
    if (error instanceof DuplicateTurnError) throw error;
    log.error('could not store the turn; delivering the answer anyway so its tools do not run again', { error, sessionKey });
    return false;
  }
}

export const UNSAVED_NOTE = '(I could not save this exchange to our conversation history, so I may not remember it.)';

function turnOf({ id, at, messages, summary }: { id: string; at: number; messages: ModelMessage[]; summary?: Summary | undefined }): Turn {
  return { id, at, messages: boundTurnMessages(closedTurn(messages)), ...(summary ? { summary } : {}) };
}

/**
 * The turn's id and time. A redelivered event already answered is refused. An event arriving after later turns
 * were summarized (a redelivery of a failed attempt) would sort among what the summary covers, stored but out of
 * sight; unless it was stored before, it is placed at the time it is processed instead, where the window shows it.
 */
async function placeTurn(
  sessions: SessionStore,
  { input, window, now }: { input: TurnInput; window: SessionWindow; now: number },
): Promise<{ id: string; at: number }> {
  const id = turnId(input.receivedAt, input.eventId);
  const answered = (found: { storedAnswer: string | undefined } | 'beyond the window') =>
    new DuplicateTurnError(`Event ${input.eventId} of session ${input.sessionKey} was already answered.`, found === 'beyond the window' ? undefined : found.storedAnswer, found !== 'beyond the window');
  const stored = input.eventId === undefined ? undefined : window.turns.find((turn) => turn.id === id);
  if (stored) throw answered({ storedAnswer: answerOf(stored) });
  if (!window.summary || id > window.summary.coversThrough) return { id, at: input.datedAt ?? input.receivedAt };
  // Found only by its id, folded into the summary: what it answered is not known here.
  if (input.eventId !== undefined && (await sessions.hasTurn(input.sessionKey, id))) throw answered('beyond the window');
  return { id: turnId(now, input.eventId), at: now };
}

/** The newest assistant text of a stored turn: the answer that was (or should have been) sent. */
function answerOf(turn: Turn): string | undefined {
  for (const message of [...turn.messages].reverse()) {
    if (message.role !== 'assistant') continue;
    const text = typeof message.content === 'string' ? message.content : message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    if (text.trim()) return text.trim();
  }
  return undefined;
}

/**
 * Summarizes the older part of an oversized window. The new summary is stored with this turn, so it costs no
 * write of its own. A failed summary call keeps the turn going on the recent tail alone; the next turn tries again.
 */
async function compactIfNeeded(
  deps: AgentDeps,
  { sessionKey, loaded, now, log, abortSignal }: { sessionKey: string; loaded: SessionWindow; now: number; log: Logger; abortSignal: AbortSignal | undefined },
): Promise<{ history: ModelMessage[]; summary?: Summary; newSummary?: Summary; summaryUsage: TurnUsage }> {
  const { contextTokens, windowTurns, timezone } = deps.config;
  const flatten = (turns: SessionWindow['turns']) => renderTurns(turns, timezone);
  let window = loaded;
  let plan = planCompaction(window, { budgetTokens: contextTokens, windowTurns, now });
  if (plan && window.truncated) {
    window = await deps.sessions.loadWindow(sessionKey, BACKLOG_TURNS);
    if (window.truncated) log.warn('more unsummarized turns than a backlog read holds; the oldest stay out of the summary', { sessionKey, read: BACKLOG_TURNS });
    plan = planCompaction(window, { budgetTokens: contextTokens, windowTurns, now });
  }
  if (!plan) return { history: flatten(loaded.turns), summaryUsage: NO_USAGE, ...(loaded.summary ? { summary: loaded.summary } : {}) };
  const history = flatten(plan.tail);
  try {
    const { summary: newSummary, usage } = await summarize(deps.model, {
      previous: window.summary?.text,
      older: plan.older,
      maxChars: contextTokens * 2,
      leastThinking: reasoningSettings(deps.config.provider, 'off', deps.config.model),
      maxRetries: deps.config.modelRetries,
      abortSignal,
    });
    return { history, summary: newSummary, newSummary, summaryUsage: usage };
  } catch (error) {
    log.warn('compaction failed; continuing with the recent turns only', { error, sessionKey });
    return { history, summaryUsage: NO_USAGE, ...(window.summary ? { summary: window.summary } : {}) };
  }
}
