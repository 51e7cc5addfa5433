import { describe, expect, it } from 'vitest';
import { createTools } from '../../tools/index.ts';
import { AGENT_TOOLSETS, isOfferedHere } from '../../tools/skill-relevance.ts';
import { makeToolHarness } from './harness.ts';

describe('which skills the index offers here (Hermes frontmatter gates)', () => {
  it.each([
    [{}, 'linux', true],
    [{ platforms: ['macos'] }, 'linux', false],
    [{ platforms: ['macos'] }, 'darwin', true],
    [{ platforms: ['macos', 'Linux'] }, 'linux', true],
    [{ platforms: 'windows' }, 'win32', true],
    [{ environments: ['kanban'] }, 'linux', false],
    [{ environments: ['s6', 'workstation'] }, 'linux', true],
    [{ metadata: { hermes: { requires_toolsets: ['terminal'] } } }, 'linux', false],
    [{ metadata: { hermes: { requires_toolsets: ['cronjob', 'memory'] } } }, 'linux', true],
    [{ metadata: { hermes: { requires_tools: ['browser_navigate'] } } }, 'linux', false],
    [{ metadata: { hermes: { requires_tools: ['skill_view'] } } }, 'linux', true],
    [{ metadata: { hermes: { fallback_for_toolsets: ['web'] } } }, 'linux', true],
    [{ metadata: { hermes: { fallback_for_toolsets: ['memory'] } } }, 'linux', false],
    [{ metadata: { hermes: { fallback_for_tools: ['cronjob'] } } }, 'linux', false],
    [{ metadata: 'not a mapping' }, 'linux', true],
  ])('%j on %s: offered %s', (frontmatter, platform, offered) => {
    expect(isOfferedHere(frontmatter as Record<string, unknown>, platform)).toBe(offered);
  });

  it("names every tool the agent has, so a skill's requires_tools is judged against the real set", async () => {
    const h = await makeToolHarness();
    try {
      const tools = Object.keys(createTools(h.deps, h.ctx)).toSorted();
      const named = Object.values(AGENT_TOOLSETS).flat().toSorted();
      expect(named).toEqual(tools);
    } finally {
      await h.cleanup();
    }
  });
});
