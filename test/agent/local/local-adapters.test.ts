import { expect, it } from 'vitest';
import { join } from 'node:path';
import { FileMemoryStore } from '../../../agent/local/file-memory-store.ts';
import { FileSessionStore } from '../../../agent/local/file-session-store.ts';
import { FileSkillStore } from '../../../agent/local/file-skill-store.ts';
import { LocalScheduler } from '../../../agent/local/local-scheduler.ts';
import { FileUsageStore } from '../../../agent/local/file-usage-store.ts';
import { MemoryDedupStore } from '../../../agent/local/memory-dedup-store.ts';
import { MemoryAlbumRoster } from '../../../agent/local/memory-album-roster.ts';
import { albumRosterContract } from '../../contracts/album-roster.contract.ts';
import { dedupStoreContract } from '../../contracts/dedup-store.contract.ts';
import { memoryStoreContract } from '../../contracts/memory-store.contract.ts';
import { schedulerContract } from '../../contracts/scheduler.contract.ts';
import { sessionStoreContract } from '../../contracts/session-store.contract.ts';
import { skillLibraryContract } from '../../contracts/skill-library.contract.ts';
import { skillStoreContract } from '../../contracts/skill-store.contract.ts';
import { usageStoreContract } from '../../contracts/usage-store.contract.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';

async function inTempDir<T>(make: (dir: string) => T) {
  const dir = await makeTempDir();
  return { subject: make(dir.path), teardown: dir.remove };
}

sessionStoreContract('files', () => inTempDir((dir) => new FileSessionStore(join(dir, 'sessions'))));
skillStoreContract('files', () => inTempDir((dir) => new FileSkillStore(join(dir, 'skills'))));
skillLibraryContract('files', () => inTempDir((dir) => new FileSkillStore(join(dir, 'skills'))));
memoryStoreContract('files', () => inTempDir((dir) => new FileMemoryStore(join(dir, 'memories'))));
memoryStoreContract("files, u1 owning classic Hermes' notebook", () => inTempDir((dir) => new FileMemoryStore(join(dir, 'memories'), { owners: ['u1'] })));
schedulerContract('in-process', () => inTempDir((dir) => new LocalScheduler(dir, 'UTC')));
dedupStoreContract('in-memory', async () => ({ subject: new MemoryDedupStore() }));
albumRosterContract('in-memory', async () => ({ subject: new MemoryAlbumRoster() }));
usageStoreContract('files', () => inTempDir((dir) => new FileUsageStore(join(dir, 'usage'))));

it('forgets albums a day after their last member arrived, as the table\'s TTL does', async () => {
  const roster = new MemoryAlbumRoster();
  const day = 86_400_000;
  await roster.add('old', { messageId: 1, recordedAt: 0, message: '{}' });
  await roster.add('recent', { messageId: 2, recordedAt: day / 2, message: '{}' });
  await roster.add('new', { messageId: 3, recordedAt: day + 1, message: '{}' });
  expect(await roster.members('old')).toEqual([]);
  expect((await roster.members('recent')).map((member) => member.messageId)).toEqual([2]);
});

it('keeps reads and writes of the skills folder inside it, through a symbolic link too', async () => {
  const dir = await makeTempDir();
  try {
    const { mkdir, symlink, writeFile } = await import('node:fs/promises');
    await mkdir(join(dir.path, 'skills', 'notes'), { recursive: true });
    await mkdir(join(dir.path, 'outside'));
    await writeFile(join(dir.path, 'outside', 'secret.txt'), 'token=abc');
    await symlink(join(dir.path, 'outside'), join(dir.path, 'skills', 'notes', 'references'));
    const store = new FileSkillStore(join(dir.path, 'skills'));
    await expect(store.readFile('notes/references/secret.txt')).rejects.toThrow(/leads outside the skills folder/);
    await expect(store.writeFile('notes/references/planted.txt', 'x')).rejects.toThrow(/leads outside the skills folder/);
    await expect(store.deleteFile('notes/references/secret.txt')).rejects.toThrow(/leads outside the skills folder/);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dir.path, 'outside', 'secret.txt'), 'utf8')).toBe('token=abc');
    expect(await store.listFiles('')).toEqual([]);
    await store.writeFile('notes/SKILL.md', '---\nname: notes\ndescription: n\n---\nBody\n');
    expect(await store.readFile('notes/SKILL.md')).toMatch(/Body/);
  } finally {
    await dir.remove();
  }
});
