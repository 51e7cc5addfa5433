import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTurn, type TurnInput } from '../../agent/agent-loop.ts';
import type { Exchange } from '../../tools/ports/memory-store.ts';
import type { Runtime } from '../../agent/runtime.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { echoModel } from '../stand-ins/mock-model.ts';

const input = (text: string, deliver: TurnInput['deliver']): TurnInput => ({
  sessionKey: 'tg:9',
  userId: '77',
  delivery: { chatId: 9, userId: '77' },
  text,
  receivedAt: Date.now(),
  ...(deliver ? { deliver } : {}),
});

/** Holds recordExchange until released, as a slow memory service (AgentCore CreateEvent) would. */
function gateRecording(runtime: Runtime): { release: () => void; recorded: Exchange[] } {
  const recorded: Exchange[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const record = runtime.memory.recordExchange.bind(runtime.memory);
  runtime.memory.recordExchange = async (userId, exchange) => {
    await gate;
    await record(userId, exchange);
    recorded.push(exchange);
  };
  return { release, recorded };
}

describe('delivering the answer', () => {
  let runtime: Runtime;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ runtime, cleanup } = await makeLocalRuntime({ model: echoModel() }));
  });
  afterEach(() => cleanup());

  it('sends the answer only once the turn is stored', async () => {
    let storedAtDelivery: number | undefined;
    await runTurn(
      runtime,
      input('hello', async () => {
        storedAtDelivery = (await runtime.sessions.loadWindow('tg:9', 5)).turns.length;
      }),
    );
    expect(storedAtDelivery).toBe(1);
  });

  it('does not hold the reply for the memory service, yet ends the turn only after recording', async () => {
    const gate = gateRecording(runtime);
    const delivered: string[] = [];
    let settled = false;
    const turn = runTurn(runtime, input('hello', async (answer) => void delivered.push(answer))).then(() => (settled = true));

    await expect.poll(() => delivered).toEqual(['ok']);
    expect(settled).toBe(false);
    expect(gate.recorded).toHaveLength(0);

    gate.release();
    await turn;
    expect(gate.recorded.map((exchange) => exchange.assistantText)).toEqual(['ok']);
  });

  it('reports a failed delivery after recording finished, with the turn kept', async () => {
    const gate = gateRecording(runtime);
    const turn = runTurn(
      runtime,
      input('hello', async () => {
        throw new Error('Bot API down');
      }),
    );
    let failed = false;
    turn.catch(() => (failed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(failed).toBe(false);

    gate.release();
    await expect(turn).rejects.toThrow('Bot API down');
    expect(gate.recorded).toHaveLength(1);
    expect((await runtime.sessions.loadWindow('tg:9', 5)).turns).toHaveLength(1);
  });

  it('without a deliver callback, returns the answer after recording it', async () => {
    const gate = gateRecording(runtime);
    const turn = runTurn(runtime, input('hello', undefined));
    gate.release();
    expect((await turn).text).toBe('ok');
    expect(gate.recorded).toHaveLength(1);
  });
});
