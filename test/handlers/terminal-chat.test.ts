import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../handlers/terminal-chat.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { turnId } from '../../agent/session-keys.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel, textResult } from '../stand-ins/mock-model.ts';

/** A terminal: what is typed goes in as keystrokes (Ctrl-C included), and everything written is kept. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return {
    input,
    output,
    /** Keys as a person types them: each line on its own, slower than a paste. */
    type: async (text: string) => {
      input.write(text);
      await new Promise((resolve) => setTimeout(resolve, 60));
    },
    written: () => written,
  };
}

describe('the terminal chat of npm start', () => {
  let runtime: Runtime;
  let home: string;
  let cleanup: () => Promise<void>;
  afterEach(() => cleanup?.());

  async function setup(doGenerate: (options: LanguageModelV4CallOptions) => ReturnType<ReturnType<typeof echoModel>['doGenerate']>) {
    const model = echoModel();
    model.doGenerate = doGenerate;
    ({ runtime, home, cleanup } = await makeLocalRuntime({ model }));
    return model;
  }

  it('answers a bot command that needs Telegram itself, without a model call', async () => {
    let calls = 0;
    await setup(async () => {
      calls += 1;
      return textResult('should not run');
    });
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type('/status\r');
    await term.type('/exit\r');
    await chat;
    expect(term.written()).toContain('/status works in Telegram.');
    expect(calls).toBe(0);
  });

  it("shows a job's output above the line being typed and redraws it, so what is sent is what the screen shows", async () => {
    const seen: string[] = [];
    await setup(async (options) => {
      seen.push(JSON.stringify(options.prompt));
      return textResult('ok');
    });
    const term = terminal();
    let show: ((text: string) => void) | undefined;
    const chat = runTerminalChat(runtime, term.input as never, term.output as never, { whenOpen: (shown) => (show = shown) });
    await term.type('abc');
    show!('⏰ Time to stretch');
    const afterNotice = term.written().slice(term.written().lastIndexOf('⏰ Time to stretch'));
    expect(afterNotice).toMatch(/^⏰ Time to stretch\n\n(?:\x1b\[[0-9;]*[A-Za-z])*abc/);
    await term.type('def\r');
    await term.type('/exit\r');
    await chat;
    expect(seen.at(-1)).toContain('abcdef');
  });

  it('takes a command followed by words, as Telegram does', async () => {
    await setup(async () => textResult('should not run'));
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type('/new please\r');
    await term.type('/exit now\r');
    await chat;
    expect(term.written()).toContain('Started a fresh conversation.');
    expect(term.written()).not.toContain("I don't know the command");
  });

  it('compresses the conversation on /compress, as in Telegram', async () => {
    await setup(async (options) => textResult(JSON.stringify(options.prompt).includes('running summary') ? 'The user likes tea.' : 'ok'));
    const hourAgo = Date.now() - 3_600_000;
    for (let index = 0; index < 4; index += 1) {
      await runtime.sessions.appendTurn('terminal:local', { id: turnId(hourAgo + index, `t${index}`), at: hourAgo + index, messages: [{ role: 'user', content: `fact ${index}` }, { role: 'assistant', content: 'ok' }] });
    }
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type('/compress\r');
    await term.type('/exit\r');
    await chat;
    expect(term.written()).toMatch(/Compressed 2 earlier exchanges into a summary; the last 2 stay word for word\.\nThe conversation each message sends went from about [\d,]+ to [\d,]+ tokens\.\n/);
    expect((await runtime.sessions.loadWindow('terminal:local', 20)).summary?.text).toBe('The user likes tea.');
  });

  it('asks to shorten a paste longer than Telegram would take, without a model call, and goes on chatting', async () => {
    const asked: string[] = [];
    await setup(async (options) => {
      asked.push(JSON.stringify(options.prompt));
      return textResult('Short one read.');
    });
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type(`${'x'.repeat(16_001)}\r`);
    await term.type('short one\r');
    await term.type('/exit\r');
    await chat;
    expect(term.written()).toContain('That message is 16001 characters; I can read up to 16000. Please shorten it or split it up.');
    expect(term.written()).toContain('Short one read.');
    expect(asked).toHaveLength(1);
    expect(asked[0]).not.toContain('xxxxxxxx');
  });

  it("runs a Hermes skill command with its skill loaded, and answers a command it does not have without the model", async () => {
    const prompts: string[] = [];
    await setup(async (options) => {
      prompts.push(JSON.stringify(options.prompt));
      return textResult('Drafted.');
    });
    await mkdir(join(home, 'skills', 'weekly-report'), { recursive: true });
    await writeFile(join(home, 'skills', 'weekly-report', 'SKILL.md'), '---\nname: weekly-report\ndescription: Write the Friday report.\n---\nSummarize the week in three bullets.\n');
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type('/sethome\r');
    await term.type('/weekly_report for sales\r');
    await term.type('/exit\r');
    await chat;
    expect(term.written()).toContain('/sethome is a command of classic Hermes that this assistant does not have.');
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('Summarize the week in three bullets.');
    expect(prompts[0]).toContain('alongside the skill invocation: for sales');
    expect(term.written()).toContain('Drafted.');
  });

  it('answers past a turn file a crash left damaged, leaving the file where it is', async () => {
    await setup(async () => textResult('Hello again.'));
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await mkdir(join(home, 'sessions', 'terminal%3Alocal'), { recursive: true });
    await writeFile(join(home, 'sessions', 'terminal%3Alocal', 'broken.json'), '{"id": "x", ');
    await term.type('hello\r');
    await term.type('/exit\r');
    await chat;
    expect(term.written()).toContain('Hello again.');
    expect(term.written()).not.toContain('⚠️');
    expect(await readFile(join(home, 'sessions', 'terminal%3Alocal', 'broken.json'), 'utf8')).toBe('{"id": "x", ');
  });

  it("reports a failure of the machine's own (a folder that became a file) without its raw text and paths, pointing to the log", async () => {
    await setup(async () => textResult('Hello again.'));
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await writeFile(join(home, 'sessions'), 'not a folder');
    await term.type('hello\r');
    await expect.poll(() => term.written()).toMatch(/⚠️ Something went wrong on this machine; the details are in logs\/hermes\.log under HERMES_HOME\./);
    await term.type('/exit\r');
    await chat;
    expect(term.written()).not.toMatch(/ENOTDIR|ENOENT|EEXIST|\/tmp\//);
  });

  it('takes a pasted block of lines as one message, as Telegram would, and lines typed one by one as several', async () => {
    const asked: string[] = [];
    await setup(async (options) => {
      const users = options.prompt.filter((message) => message.role === 'user');
      asked.push(JSON.stringify(users.at(-1)!.content));
      return textResult('Noted.');
    });
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type('Shopping list:\r- apples\r- pears\r');
    await expect.poll(() => asked.length).toBe(1);
    await term.type('thanks\r');
    await term.type('/exit\r');
    await chat;
    expect(asked).toHaveLength(2);
    expect(asked[0]).toContain('Shopping list:\\n- apples\\n- pears');
    expect(asked[1]).toContain('thanks');
  });

  it('stops the answer in progress at Ctrl-C and keeps the message, then quits at a second Ctrl-C', async () => {
    let asked!: () => void;
    const modelAsked = new Promise<void>((resolve) => (asked = resolve));
    await setup(
      (options) =>
        new Promise((_resolve, reject) => {
          asked();
          options.abortSignal?.addEventListener('abort', () => reject(options.abortSignal!.reason), { once: true });
        }),
    );
    const term = terminal();
    const chat = runTerminalChat(runtime, term.input as never, term.output as never);
    await term.type('think about this for a long time\r');
    await modelAsked;
    await term.type('\x03');
    await expect.poll(() => term.written()).toContain('Stopped before an answer. Your message is saved.');
    await term.type('\x03');
    await chat;
    const stored = (await runtime.sessions.loadWindow('terminal:local', 5)).turns;
    expect(JSON.stringify(stored)).toContain('think about this for a long time');
  });
});
