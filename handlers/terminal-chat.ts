import { randomUUID } from 'node:crypto';
import { clearLine, cursorTo } from 'node:readline';
import { createInterface } from 'node:readline/promises';
import { compressConversation } from '../agent/compress-conversation.ts';
import { compressReply } from './commands/compress-reply.ts';
import { runTurn } from '../agent/agent-loop.ts';
import { errorMessage, HermesError } from '../tools/errors.ts';
import type { Delivery } from '../tools/ports/scheduler.ts';
import type { Runtime } from '../agent/runtime.ts';
import { TERMINAL_USER_ID } from '../agent/terminal-user.ts';
import { COMMANDS } from './commands/command-list.ts';
import { leadingSlash, unknownCommandText } from './commands/slash-command.ts';
import { skillCommandText } from '../agent/skill-invocation.ts';
import { HELP_TEXT } from './telegram-bot.ts';
import { MAX_INPUT_CHARS, tooLongText } from './text-batch.ts';

export const TERMINAL_DELIVERY: Delivery = { chatId: 0, userId: TERMINAL_USER_ID };

/** A job made in the terminal: no Telegram chat has id 0. */
export function isTerminalDelivery(delivery: Delivery): boolean {
  return delivery.chatId === TERMINAL_DELIVERY.chatId;
}
const SESSION_KEY = 'terminal:local';

/** Commands the terminal answers itself; the rest of the bot's commands need a Telegram chat. */
const TERMINAL_COMMANDS = new Set(['new', 'reset', 'compress', 'help', 'commands', 'exit', 'quit']);
const TELEGRAM_ONLY = new Set(COMMANDS.flatMap(({ command, aliases }) => [command, ...(aliases ?? [])]).filter((name) => !TERMINAL_COMMANDS.has(name)));

/**
 * A chat in the terminal for trying the agent without Telegram; the same loop, stores and tools. Ctrl-C stops the
 * answer in progress (keeping what it has), or quits at the prompt. A turn that fails is reported and the chat goes on.
 */
export async function runTerminalChat(
  runtime: Runtime,
  input = process.stdin,
  output = process.stdout,
  { whenOpen }: { whenOpen?: (show: (text: string) => void) => void } = {},
): Promise<void> {
  const rl = createInterface({ input, output, terminal: input.isTTY === true });
  // No prompt of its own: redrawing one (below) shows just what the user has typed so far.
  rl.setPrompt('');
  /**
   * Writes an answer, or a job's output arriving while the user types, on lines of its own, then redraws the line
   * being typed below it: readline still holds those keys, and a line the screen no longer shows would be sent
   * joined to whatever is typed next.
   */
  const show = (text: string) => {
    if (rl.terminal) {
      clearLine(output, 0);
      cursorTo(output, 0);
    }
    output.write(`\n${text}\n\n`);
    if (rl.terminal && rl.line) rl.prompt(true);
  };
  whenOpen?.(show);
  let running: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (!running) return rl.close();
    running.abort();
    output.write('\nStopping…\n');
  });
  output.write(`Hermes (local, ${runtime.config.provider}:${runtime.config.model}). Type /help for commands, /exit to quit.\n`);
  for await (const message of typedMessages(rl, { pasteWindowMs: input.isTTY === true ? PASTE_WINDOW_MS : 0 })) {
    const text = message.trim();
    if (text === '') continue;
    // As in Telegram, a command may be followed by words, which these ignore; names are lowercase there too.
    const own = /^\/([a-z_]+)(?:\s|$)/.exec(text)?.[1];
    if (own === 'exit' || own === 'quit') break;
    if (own === 'help' || own === 'commands') {
      output.write(`${HELP_TEXT}\n\nHere in the terminal: /new (or /reset), /compress, /help, and /exit to quit; the other commands work in Telegram.\n`);
      continue;
    }
    if (own === 'new' || own === 'reset') {
      await runtime.sessions.reset(SESSION_KEY, Date.now());
      output.write('Started a fresh conversation.\n');
      continue;
    }
    if (own === 'compress') {
      output.write(`${await terminalCompress(runtime)}\n`);
      continue;
    }
    const command = /^\/([a-z_]+)\b/i.exec(text)?.[1]?.toLowerCase();
    if (command && TELEGRAM_ONLY.has(command)) {
      output.write(`/${command} works in Telegram. Here in the terminal: /new, /compress, /help and /exit.\n`);
      continue;
    }
    // A paste this long would be billed whole, or refused by the provider; in Telegram it is refused the same way.
    if (text.length > MAX_INPUT_CHARS) {
      output.write(`${tooLongText(text.length)}\n`);
      continue;
    }
    // One of Hermes' skill commands (`/weekly-report draft it`), or a command the terminal does not have.
    const slash = leadingSlash(text);
    let invoked: string | undefined;
    try {
      invoked = slash && (await skillCommandText(runtime.skills, slash));
    } catch (error) {
      runtime.log.error('could not read the skills', { error });
      output.write('⚠️ Could not read the skills; the details are in logs/hermes.log under HERMES_HOME.\n');
      continue;
    }
    if (slash && invoked === undefined) {
      output.write(`${unknownCommandText(slash.name)}\n`);
      continue;
    }
    const turn = new AbortController();
    running = turn;
    try {
      await runTurn(runtime, {
        sessionKey: SESSION_KEY,
        userId: TERMINAL_USER_ID,
        delivery: TERMINAL_DELIVERY,
        text: invoked ?? text,
        receivedAt: Date.now(),
        abortSignal: turn.signal,
        shouldStop: () => turn.signal.aborted,
        deliver: async (answer) => show(answer),
      });
    } catch (error) {
      if (!(error instanceof HermesError)) runtime.log.error('turn failed', { error });
      // Hermes' own errors say what to do; anything else is a raw system message, whose details the log keeps.
      const said = error instanceof HermesError ? errorMessage(error) : 'Something went wrong on this machine; the details are in logs/hermes.log under HERMES_HOME.';
      output.write(turn.signal.aborted ? 'Stopped before an answer. Your message is saved.\n' : `⚠️ ${said}\n`);
    } finally {
      running = undefined;
    }
  }
  rl.close();
}

async function terminalCompress(runtime: Runtime): Promise<string> {
  try {
    const result = await compressConversation(runtime, { sessionKey: SESSION_KEY, userId: TERMINAL_USER_ID, receivedAt: Date.now(), eventId: randomUUID() });
    return compressReply(result, { undo: false });
  } catch (error) {
    if (!(error instanceof HermesError)) runtime.log.error('could not compress the conversation', { error });
    return `⚠️ ${error instanceof HermesError ? errorMessage(error) : 'Something went wrong on this machine; the details are in logs/hermes.log under HERMES_HOME.'} The conversation is as it was.`;
  }
}

/**
 * A paste arrives as one burst of lines, faster than anyone types Enter twice; those lines are one message, as a
 * pasted list is in Telegram. Piped input (a script) stays one message per line.
 */
const PASTE_WINDOW_MS = 25;

async function* typedMessages(lines: AsyncIterable<string>, { pasteWindowMs }: { pasteWindowMs: number }): AsyncGenerator<string> {
  if (pasteWindowMs === 0) {
    yield* lines;
    return;
  }
  const ready: string[] = [];
  let burst: string[] = [];
  let flush: NodeJS.Timeout | undefined;
  let done = false;
  let wake: (() => void) | undefined;
  const endBurst = () => {
    if (burst.length) ready.push(burst.join('\n'));
    burst = [];
    wake?.();
  };
  void (async () => {
    for await (const line of lines) {
      burst.push(line);
      clearTimeout(flush);
      flush = setTimeout(endBurst, pasteWindowMs);
    }
    clearTimeout(flush);
    endBurst();
    done = true;
    wake?.();
  })();
  for (;;) {
    const next = ready.shift();
    if (next !== undefined) {
      yield next;
      continue;
    }
    if (done) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}
