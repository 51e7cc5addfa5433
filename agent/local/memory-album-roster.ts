import type { AlbumMember, AlbumRoster } from '../ports/album-roster.ts';

/** An album is answered within seconds; its members are forgotten a day after they arrived, as the table's TTL does. */
const KEEP_MS = 86_400_000;

/** The local mode is one process: the poller records members and the in-process worker reads them. */
export class MemoryAlbumRoster implements AlbumRoster {
  private readonly albums = new Map<string, Map<number, AlbumMember>>();

  async add(album: string, member: Omit<AlbumMember, 'takenBy'>): Promise<void> {
    this.forgetOlderThan(member.recordedAt - KEEP_MS);
    const members = this.albums.get(album) ?? new Map<number, AlbumMember>();
    this.albums.set(album, members);
    if (!members.has(member.messageId)) members.set(member.messageId, { ...member });
  }

  async members(album: string): Promise<AlbumMember[]> {
    return [...(this.albums.get(album)?.values() ?? [])].sort((a, b) => a.messageId - b.messageId).map((member) => ({ ...member }));
  }

  async take(album: string, { leader, messageIds }: { leader: number; messageIds: number[] }): Promise<number[]> {
    const members = this.albums.get(album);
    const taken: number[] = [];
    for (const id of messageIds) {
      const member = members?.get(id);
      if (!member || (member.takenBy !== undefined && member.takenBy !== leader)) continue;
      member.takenBy = leader;
      taken.push(id);
    }
    return taken;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [album, members] of this.albums) {
      if ([...members.values()].every((member) => member.recordedAt < cutoff)) this.albums.delete(album);
    }
  }
}
