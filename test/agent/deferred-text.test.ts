import { afterEach, describe, expect, it } from 'vitest';
import { runTurn } from '../../agent/agent-loop.ts';
import { ANSWERED_WITH_NEXT, storeDeferredText, textsAnsweredWithNext } from '../../agent/deferred-text.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel } from '../stand-ins/mock-model.ts';

describe('texts answered with the next one', () => {
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  afterEach(() => cleanup?.());

  it('are stored once, with the note as their answer, and the answering turn records them for recall too', async () => {
    ({ runtime, cleanup } = await makeLocalRuntime({ model: echoModel() }));
    const at = Date.parse('2026-12-02T10:00:00Z');
    const deferred = { sessionKey: 'tg:5151', text: 'I am allergic to penicillin', receivedAt: at, eventId: '000000000001' };
    expect(await storeDeferredText(runtime.sessions, deferred)).toBe(true);
    expect(await storeDeferredText(runtime.sessions, deferred)).toBe(false);
    const { turns } = await runtime.sessions.loadWindow('tg:5151', 20);
    expect(textsAnsweredWithNext(turns)).toEqual(['I am allergic to penicillin']);
    expect(turns[0]!.messages).toEqual([
      { role: 'user', content: 'I am allergic to penicillin' },
      { role: 'assistant', content: ANSWERED_WITH_NEXT },
    ]);

    await runTurn(runtime, { sessionKey: 'tg:5151', userId: '51', delivery: { chatId: 5151, userId: '51' }, text: 'what can I take for a headache?', receivedAt: at + 500, eventId: '000000000002' });
    const recalled = await runtime.memory.search('51', 'penicillin', 5);
    expect(recalled.map((hit) => hit.text)).toEqual([expect.stringContaining('user: I am allergic to penicillin\nwhat can I take for a headache?')]);
  });
});
