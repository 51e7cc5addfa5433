import type { MemoryEntry, MemoryTarget } from './ports/memory-store.ts';
import { usage } from '../tools/memory.ts';
import type { SkillSummary } from '../tools/skill-library.ts';

export const DEFAULT_PERSONA =
  'You are Hermes, a personal assistant in a Telegram chat. Be concise and concrete. ' +
  'Use your tools: schedule reminders and recurring tasks with cronjob, keep durable facts with memory, ' +
  'recall older facts with memory_recall, and follow or create skills for repeatable procedures.';

const RULE = '═'.repeat(46);
const HEADERS: Record<MemoryTarget, string> = {
  memory: 'MEMORY (your personal notes)',
  user: 'USER PROFILE (who the user is)',
};

export interface PromptParts {
  persona?: string;
  now: Date;
  timezone: string;
  memory: Record<MemoryTarget, MemoryEntry[]>;
  skills: SkillSummary[];
  /** The skills index stops at this many characters; skills_list shows the rest. */
  skillsIndexChars?: number;
  summary?: string;
}

/** Persona, then the memory snapshot and skills index (bodies load through skill_view), then the summary of older turns. */
export function buildSystemPrompt(parts: PromptParts): string {
  const sections = [parts.persona ?? DEFAULT_PERSONA, `Current time: ${parts.now.toISOString()} (user time zone: ${parts.timezone}).`];
  for (const target of ['memory', 'user'] as const) {
    const entries = parts.memory[target];
    if (entries.length === 0) continue;
    const figure = usage(entries, target);
    const over = figure.used > figure.limit ? ' ⚠ OVER BUDGET' : '';
    sections.push(`${RULE}\n${HEADERS[target]} [${figure.text}]${over}\n${RULE}\n${entries.map((entry) => entry.text).join('\n§\n')}`);
  }
  if (parts.skills.length > 0) {
    const lines = parts.skills.map((skill) => `- ${skill.name}${skill.category ? ` [${skill.category}]` : ''}: ${skill.description}`);
    sections.push(`## Skills\nBefore a task that matches a skill, load it with skill_view(name) and follow it.\n${withinBudget(lines, parts.skillsIndexChars)}`);
  }
  if (parts.summary) {
    sections.push(`## Earlier in this conversation (summary)\n${parts.summary}`);
  }
  return sections.join('\n\n');
}

/**
 * Every skill's description enters every prompt, so the index has a budget: 300 skills would otherwise make a
 * system prompt of tens of thousands of tokens. The skills past it are named by count, for skills_list to show.
 */
function withinBudget(lines: string[], budget = Number.POSITIVE_INFINITY): string {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  const rest = lines.length - kept.length;
  if (rest === 0) return kept.join('\n');
  return [...kept, `(${rest} more skill${rest === 1 ? '' : 's'} not listed here: call skills_list to see every skill, then skill_view to load one.)`].join('\n');
}
