import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/stand-ins/temp-dir.ts';
import { loadScenario } from '../load-scenarios.ts';
import { withRecordedExchanges, writeRecordedScenario } from './rewrite-scenario.ts';

const scenario = {
  name: 'two-steps',
  description: 'A step with exchanges, then a step without.',
  steps: [
    {
      message: { text: 'hi', userId: 77 },
      exchanges: [{ requestContains: ['hi'], response: { old: 1 } }],
      expect: { replies: { texts: ['old answer'] } },
    },
    { message: { text: '/new', userId: 77 }, expect: { replies: { count: 1 } } },
  ],
};

describe('rewriting a scenario with recorded exchanges', () => {
  let dir: { path: string; remove: () => Promise<void> } | undefined;
  afterEach(async () => dir?.remove());

  it('replaces the exchanges of recorded steps in place and leaves everything else as written', () => {
    const recorded = [{ requestContains: ['hi'], response: { fresh: 1 } }, { response: { fresh: 2 } }];
    const rewritten = withRecordedExchanges(scenario, [recorded]);
    expect(rewritten).toEqual({ ...scenario, steps: [{ ...scenario.steps[0], exchanges: recorded }, scenario.steps[1]] });
    expect(Object.keys((rewritten.steps as object[])[0]!)).toEqual(['message', 'exchanges', 'expect']);
    expect(scenario.steps[0]!.exchanges).toEqual([{ requestContains: ['hi'], response: { old: 1 } }]);
  });

  it('gives a step that had no exchanges its recorded ones just before its expectations', () => {
    const rewritten = withRecordedExchanges(scenario, [undefined, [{ response: { fresh: 3 } }]]);
    const second = (rewritten.steps as Array<Record<string, unknown>>)[1]!;
    expect(Object.keys(second)).toEqual(['message', 'exchanges', 'expect']);
    expect(second.exchanges).toEqual([{ response: { fresh: 3 } }]);
  });

  it('refuses recordings for steps the scenario does not have', () => {
    expect(() => withRecordedExchanges(scenario, [[], [], []])).toThrow(/3 steps but the scenario has 2/);
    expect(() => withRecordedExchanges({ name: 'x' }, [])).toThrow(/no steps/);
  });

  it('writes a file that still loads as a valid scenario', async () => {
    dir = await makeTempDir('hermes-evals-');
    const path = join(dir.path, 'two-steps.json');
    await writeFile(path, JSON.stringify(scenario));
    await writeRecordedScenario(path, [[{ requestContains: ['hi'], response: { id: 'chatcmpl-real' } }], []]);
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    const { scenario: loaded } = await loadScenario(path);
    expect(loaded.steps.map((step) => step.exchanges)).toEqual([[{ requestContains: ['hi'], response: { id: 'chatcmpl-real' } }], []]);
    expect(loaded.steps[0]!.expect.replies).toEqual({ texts: ['old answer'] });
  });
});
