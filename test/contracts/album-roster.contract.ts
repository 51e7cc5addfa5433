import { beforeEach, describe, expect, it } from 'vitest';
import type { AlbumRoster } from '../../agent/ports/album-roster.ts';
import { useHarness, type Harness } from './harness.ts';

const member = (messageId: number, recordedAt = 1_764_620_200_000 + (messageId % 1_000)) => ({
  messageId,
  recordedAt,
  message: JSON.stringify({ message_id: messageId, media_group_id: '13867207293917321', photo: [{ file_id: `photo-${messageId}` }] }),
});

export function albumRosterContract(name: string, setup: () => Promise<Harness<AlbumRoster>>): void {
  describe(`AlbumRoster contract: ${name}`, () => {
    const current = useHarness(setup);
    let roster: AlbumRoster;
    beforeEach(() => {
      roster = current();
    });

    it('lists the members of an album by message id, whatever order they were recorded in', async () => {
      await roster.add('chat:1:album-a', member(12));
      await roster.add('chat:1:album-a', member(10));
      await roster.add('chat:1:album-b', member(11));
      await roster.add('chat:1:album-a', member(9_000_000_001));
      const members = await roster.members('chat:1:album-a');
      expect(members.map((m) => m.messageId)).toEqual([10, 12, 9_000_000_001]);
      expect(members[0]).toEqual(member(10));
      expect(await roster.members('chat:1:album-none')).toEqual([]);
    });

    it('keeps the first record of a message recorded twice', async () => {
      await roster.add('album', member(5, 1000));
      await roster.add('album', { ...member(5, 9000), message: '{"changed":true}' });
      expect(await roster.members('album')).toEqual([member(5, 1000)]);
    });

    it('lets one leader take members; another leader cannot take them, the same leader can again', async () => {
      await Promise.all([1, 2, 3].map((id) => roster.add('album', member(id))));
      expect((await roster.take('album', { leader: 1, messageIds: [1, 2] })).sort()).toEqual([1, 2]);
      expect(await roster.take('album', { leader: 3, messageIds: [2, 3] })).toEqual([3]);
      expect((await roster.take('album', { leader: 1, messageIds: [1, 2, 3] })).sort()).toEqual([1, 2]);
      expect((await roster.members('album')).map((m) => m.takenBy)).toEqual([1, 1, 3]);
      // A member never recorded cannot be taken.
      expect(await roster.take('album', { leader: 1, messageIds: [4] })).toEqual([]);
    });

    it('gives each member to exactly one of several leaders racing for it', async () => {
      await Promise.all([1, 2, 3, 4].map((id) => roster.add('album', member(id))));
      const results = await Promise.all([1, 2, 3, 4].map((leader) => roster.take('album', { leader, messageIds: [1, 2, 3, 4] })));
      expect(results.flat().sort()).toEqual([1, 2, 3, 4]);
    });
  });
}
