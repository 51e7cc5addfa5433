import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MemoryTarget } from '../../tools/ports/memory-store.ts';
import type { HermesTools } from '../../tools/index.ts';
import { call, CHAT, makeToolHarness, type Outcome, type ToolHarness } from './harness.ts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTools } from '../../tools/index.ts';
import type { MemoryEntry, MemoryReplacement, MemoryStore } from '../../tools/ports/memory-store.ts';

/** A store that keeps records of one text apart, each with its own id, as AgentCore does. */
class RecordsWithCopies implements MemoryStore {
  constructor(readonly entries: MemoryEntry[]) {}
  texts = () => this.entries.map((entry) => entry.text);
  list = async (_userId: string, target: MemoryTarget) => this.entries.filter((entry) => entry.target === target);
  add = async (_userId: string, target: MemoryTarget, text: string) => {
    const entry = { id: `rec-${this.entries.length + 1}`, target, text };
    this.entries.push(entry);
    return entry;
  };
  replace = async (_userId: string, { id, text }: MemoryReplacement) => {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) throw new Error(`no record ${id}`);
    entry.text = text;
  };
  remove = async (_userId: string, _target: MemoryTarget, id: string) => {
    const index = this.entries.findIndex((entry) => entry.id === id);
    if (index < 0) throw new Error(`no record ${id}`);
    this.entries.splice(index, 1);
  };
  recordExchange = async () => undefined;
  search = async () => [];
}

type MemoryArgs = Parameters<NonNullable<HermesTools['memory']['execute']>>[0];

let h: ToolHarness;
beforeEach(async () => {
  h = await makeToolHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const USER_ID = CHAT.userId;
const memory = (args: MemoryArgs, tools = h.tools) => call(tools.memory, args);
const recall = (query: string, limit?: number, tools = h.tools) => call(tools.memory_recall, limit === undefined ? { query } : { query, limit });
const texts = async (target: MemoryTarget, userId = USER_ID) => (await h.memory.list(userId, target)).map((entry) => entry.text);
const secondUser = () => h.toolsFor({ userId: 'user-2' });

function expectFailure(result: Outcome, message: RegExp | string): void {
  expect(result).toEqual({ success: false, error: typeof message === 'string' ? message : expect.stringMatching(message) });
}

async function saved(target: MemoryTarget, content: string): Promise<void> {
  expect(await memory({ action: 'add', target, content })).toMatchObject({ success: true, message: `Saved to ${target}.` });
}

describe('memory add', () => {
  it('saves a note and reports the usage of the memory budget', async () => {
    const note = 'Project Hermes runs on AWS Lambda.'; // 34 chars
    expect(await memory({ action: 'add', target: 'memory', content: `  ${note}\n` })).toEqual({
      success: true,
      message: 'Saved to memory.',
      usage: '2% — 34/2,200 chars',
    });
    expect(await texts('memory')).toEqual([note]);
    expect(await texts('user')).toEqual([]);
  });

  it('saves a fact about the user against the smaller user budget', async () => {
    expect(await memory({ action: 'add', target: 'user', content: 'Prefers short answers.' })).toEqual({
      success: true,
      message: 'Saved to user.',
      usage: '2% — 22/1,375 chars',
    });
    expect(await texts('user')).toEqual(['Prefers short answers.']);
    expect(await texts('memory')).toEqual([]);
  });

  it('counts the separator between entries', async () => {
    await saved('user', 'Prefers short answers.'); // 22
    const result = await memory({ action: 'add', target: 'user', content: 'Lives in Berlin.' }); // 16 + 3
    expect(result).toEqual({ success: true, message: 'Saved to user.', usage: '3% — 41/1,375 chars' });
    expect(await texts('user')).toEqual(['Prefers short answers.', 'Lives in Berlin.']);
  });

  it('treats saving the same entry again as done', async () => {
    await saved('user', 'Lives in Berlin.');
    expect(await memory({ action: 'add', target: 'user', content: ' Lives in Berlin. ' })).toEqual({
      success: true,
      message: 'Already saved.',
      usage: '1% — 16/1,375 chars',
    });
    expect(await texts('user')).toEqual(['Lives in Berlin.']);
  });

  it('fills the budget exactly, and refuses one character more without writing anything', async () => {
    await saved('memory', 'm'.repeat(2_000));
    const over = await memory({ action: 'add', target: 'memory', content: 'x'.repeat(198) });
    expectFailure(
      over,
      'memory would hold 2201/2200 chars (now 91% — 2,000/2,200 chars). Replace or remove older entries first, or shorten this one.',
    );
    expect(await texts('memory')).toEqual(['m'.repeat(2_000)]);

    expect(await memory({ action: 'add', target: 'memory', content: 'x'.repeat(197) })).toEqual({
      success: true,
      message: 'Saved to memory.',
      usage: '100% — 2,200/2,200 chars',
    });
  });

  it('refuses a single entry larger than the user budget', async () => {
    expectFailure(await memory({ action: 'add', target: 'user', content: 'u'.repeat(1_376) }), /^user would hold 1376\/1375 chars \(now 0% — 0\/1,375 chars\)/);
    expect(await texts('user')).toEqual([]);
  });

  it('counts characters as Hermes does (an emoji is one, not two UTF-16 units)', async () => {
    expect(await memory({ action: 'add', target: 'user', content: '🌱'.repeat(700) })).toEqual({ success: true, message: 'Saved to user.', usage: '51% — 700/1,375 chars' });
  });

  it.each([undefined, '', '   \n\t'])('refuses empty content %j', async (content) => {
    expectFailure(await memory({ action: 'add', target: 'memory', ...(content === undefined ? {} : { content }) }), 'content is required and may not be empty.');
    expect(await texts('memory')).toEqual([]);
  });

  it('refuses content with a line holding only the § separator', async () => {
    for (const content of ['first\n§\nsecond', '§', 'first\n§', 'first\r\n§\r\nsecond']) {
      expectFailure(await memory({ action: 'add', target: 'memory', content }), 'content may not contain a line holding only "§" (the entry separator).');
    }
    expect(await texts('memory')).toEqual([]);
  });

  it('keeps a § inside a line as part of one entry', async () => {
    await saved('memory', 'Fees: 5 § per unit\n§ 12 of the contract applies');
    expect(await texts('memory')).toEqual(['Fees: 5 § per unit\n§ 12 of the contract applies']);
  });
});

describe('memory replace', () => {
  beforeEach(async () => {
    await saved('user', 'Takes oat milk in coffee.'); // 25
    await saved('user', 'Drinks decaf coffee after 3pm.'); // 30
    await saved('user', 'Lives in Berlin.'); // 16
  });

  it('replaces the one entry that contains old_text, in place', async () => {
    const result = await memory({ action: 'replace', target: 'user', old_text: 'oat milk', content: 'Takes coffee black.' }); // 19
    expect(result).toEqual({ success: true, message: 'Replaced entry in user.', usage: '5% — 71/1,375 chars' });
    expect(await texts('user')).toEqual(['Takes coffee black.', 'Drinks decaf coffee after 3pm.', 'Lives in Berlin.']);
  });

  it('reports old_text that matches nothing', async () => {
    expectFailure(await memory({ action: 'replace', target: 'user', old_text: 'green tea', content: 'x' }), 'No user entry contains "green tea".');
    expectFailure(await memory({ action: 'replace', target: 'memory', old_text: 'Berlin', content: 'x' }), 'No memory entry contains "Berlin".');
  });

  it('asks for more of an ambiguous old_text', async () => {
    expectFailure(await memory({ action: 'replace', target: 'user', old_text: 'coffee', content: 'x' }), '"coffee" matches 2 user entries; quote more of the one you mean.');
    expect(await texts('user')).toEqual(['Takes oat milk in coffee.', 'Drinks decaf coffee after 3pm.', 'Lives in Berlin.']);
  });

  it('needs old_text and valid content', async () => {
    expectFailure(await memory({ action: 'replace', target: 'user', content: 'x' }), 'old_text is required: a unique part of the entry to change.');
    expectFailure(await memory({ action: 'replace', target: 'user', old_text: '  ', content: 'x' }), /^old_text is required/);
    expectFailure(await memory({ action: 'replace', target: 'user', old_text: 'Berlin' }), 'content is required and may not be empty.');
    expectFailure(await memory({ action: 'replace', target: 'user', old_text: 'Berlin', content: 'Lives in\n§\nHamburg' }), /may not contain a line holding only "§"/);
    expect(await texts('user')).toEqual(['Takes oat milk in coffee.', 'Drinks decaf coffee after 3pm.', 'Lives in Berlin.']);
  });

  it('refuses a replacement that overflows the budget and keeps the old entry', async () => {
    expectFailure(await memory({ action: 'replace', target: 'user', old_text: 'Berlin', content: 'b'.repeat(1_400) }), 'user would hold 1461/1375 chars (now 6% — 77/1,375 chars). Replace or remove older entries first, or shorten this one.');
    expect(await texts('user')).toEqual(['Takes oat milk in coffee.', 'Drinks decaf coffee after 3pm.', 'Lives in Berlin.']);
  });

  it('refuses to replace an entry with the text of another, which would leave two identical entries', async () => {
    expect(await memory({ action: 'replace', target: 'user', old_text: 'oat milk', content: 'Lives in Berlin.' })).toMatchObject({
      success: false,
      error: expect.stringMatching(/already says exactly that/),
    });
    expect(await texts('user')).toEqual(['Takes oat milk in coffee.', 'Drinks decaf coffee after 3pm.', 'Lives in Berlin.']);
    expect(await memory({ action: 'remove', target: 'user', old_text: 'Lives in Berlin.' })).toMatchObject({ success: true });
  });
});

describe('memory remove', () => {
  beforeEach(async () => {
    await saved('memory', 'Deploys go through staging first.'); // 33
    await saved('memory', 'The staging URL is staging.example.com.'); // 39
  });

  it('removes the one matching entry and reports the freed budget', async () => {
    expect(await memory({ action: 'remove', target: 'memory', old_text: 'go through' })).toEqual({
      success: true,
      message: 'Removed entry from memory.',
      usage: '2% — 39/2,200 chars',
    });
    expect(await texts('memory')).toEqual(['The staging URL is staging.example.com.']);
  });

  it('reports no match and ambiguous matches without removing anything', async () => {
    expectFailure(await memory({ action: 'remove', target: 'memory', old_text: 'production' }), 'No memory entry contains "production".');
    expectFailure(await memory({ action: 'remove', target: 'memory', old_text: 'staging' }), '"staging" matches 2 memory entries; quote more of the one you mean.');
    expectFailure(await memory({ action: 'remove', target: 'user', old_text: 'staging' }), 'No user entry contains "staging".');
    expectFailure(await memory({ action: 'remove', target: 'memory' }), /^old_text is required/);
    expect(await texts('memory')).toHaveLength(2);
  });
});

describe('memory with repeated entries (a file edited by hand or by an older Hermes; AgentCore records of one text)', () => {
  const memoryFile = () => join(h.home, 'memories', encodeURIComponent(USER_ID), 'MEMORY.md');

  it('reads a file with a repeated entry and Windows line endings as each entry once, so the repeat can be quoted', async () => {
    await mkdir(dirname(memoryFile()), { recursive: true });
    await writeFile(memoryFile(), 'Likes tea\r\n§\r\nWorks nights\r\n§\r\nLikes tea\r\n', 'utf8');
    expect(await texts('memory')).toEqual(['Likes tea', 'Works nights']);
    expect(await memory({ action: 'replace', target: 'memory', old_text: 'Likes tea', content: 'Likes green tea' })).toMatchObject({ success: true });
    expect(await texts('memory')).toEqual(['Likes green tea', 'Works nights']);
    expect(await memory({ action: 'remove', target: 'memory', old_text: 'green tea' })).toMatchObject({ success: true, usage: '1% — 12/2,200 chars' });
    expect(await readFile(memoryFile(), 'utf8')).toBe('Works nights\n');
  });

  it('refuses to replace an entry longer than the whole notebook, notes pasted by hand with no "§" line, which would be lost', async () => {
    await mkdir(dirname(memoryFile()), { recursive: true });
    const pasted = `Server is at 10.0.0.5\n${'Runbook line for the old server.\n'.repeat(80)}`;
    await writeFile(memoryFile(), `Deploy with cdk deploy.\n§\n${pasted}`, 'utf8');
    expectFailure(await memory({ action: 'replace', target: 'memory', old_text: 'Server is at 10.0.0.5', content: 'Server is at 10.0.0.6' }), /more than the whole notebook may hold \(2200\): it was written by hand/);
    expect(await readFile(memoryFile(), 'utf8')).toBe(`Deploy with cdk deploy.\n§\n${pasted}`);
    expect(await memory({ action: 'remove', target: 'memory', old_text: 'Server is at 10.0.0.5' })).toMatchObject({ success: true });
    expect(await texts('memory')).toEqual(['Deploy with cdk deploy.']);
  });

  it('changes every record of the quoted text where the store keeps copies apart, as AgentCore keeps records', async () => {
    const records = new RecordsWithCopies([{ id: 'rec-1', target: 'user', text: 'Lives in Lyon' }, { id: 'rec-2', target: 'user', text: 'Lives in Lyon' }, { id: 'rec-3', target: 'user', text: 'Has a cat' }]);
    const tools = createTools({ ...h.deps, memory: records }, h.ctx);
    expect(await memory({ action: 'replace', target: 'user', old_text: 'Lyon', content: 'Lives in Paris' }, tools)).toMatchObject({ success: true, usage: '2% — 26/1,375 chars' });
    expect(records.texts()).toEqual(['Lives in Paris', 'Has a cat']);
    records.entries.push({ id: 'rec-4', target: 'user', text: 'Has a cat' });
    expect(await memory({ action: 'remove', target: 'user', old_text: 'cat' }, tools)).toMatchObject({ success: true });
    expect(records.texts()).toEqual(['Lives in Paris']);
  });
});

describe("memory batches, Hermes' operations", () => {
  it('frees room and adds in one call: the budget counts the result, not each step', async () => {
    const stale = `Old project notes: ${'x'.repeat(2_000)}`;
    await saved('memory', stale);
    const fresh = `New project notes: ${'y'.repeat(1_000)}`;
    // Alone, the add would overflow the 2,200 characters; after the removal it fits.
    expectFailure(await memory({ action: 'add', target: 'memory', content: fresh }), /^memory would hold/);
    const result = await memory({
      target: 'memory',
      operations: [
        { action: 'remove', old_text: 'Old project notes' },
        { action: 'add', content: fresh },
        { action: 'add', new_text: 'Deploys go out on Thursdays.' },
      ],
    });
    expect(result).toMatchObject({ success: true, message: 'Applied 3 changes to memory.' });
    expect(await texts('memory')).toEqual([fresh, 'Deploys go out on Thursdays.']);
  });

  it('lets a notebook over its limit (written by hand) lose entries one at a time', async () => {
    const entries = ['1', '2', '3', '4'].map((n) => `${n.repeat(3)} ${'z'.repeat(796)}`);
    for (const text of entries) await h.memory.add(USER_ID, 'memory', text);
    expect(await memory({ action: 'remove', target: 'memory', old_text: '111' })).toMatchObject({ success: true, usage: '109% — 2,406/2,200 chars' });
    expectFailure(await memory({ action: 'add', target: 'memory', content: 'One more thing.' }), /^memory would hold 2424\/2200 chars/);
    expect(await texts('memory')).toEqual(entries.slice(1));
  });

  it('writes nothing when one change of the batch fails, and says which', async () => {
    await saved('user', 'Lives in Berlin.');
    const result = await memory({
      target: 'user',
      operations: [
        { action: 'replace', old_text: 'Berlin', content: 'Lives in Hamburg.' },
        { action: 'remove', old_text: 'Paris' },
      ],
    });
    expectFailure(result, 'Operation 2 (remove): No user entry contains "Paris". Nothing was changed.');
    expect(await texts('user')).toEqual(['Lives in Berlin.']);
  });

  it('says how far a batch got when the store fails part-way, so the model does not send it again as new', async () => {
    await saved('memory', 'old A');
    await saved('memory', 'old B');
    const failing: MemoryStore = Object.assign(Object.create(h.memory) as MemoryStore, {
      replace: async () => {
        throw new Error('ThrottlingException: Rate exceeded');
      },
    });
    const tools = createTools({ ...h.deps, memory: failing }, h.ctx);
    const result = await memory({ target: 'memory', operations: [{ action: 'remove', old_text: 'old A' }, { action: 'replace', old_text: 'old B', content: 'new B' }, { action: 'add', content: 'new C' }] }, tools);
    expectFailure(result, /^The memory store failed part-way: 1 of 3 writes were made, the rest not, so do not send the same change again\./);
    expect(await texts('memory')).toEqual(['old B']);
  });

  it('lets a later change of the batch edit or drop an entry an earlier one added', async () => {
    const result = await memory({
      target: 'user',
      operations: [
        { action: 'add', content: 'Has a dog named Rex.' },
        { action: 'add', content: 'Has a cat.' },
        { action: 'replace', old_text: 'Rex', content: 'Has a dog named Rex, a beagle.' },
        { action: 'remove', old_text: 'cat' },
      ],
    });
    expect(result).toMatchObject({ success: true });
    expect(await texts('user')).toEqual(['Has a dog named Rex, a beagle.']);
  });

  it('needs an action or operations, not both', async () => {
    expectFailure(await memory({ target: 'user', content: 'x' }), /^action is required/);
    expectFailure(await memory({ action: 'add', target: 'user', content: 'x', operations: [{ action: 'add', content: 'y' }] }), /^Give either action/);
    expect(await texts('user')).toEqual([]);
  });
});

describe('memory per user', () => {
  it("keeps each user's entries apart, even in the same chat", async () => {
    await saved('user', 'Lives in Berlin.');
    const other = secondUser();

    expect(await memory({ action: 'add', target: 'user', content: 'Lives in Berlin.' }, other)).toEqual({
      success: true,
      message: 'Saved to user.',
      usage: '1% — 16/1,375 chars',
    });
    expect(await memory({ action: 'add', target: 'user', content: 'Prefers long answers.' }, other)).toMatchObject({ usage: '3% — 40/1,375 chars' });
    expectFailure(await memory({ action: 'remove', target: 'user', old_text: 'Prefers' }), 'No user entry contains "Prefers".');

    expect(await texts('user')).toEqual(['Lives in Berlin.']);
    expect(await texts('user', 'user-2')).toEqual(['Lives in Berlin.', 'Prefers long answers.']);
  });
});

describe('memory_recall', () => {
  beforeEach(async () => {
    await saved('user', 'Takes oat milk in coffee.');
    await saved('memory', 'The team standup is at 09:30.');
    await h.memory.recordExchange(USER_ID, {
      sessionKey: 'tg:1001',
      userText: 'What is my usual coffee order?',
      assistantText: 'An oat flat white.',
      at: Date.parse('2026-03-18T09:00:00.000Z'),
    });
  });

  it('finds saved entries and earlier exchanges, best first', async () => {
    expect(await recall('coffee order')).toEqual({
      success: true,
      count: 2,
      results: [
        { target: 'conversation', text: '[Wed 2026-03-18 09:00] user: What is my usual coffee order?\nassistant: An oat flat white.', score: 1 },
        { target: 'user', text: 'Takes oat milk in coffee.', score: 0.5 },
      ],
    });
    expect(await recall('standup')).toEqual({ success: true, count: 1, results: [{ target: 'memory', text: 'The team standup is at 09:30.', score: 1 }] });
  });

  it('rounds scores and honours the limit', async () => {
    const result = await recall('coffee milk sugar');
    expect(result.results.map((hit: { score: number }) => hit.score)).toEqual([0.67, 0.33]);
    expect(await recall('coffee', 1)).toMatchObject({ success: true, count: 1 });
  });

  it('finds what was saved through the memory tool right away', async () => {
    await saved('memory', 'Invoices are due on the 5th.');
    expect(await recall('invoices')).toMatchObject({ count: 1, results: [{ target: 'memory', text: 'Invoices are due on the 5th.' }] });
  });

  it('returns an empty result when nothing matches', async () => {
    expect(await recall('kangaroo')).toEqual({ success: true, count: 0, results: [] });
  });

  it("never returns another user's memories", async () => {
    expect(await recall('coffee order', 5, secondUser())).toEqual({ success: true, count: 0, results: [] });
  });

  it.each(['', '   '])('refuses the empty query %j', async (query) => {
    expect(await recall(query)).toEqual({ success: false, error: 'query may not be empty.' });
  });
});
