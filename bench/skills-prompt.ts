import { runTurn } from '../agent/agent-loop.ts';
import { loadConfig } from '../agent/config.ts';
import { silentLogger } from '../agent/logger.ts';
import { createRuntime } from '../agent/runtime.ts';
import { makeTempDir } from '../test/stand-ins/temp-dir.ts';
import { instantModel } from '../test/stand-ins/instant-model.ts';
import type { BenchRow } from './table.ts';

const SKILLS = 300;
/** Near the 1,024-character limit, like the descriptions of the review that found a 77 k-token prompt. */
const DESCRIPTION = 'Walks through the steps of a recurring household or work procedure, with the checks to make, the order to do them in, and what to tell the user at the end. '.repeat(6).trim();
/** A rough English average; the row reports characters, which every provider tokenizes a little differently. */
const CHARS_PER_TOKEN = 4;

/**
 * The system prompt of one turn with 300 skills in the store, as the model receives it: through the real loop and
 * skill library, with the skills index budget at its default and, for comparison, with no budget.
 */
export async function measureSkillsPrompt(): Promise<BenchRow[]> {
  const bounded = await systemPromptChars({});
  const unbounded = await systemPromptChars({ HERMES_SKILLS_INDEX_CHARS: '100000000' });
  const budget = loadConfig({}).limits.skillsIndexChars;
  const tokens = (chars: number) => Math.round(chars / CHARS_PER_TOKEN).toLocaleString('en-US');
  return [
    {
      metric: `system prompt, ${SKILLS} skills`,
      value: `${bounded.toLocaleString('en-US')} chars (~${tokens(bounded)} tokens)`,
      target: `skills index <= ${budget.toLocaleString('en-US')} chars + fixed part`,
      pass: bounded <= budget + 2_000,
      data: { chars: bounded, budget },
    },
    { metric: `system prompt, ${SKILLS} skills, no budget`, value: `${unbounded.toLocaleString('en-US')} chars (~${tokens(unbounded)} tokens)`, target: '', data: { chars: unbounded } },
  ];
}

async function systemPromptChars(env: Record<string, string>): Promise<number> {
  const home = await makeTempDir('hermes-bench-skills-');
  try {
    const model = instantModel({ keepPrompts: true });
    const runtime = await createRuntime(loadConfig({ HERMES_HOME: home.path, DEEPSEEK_API_KEY: 'sk-bench', ...env }), { log: silentLogger, model: model.model });
    for (let index = 0; index < SKILLS; index++) {
      const name = `procedure-${String(index).padStart(3, '0')}`;
      await runtime.skills.store.writeFile(`${name}/SKILL.md`, `---\nname: ${name}\ndescription: ${DESCRIPTION}\n---\nStep one.\n`);
    }
    runtime.skills.invalidate();
    await runTurn(runtime, { sessionKey: 'bench:skills', userId: '1', delivery: { chatId: 1, userId: '1' }, text: 'hello', receivedAt: Date.now() });
    const system = model.chatRequests[0]!.prompt.find((message) => message.role === 'system');
    return typeof system?.content === 'string' ? system.content.length : 0;
  } finally {
    await home.remove();
  }
}
