import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileMemoryStore } from '../../../agent/local/file-memory-store.ts';
import { makeLocalRuntime } from '../../helpers/local-runtime.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';

const classic = join(import.meta.dirname, 'fixtures', 'classic-hermes-memories');

describe("the owner's notebook is classic Hermes' memories/MEMORY.md and USER.md", () => {
  let remove: (() => Promise<void>) | undefined;
  afterEach(() => remove?.());

  async function memoriesLikeHermes(): Promise<string> {
    const dir = await makeTempDir('hermes-memories-');
    remove = dir.remove;
    const root = join(dir.path, 'memories');
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
    remove = cleanup;
    await runtime.memory.add('77', 'user', 'Name: Ada.');
    await runtime.memory.add('88', 'user', 'Name: Grace.');
    expect(await readFile(join(home, 'memories', 'USER.md'), 'utf8')).toBe('Name: Ada.\n');
    expect((await runtime.memory.list('local', 'user')).map((entry) => entry.text)).toEqual(['Name: Ada.']);
    expect(await readFile(join(home, 'memories', '88', 'USER.md'), 'utf8')).toBe('Name: Grace.\n');
  });
});
