import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSessionStore } from '../../../agent/local/file-session-store.ts';
import { turnId } from '../../../agent/session-keys.ts';
import type { Turn } from '../../../agent/ports/session-store.ts';
import { useTempDirs } from '../../stand-ins/temp-dir.ts';

const turn = (at: number, text: string): Turn => ({
  id: turnId(at),
  at,
  messages: [
    { role: 'user', content: text },
    { role: 'assistant', content: [{ type: 'text', text: `re: ${text}` }] },
  ],
});

describe('FileSessionStore with a damaged turn file', () => {
  const tempDir = useTempDirs();

  it('passes over a row a crash left empty, keeping the chat and /new working, and says so in the log', async () => {
    const dir = { path: await tempDir('hermes-sessions-') };
    const warnings: string[] = [];
    const store = new FileSessionStore(dir.path, { log: { warn: (message) => void warnings.push(message) } });
    for (const [at, text] of [[1_000, 'm1'], [2_000, 'm2'], [3_000, 'm3']] as const) await store.appendTurn('tg:5', turn(at, text));
    const folder = join(dir.path, encodeURIComponent('tg:5'));
    const [oldest] = (await readdir(folder)).sort();
    await writeFile(join(folder, oldest!), '');

    expect((await store.loadWindow('tg:5', 20)).turns.map((stored) => stored.messages[0]!.content)).toEqual(['m2', 'm3']);
    await store.reset('tg:5', 4_000);
    await store.appendTurn('tg:5', turn(5_000, 'm5'));
    expect((await store.loadWindow('tg:5', 20)).turns.map((stored) => stored.messages[0]!.content)).toEqual(['m5']);
    expect(warnings).toEqual(['a damaged turn file was passed over', 'a damaged turn file was passed over']);
    // Left where it is, for whoever wants to look at it.
    expect(await readdir(folder)).toContain(oldest);
  });
});
