import { createInterface } from 'node:readline/promises';
import { runTurn } from '../agent/agent-loop.ts';
import { ModelError } from '../tools/errors.ts';
import type { Delivery } from '../tools/ports/scheduler.ts';
import type { Runtime } from '../agent/runtime.ts';
import { HELP_TEXT } from './telegram-bot.ts';

export const TERMINAL_DELIVERY: Delivery = { chatId: 0, userId: 'local' };
const SESSION_KEY = 'terminal:local';

/** A chat in the terminal for trying the agent without Telegram; the same loop, stores and tools. */
export async function runTerminalChat(runtime: Runtime, input = process.stdin, output = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, terminal: input.isTTY === true });
  output.write(`Hermes (local, ${runtime.config.provider}:${runtime.config.model}). Type /help for commands, /exit to quit.\n`);
  for await (const line of rl) {
    const text = line.trim();
    if (text === '') continue;
    if (text === '/exit' || text === '/quit') break;
    if (text === '/help') {
      output.write(`${HELP_TEXT}\n\nHere in the terminal: /new (or /reset), /help, and /exit to quit; the other commands work in Telegram.\n`);
      continue;
    }
    if (text === '/new' || text === '/reset') {
      await runtime.sessions.reset(SESSION_KEY, Date.now());
      output.write('Started a fresh conversation.\n');
      continue;
    }
    try {
      await runTurn(runtime, {
        sessionKey: SESSION_KEY,
        userId: 'local',
        delivery: TERMINAL_DELIVERY,
        text,
        receivedAt: Date.now(),
        deliver: async (answer) => void output.write(`\n${answer}\n\n`),
      });
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      output.write(`⚠️ ${error.message}\n`);
    }
  }
  rl.close();
}
