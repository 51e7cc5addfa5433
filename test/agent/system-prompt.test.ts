import { describe, expect, it } from 'vitest';
import { buildSystemPrompt } from '../../agent/system-prompt.ts';

const skills = Array.from({ length: 300 }, (_, index) => ({
  name: `skill-${index}`,
  description: `Does task number ${index}. `.repeat(40).trim(),
  dir: `skill-${index}/`,
}));
const base = { now: new Date('2026-01-01T00:00:00Z'), timezone: 'UTC', memory: { memory: [], user: [] } };

describe('the skills index in the system prompt', () => {
  it('stops at its budget and points to skills_list for the rest', () => {
    const prompt = buildSystemPrompt({ ...base, skills, skillsIndexChars: 8_000 });
    const index = prompt.slice(prompt.indexOf('## Skills'));
    expect(index.length).toBeLessThan(8_000 + 300);
    const listed = index.split('\n').filter((line) => line.startsWith('- skill-')).length;
    expect(listed).toBeGreaterThan(0);
    expect(index).toContain(`(${300 - listed} more skills not listed here: call skills_list to see every skill, then skill_view to load one.)`);
  });

  it('lists every skill while they fit', () => {
    const prompt = buildSystemPrompt({ ...base, skills: skills.slice(0, 3), skillsIndexChars: 8_000 });
    expect(prompt.split('\n').filter((line) => line.startsWith('- skill-'))).toHaveLength(3);
    expect(prompt).not.toContain('more skill');
  });
});
