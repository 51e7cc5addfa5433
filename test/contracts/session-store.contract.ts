import type { ModelMessage } from 'ai';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore, Turn } from '../../agent/ports/session-store.ts';
import { DuplicateTurnError } from '../../tools/errors.ts';
import { turnId } from '../../agent/session-keys.ts';
import { useHarness, type Harness } from './harness.ts';


function turn(at: number, text: string, reply = `re: ${text}`): Turn {
  const messages: ModelMessage[] = [
    { role: 'user', content: text },
    { role: 'assistant', content: [{ type: 'text', text: reply }] },
  ];
  return { id: turnId(at), at, messages };
}

const userTexts = (turns: Turn[]) => turns.map((t) => t.messages[0]!.content);

/** Every SessionStore adapter must pass this suite unchanged. */
export function sessionStoreContract(name: string, setup: () => Promise<Harness<SessionStore>>): void {
  describe(`SessionStore contract: ${name}`, () => {
    const current = useHarness(setup);
    let store: SessionStore;
    beforeEach(() => {
      store = current();
    });

    it('returns an empty window for an unknown session', async () => {
      expect(await store.loadWindow('chat:none', 10)).toEqual({ turns: [], truncated: false });
    });

    it('returns appended turns oldest first with their messages intact', async () => {
      await store.appendTurn('chat:1', turn(1000, 'first'));
      await store.appendTurn('chat:1', turn(2000, 'second'));
      const window = await store.loadWindow('chat:1', 10);
      expect(userTexts(window.turns)).toEqual(['first', 'second']);
      expect(window.turns[1]!.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 're: second' }] });
      expect(window.truncated).toBe(false);
    });

    it('keeps reasoning parts and their provider signatures, which providers need sent back after tool calls', async () => {
      const messages: ModelMessage[] = [
        { role: 'user', content: 'I am vegetarian' },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'A lasting preference: save it.', providerOptions: { bedrock: { signature: 'EqQBCkYIBxgCKkB-sig' } } },
            { type: 'tool-call', toolCallId: 'tooluse_1', toolName: 'memory', input: { action: 'add', target: 'user', content: 'Is vegetarian' } },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tooluse_1', toolName: 'memory', output: { type: 'json', value: { success: true } } }] },
      ];
      await store.appendTurn('chat:r', { id: turnId(1000), at: 1000, messages });
      expect((await store.loadWindow('chat:r', 10)).turns[0]!.messages).toEqual(messages);
    });

    it('keeps sessions apart', async () => {
      await store.appendTurn('chat:a', turn(1000, 'for a'));
      await store.appendTurn('chat:b', turn(1000, 'for b'));
      expect(userTexts((await store.loadWindow('chat:a', 10)).turns)).toEqual(['for a']);
    });

    it('orders turns by arrival even when they are stored out of order', async () => {
      await store.appendTurn('chat:1', turn(3000, 'third'));
      await store.appendTurn('chat:1', turn(1000, 'first'));
      await store.appendTurn('chat:1', turn(2000, 'second'));
      expect(userTexts((await store.loadWindow('chat:1', 10)).turns)).toEqual(['first', 'second', 'third']);
    });

    it('bounds the window and reports older unsummarized turns', async () => {
      for (let i = 1; i <= 6; i += 1) await store.appendTurn('chat:1', turn(i * 1000, `m${i}`));
      const window = await store.loadWindow('chat:1', 4);
      expect(userTexts(window.turns)).toEqual(['m3', 'm4', 'm5', 'm6']);
      expect(window.truncated).toBe(true);
    });

    it('does not report truncation when exactly maxTurns turns exist', async () => {
      for (let i = 1; i <= 4; i += 1) await store.appendTurn('chat:1', turn(i * 1000, `m${i}`));
      expect((await store.loadWindow('chat:1', 4)).truncated).toBe(false);
    });

    it('replaces the turns a summary covers, keeping the tail before the turn that carries it', async () => {
      const turns = [1, 2, 3, 4].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns) await store.appendTurn('chat:1', t);
      await store.appendTurn('chat:1', { ...turn(5000, 'm5'), summary: { text: 'm1 and m2 happened', coversThrough: turns[1]!.id } });
      await store.appendTurn('chat:1', turn(6000, 'm6'));
      const window = await store.loadWindow('chat:1', 10);
      expect(window.summary).toEqual({ text: 'm1 and m2 happened', coversThrough: turns[1]!.id });
      expect(userTexts(window.turns)).toEqual(['m3', 'm4', 'm5', 'm6']);
      expect(window.turns.every((t) => !('summary' in t))).toBe(true);
      expect(window.truncated).toBe(false);
    });

    it('stops at what the summary covers without reporting truncation when the window is exactly full', async () => {
      const turns = [1, 2, 3, 4].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns) await store.appendTurn('chat:1', t);
      await store.appendTurn('chat:1', { ...turn(5000, 'm5'), summary: { text: 'up to m2', coversThrough: turns[1]!.id } });
      const window = await store.loadWindow('chat:1', 3);
      expect(window.summary?.text).toBe('up to m2');
      expect(userTexts(window.turns)).toEqual(['m3', 'm4', 'm5']);
      expect(window.truncated).toBe(false);
    });

    it('reports truncation when turns the summary does not cover lie past the limit', async () => {
      const turns = [1, 2, 3, 4].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns) await store.appendTurn('chat:1', t);
      await store.appendTurn('chat:1', { ...turn(5000, 'm5'), summary: { text: 'up to m1', coversThrough: turns[0]!.id } });
      await store.appendTurn('chat:1', turn(6000, 'm6'));
      const window = await store.loadWindow('chat:1', 2);
      expect(window.summary?.text).toBe('up to m1');
      expect(userTexts(window.turns)).toEqual(['m5', 'm6']);
      expect(window.truncated).toBe(true);
    });

    it('uses the newest summary, which already merged the ones before it', async () => {
      const turns = [1, 2, 3, 4, 5].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns.slice(0, 3)) await store.appendTurn('chat:1', t);
      await store.appendTurn('chat:1', { ...turns[3]!, summary: { text: 'up to m1', coversThrough: turns[0]!.id } });
      await store.appendTurn('chat:1', { ...turns[4]!, summary: { text: 'up to m3', coversThrough: turns[2]!.id } });
      const window = await store.loadWindow('chat:1', 10);
      expect(window.summary?.text).toBe('up to m3');
      expect(userTexts(window.turns)).toEqual(['m4', 'm5']);
    });

    it('uses the summary covering most when a turn handled beside a compaction carries the older one after it', async () => {
      const turns = [1, 2, 3, 4].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns.slice(0, 2)) await store.appendTurn('chat:1', t);
      await store.appendTurn('chat:1', { ...turns[2]!, summary: { text: 'up to m1', coversThrough: turns[0]!.id } });
      await store.appendTurn('chat:1', turns[3]!);
      // /compress folds through m3; a message answered beside it, sorted after it, re-carries the older summary.
      await store.appendTurn('chat:1', { ...turn(5000, '/compress'), summary: { text: 'up to m3', coversThrough: turns[2]!.id } });
      await store.appendTurn('chat:1', { ...turn(6000, 'beside it'), summary: { text: 'up to m1', coversThrough: turns[0]!.id } });
      const window = await store.loadWindow('chat:1', 10);
      expect(window.summary?.text).toBe('up to m3');
      expect(userTexts(window.turns)).toEqual(['m4', '/compress', 'beside it']);
    });

    it('keeps a turn that arrives after the summary but sorts after what it covers', async () => {
      const turns = [1, 2, 3].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns) await store.appendTurn('chat:1', t);
      await store.appendTurn('chat:1', { ...turn(9000, 'm9'), summary: { text: 'up to m2', coversThrough: turns[1]!.id } });
      await store.appendTurn('chat:1', turn(2500, 'late, but newer than m2'));
      expect(userTexts((await store.loadWindow('chat:1', 10)).turns)).toEqual(['late, but newer than m2', 'm3', 'm9']);
    });

    it('drops a summary of turns before a reset, even when a turn after the reset carries it', async () => {
      const before = [1, 2].map((i) => turn(i * 1000, `old ${i}`));
      for (const t of before) await store.appendTurn('chat:1', t);
      await store.reset('chat:1', 3000);
      // Compacted from a window read before the reset was written: its summary covers only older turns.
      await store.appendTurn('chat:1', { ...turn(4000, 'raced /new'), summary: { text: 'old stuff', coversThrough: before[1]!.id } });
      await store.appendTurn('chat:1', turn(5000, 'fresh'));
      const window = await store.loadWindow('chat:1', 10);
      expect(window.summary).toBeUndefined();
      expect(userTexts(window.turns)).toEqual(['raced /new', 'fresh']);
    });

    it('hides the summary and everything before a reset', async () => {
      const first = turn(1000, 'm1');
      await store.appendTurn('chat:1', first);
      await store.appendTurn('chat:1', { ...turn(2000, 'm2'), summary: { text: 'up to m1', coversThrough: first.id } });
      await store.reset('chat:1', 3000);
      await store.appendTurn('chat:1', turn(4000, 'fresh'));
      expect(await store.loadWindow('chat:1', 10)).toEqual({ turns: [expect.objectContaining({ at: 4000 })], truncated: false });
    });

    it('starts an empty conversation after reset, and later turns after it', async () => {
      await store.appendTurn('chat:1', turn(1000, 'old'));
      await store.reset('chat:1', 2000);
      expect(await store.loadWindow('chat:1', 10)).toEqual({ turns: [], truncated: false });
      await store.appendTurn('chat:1', turn(3000, 'new'));
      expect(userTexts((await store.loadWindow('chat:1', 10)).turns)).toEqual(['new']);
    });

    it('loses no turn when 20 are appended concurrently to one session', async () => {
      const many = Array.from({ length: 20 }, (_, i) => turn(10_000 + i, `c${i}`));
      await Promise.all(many.map((t) => store.appendTurn('chat:busy', t)));
      const window = await store.loadWindow('chat:busy', 50);
      expect(userTexts(window.turns)).toEqual(many.map((t) => t.messages[0]!.content));
    });

    it('refuses a second turn with the same id and keeps the first', async () => {
      const first = turn(1000, 'original');
      await store.appendTurn('chat:dup', first);
      await expect(store.appendTurn('chat:dup', { ...first, messages: [{ role: 'user', content: 'again' }] })).rejects.toBeInstanceOf(DuplicateTurnError);
      expect(userTexts((await store.loadWindow('chat:dup', 5)).turns)).toEqual(['original']);
    });

    it('places a reset between the events before and after it within the same second', async () => {
      const at = 5_000;
      await store.appendTurn('chat:r', { ...turn(at, 'before'), id: turnId(at, '000000000010') });
      await store.reset('chat:r', at, '000000000011');
      await store.appendTurn('chat:r', { ...turn(at, 'after'), id: turnId(at, '000000000012') });
      expect(userTexts((await store.loadWindow('chat:r', 5)).turns)).toEqual(['after']);
    });

    it('finds a stored turn by id even where the window no longer reaches', async () => {
      const old = turn(1000, 'long ago');
      await store.appendTurn('chat:1', old);
      await store.appendTurn('chat:1', { ...turn(2000, 'later'), summary: { text: 'long ago', coversThrough: old.id } });
      expect(userTexts((await store.loadWindow('chat:1', 10)).turns)).toEqual(['later']);
      expect(await store.hasTurn('chat:1', old.id)).toBe(true);
      expect(await store.hasTurn('chat:1', turnId(1000))).toBe(false);
      expect(await store.hasTurn('chat:other', old.id)).toBe(false);
    });

    it('round-trips tool calls and results', async () => {
      const messages: ModelMessage[] = [
        { role: 'user', content: 'remind me' },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'cronjob', input: { action: 'list' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'cronjob', output: { type: 'json', value: { success: true, count: 0 } } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'none yet' }] },
      ];
      await store.appendTurn('chat:tools', { id: turnId(1000), at: 1000, messages });
      expect((await store.loadWindow('chat:tools', 5)).turns[0]!.messages).toEqual(messages);
    });

    it('removes the newest turn and returns it, one exchange per call', async () => {
      for (let i = 1; i <= 3; i += 1) await store.appendTurn('chat:undo', turn(i * 1000, `m${i}`));
      const removed = await store.removeLastTurn('chat:undo');
      expect(removed).toMatchObject({ at: 3000, messages: [{ role: 'user', content: 'm3' }, expect.anything()] });
      expect(userTexts((await store.loadWindow('chat:undo', 10)).turns)).toEqual(['m1', 'm2']);
      expect(userTexts([(await store.removeLastTurn('chat:undo'))!])).toEqual(['m2']);
      expect(userTexts((await store.loadWindow('chat:undo', 10)).turns)).toEqual(['m1']);
      expect(await store.hasTurn('chat:undo', removed!.id)).toBe(false);
      expect(await store.loadWindow('chat:other', 10)).toEqual({ turns: [], truncated: false });
    });

    it('removes nothing from an empty conversation or across a reset', async () => {
      expect(await store.removeLastTurn('chat:none')).toBeUndefined();
      const old = turn(1000, 'before the reset');
      await store.appendTurn('chat:r', old);
      await store.reset('chat:r', 2000);
      expect(await store.removeLastTurn('chat:r')).toBeUndefined();
      expect(await store.hasTurn('chat:r', old.id)).toBe(true);
    });

    it('shows the turns a removed summary covered again, losing none of them', async () => {
      const turns = [1, 2, 3].map((i) => turn(i * 1000, `m${i}`));
      for (const t of turns) await store.appendTurn('chat:s', t);
      await store.appendTurn('chat:s', { ...turn(4000, 'm4'), summary: { text: 'm1 and m2', coversThrough: turns[1]!.id } });
      expect(userTexts((await store.loadWindow('chat:s', 10)).turns)).toEqual(['m3', 'm4']);
      expect((await store.removeLastTurn('chat:s'))?.summary).toEqual({ text: 'm1 and m2', coversThrough: turns[1]!.id });
      const window = await store.loadWindow('chat:s', 10);
      expect(window.summary).toBeUndefined();
      expect(userTexts(window.turns)).toEqual(['m1', 'm2', 'm3']);
    });

    it('keeps settings per session, across a reset, and apart from the window', async () => {
      expect(await store.loadSettings('chat:set')).toEqual({});
      await store.saveSettings('chat:set', { model: 'deepseek-reasoner' });
      await store.appendTurn('chat:set', turn(1000, 'hi'));
      await store.reset('chat:set', 2000);
      expect(await store.loadSettings('chat:set')).toEqual({ model: 'deepseek-reasoner' });
      expect(await store.loadSettings('chat:set2')).toEqual({});
      expect(await store.loadWindow('chat:set', 10)).toEqual({ turns: [], truncated: false });
      await store.saveSettings('chat:set', {});
      expect(await store.loadSettings('chat:set')).toEqual({});
    });

    it('handles session keys with colons, slashes and unicode', async () => {
      const key = 'tg:-100123:topic/7:ünï';
      await store.appendTurn(key, turn(1000, 'hi'));
      expect(userTexts((await store.loadWindow(key, 5)).turns)).toEqual(['hi']);
    });
  });
}
