import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileMemoryStore } from '../../../agent/local/file-memory-store.ts';
import { makeLocalRuntime } from '../../helpers/local-runtime.ts';
import { useTempDirs } from '../../stand-ins/temp-dir.ts';

const classic = join(import.meta.dirname, 'fixtures', 'classic-hermes-memories');

describe("the owner's notebook is classic Hermes' memories/MEMORY.md and USER.md", () => {
  const tempDir = useTempDirs();

  async function memoriesLikeHermes(): Promise<string> {
    const root = join(await tempDir('hermes-memories-'), 'memories');
    await cp(classic, root, { recursive: true });
    return root;
  }

  it('shows the owner what Hermes noted, and writes their changes back in its format', async () => {
    const root = await memoriesLikeHermes();
    const store = new FileMemoryStore(root, { owners: ['local', '77'] });
    expect((await store.list('77', 'user')).map((entry) => entry.text)).toEqual(['Name: Ada. Prefers short answers.', 'Lives in Lisbon (Europe/Lisbon).']);
    await store.add('local', 'memory', 'The NAS backs up at 02:00.');
    expect(await readFile(join(root, 'MEMORY.md'), 'utf8')).toBe(
      'The user runs Hermes on a Raspberry Pi at home.\n§\nDeploys happen on Thursdays; never on Fridays.\n§\nThe NAS backs up at 02:00.\n',
    );
    expect((await store.list('77', 'memory')).at(-1)?.text).toBe('The NAS backs up at 02:00.');
  });

  it("keeps everyone else's notebook in a folder of their own, apart from the owner's", async () => {
    const root = await memoriesLikeHermes();
    const store = new FileMemoryStore(root, { owners: ['local', '77'] });
    expect(await store.list('88', 'user')).toEqual([]);
    await store.add('88', 'user', 'Name: Grace.');
    expect(await readFile(join(root, '88', 'USER.md'), 'utf8')).toBe('Name: Grace.\n');
    expect(await readFile(join(root, 'USER.md'), 'utf8')).toBe(await readFile(join(classic, 'USER.md'), 'utf8'));
  });

  it("reads the owner's notebook an earlier version kept in their folder, and moves it into Hermes' at the first change", async () => {
    const root = await memoriesLikeHermes();
    await mkdir(join(root, '77'), { recursive: true });
    await writeFile(join(root, '77', 'USER.md'), 'Lives in Lisbon (Europe/Lisbon).\n§\nHas a cat named Pixel.\n');
    const store = new FileMemoryStore(root, { owners: ['local', '77'] });
    expect((await store.list('77', 'user')).map((entry) => entry.text)).toEqual(['Name: Ada. Prefers short answers.', 'Lives in Lisbon (Europe/Lisbon).', 'Has a cat named Pixel.']);
    const pixel = (await store.list('77', 'user')).find((entry) => entry.text.includes('Pixel'))!;
    await store.remove('77', 'user', pixel.id);
    expect(await readFile(join(root, 'USER.md'), 'utf8')).toBe('Name: Ada. Prefers short answers.\n§\nLives in Lisbon (Europe/Lisbon).\n');
    expect((await store.list('77', 'user')).map((entry) => entry.text)).toEqual(['Name: Ada. Prefers short answers.', 'Lives in Lisbon (Europe/Lisbon).']);
    expect(await readdir(join(root, '77'))).toEqual(['USER.md.merged']);
  });

  it('makes the first allowed user of npm start the owner, with the terminal user', async () => {
    const { runtime, home, cleanup } = await makeLocalRuntime({ env: { TELEGRAM_ALLOWED_USERS: '77,88' } });
    try {
      await runtime.memory.add('77', 'user', 'Name: Ada.');
      await runtime.memory.add('88', 'user', 'Name: Grace.');
      expect(await readFile(join(home, 'memories', 'USER.md'), 'utf8')).toBe('Name: Ada.\n');
      expect((await runtime.memory.list('local', 'user')).map((entry) => entry.text)).toEqual(['Name: Ada.']);
      expect(await readFile(join(home, 'memories', '88', 'USER.md'), 'utf8')).toBe('Name: Grace.\n');
    } finally {
      await cleanup();
    }
  });
});

describe('recall with a damaged line in the exchange log', () => {
  const tempDir = useTempDirs();

  it('passes over a line cut short by a crash, and the line the next append ran into it, and finds the rest', async () => {
    const dir = { path: await tempDir('hermes-memories-') };
    const warnings: string[] = [];
    const store = new FileMemoryStore(dir.path, { log: { warn: (message) => void warnings.push(message) } });
    await store.recordExchange('88', { sessionKey: 'tg:88', userText: 'My flight to Tokyo leaves Monday', assistantText: 'Noted!', at: Date.UTC(2026, 0, 5) });
    await writeFile(join(dir.path, '88', 'exchanges.jsonl'), '{"sessionKey":"tg:88","userText":"Tokyo hot', { flag: 'a' });
    await store.recordExchange('88', { sessionKey: 'tg:88', userText: 'The Tokyo hotel is in Shinjuku', assistantText: 'Got it.', at: Date.UTC(2026, 0, 6) });
    await store.recordExchange('88', { sessionKey: 'tg:88', userText: 'Book a table in Tokyo for Tuesday', assistantText: 'Done.', at: Date.UTC(2026, 0, 7) });

    const hits = await store.search('88', 'Tokyo', 10);
    expect(hits.map((hit) => hit.text.split('\n')[0])).toEqual(
      expect.arrayContaining(['[Mon 2026-01-05 00:00] user: My flight to Tokyo leaves Monday', '[Wed 2026-01-07 00:00] user: Book a table in Tokyo for Tuesday']),
    );
    expect(hits).toHaveLength(2);
    expect(warnings).toEqual(['a damaged line of the exchange log was passed over']);
  });
});

describe('recall of an earlier exchange', () => {
  const tempDir = useTempDirs();

  it('dates it in HERMES_TIMEZONE, as the model saw the message stamped, not by the UTC day', async () => {
    const store = new FileMemoryStore(await tempDir('hermes-memories-'), { timezone: 'Asia/Tokyo' });
    // Friday 08:30 in Tokyo is still Thursday in UTC.
    await store.recordExchange('88', { sessionKey: 'tg:88', userText: 'dentist booked for friday', assistantText: 'Noted.', at: Date.UTC(2026, 11, 3, 23, 30) });
    const [hit] = await store.search('88', 'dentist', 5);
    expect(hit?.text).toBe('[Fri 2026-12-04 08:30] user: dentist booked for friday\nassistant: Noted.');
  });

  it('is dated in the zone npm start runs in', async () => {
    const { runtime, cleanup } = await makeLocalRuntime({ env: { HERMES_TIMEZONE: 'Asia/Tokyo' } });
    try {
      await runtime.memory.recordExchange('88', { sessionKey: 'tg:88', userText: 'dentist booked for friday', assistantText: 'Noted.', at: Date.UTC(2026, 11, 3, 23, 30) });
      expect((await runtime.memory.search('88', 'dentist', 5))[0]?.text).toMatch(/^\[Fri 2026-12-04 08:30\] /);
    } finally {
      await cleanup();
    }
  });
});
