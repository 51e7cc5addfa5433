import type { MemoryEntry, MemoryLimits, MemoryTarget } from '../tools/ports/memory-store.ts';
import { usage } from '../tools/memory.ts';
import { screenText } from '../tools/injection-screen.ts';
import { sliceWhole } from '../tools/char-count.ts';
import type { SkillSummary } from '../tools/skill-library.ts';

export const DEFAULT_PERSONA =
  'You are Hermes, a personal assistant in a Telegram chat. Be concise and concrete, and answer in the language the ' +
  'user writes in.';

/**
 * How to use the tools well, written for this agent after Hermes' own guidance. It sits right after the persona
 * and never changes, so it is part of the prefix providers cache.
 */
export const TOOL_GUIDANCE = `## How to work
- Memory: save with memory(add) what will still matter in later conversations: the user's preferences, facts about
  their life and work, corrections they give you, and conventions you agreed on ("user" for who they are, "memory"
  for your own notes). Do not save one-off task details, what is already in a skill, secrets such as passwords or
  keys, or anything the user asks you to forget. Keep entries short and replace outdated ones instead of adding.
- Recall: when the user refers to something from an earlier conversation that is not in this chat, search with
  memory_recall before saying you do not know.
- Skills: before a task that matches a skill below, load it with skill_view and follow it. After finishing a
  non-trivial task the user will likely repeat (several steps, a fixed format, a procedure you had to work out),
  offer to save it as a skill, or patch the skill you used when it turned out wrong or incomplete.
- Scheduling: cronjob runs its prompt later in a fresh turn that sees none of this conversation, so write the prompt
  self-contained: what to do, for whom, with every detail needed ("Remind the user to call Anna about the lease"),
  never "do what we discussed". Use one-time schedules for reminders and set repeat when a series should end.
- Time: each user message starts with the time it was sent, in the user's time zone. Resolve "tomorrow", "in an
  hour" and weekdays from the newest one.`;

const RULE = '═'.repeat(46);
const HEADERS: Record<MemoryTarget, string> = {
  memory: 'MEMORY (your personal notes)',
  user: 'USER PROFILE (who the user is)',
};

export interface PromptParts {
  persona?: string;
  timezone: string;
  memory: Record<MemoryTarget, MemoryEntry[]>;
  /** The notebooks' budgets, for their usage figures; Hermes' defaults when absent. */
  memoryLimits?: MemoryLimits;
  skills: Array<Pick<SkillSummary, 'name' | 'description' | 'category'>>;
  /** The skills index stops at this many characters; skills_list shows the rest. */
  skillsIndexChars?: number;
  summary?: string;
  /** Parts whose store could not be read for this turn: the model is told, so it does not take them for empty. */
  unreadable?: UnreadablePart[];
}

export type UnreadablePart = 'memory' | 'skills';

const UNREADABLE_NOTES: Record<UnreadablePart, string> = {
  memory: 'Your memory notes and the user profile could not be read for this answer. Do not say you have none; if one matters, say you cannot reach your notes just now.',
  skills: 'The skills index could not be read for this answer; skills_list and skill_view may still work.',
};

/**
 * Stable parts first, so consecutive requests share the longest prefix providers can cache: persona and guidance
 * (never change), the memory snapshot (changes when memory does), the skills index, then the summary of older
 * turns (changes at each compaction). The current time is not here: it travels with each user message.
 */
export function buildSystemPrompt(parts: PromptParts): string {
  const sections = [parts.persona ?? DEFAULT_PERSONA, TOOL_GUIDANCE, `The user's time zone is ${parts.timezone}.`];
  for (const target of ['memory', 'user'] as const) {
    const entries = parts.memory[target];
    if (entries.length === 0) continue;
    const figure = usage(entries, target, parts.memoryLimits);
    const over = figure.used > figure.limit ? ' ⚠ OVER BUDGET' : '';
    sections.push(`${RULE}\n${HEADERS[target]} [${figure.text}]${over}\n${RULE}\n${shownEntries(entries, figure.limit)}`);
  }
  if (parts.skills.length > 0) {
    const lines = parts.skills.map((skill) => `- ${skill.name}${skill.category ? ` [${skill.category}]` : ''}: ${skill.description}`);
    sections.push(`## Skills\nBefore a task that matches a skill, load it with skill_view(name) and follow it.\n${withinBudget(lines, parts.skillsIndexChars)}`);
  }
  if (parts.summary) {
    sections.push(`## Earlier in this conversation (summary)\n${parts.summary}`);
  }
  if (parts.unreadable?.length) sections.push(`## Not available just now\n${parts.unreadable.map((part) => `- ${UNREADABLE_NOTES[part]}`).join('\n')}`);
  return sections.join('\n\n');
}

/**
 * The notebook as the model reads it. Entries reach the files and AgentCore by other ways than the memory tool (a hand
 * edit, classic Hermes sharing HERMES_HOME, an older version), so each is screened again here, as Hermes screens its
 * snapshot: one that carries instructions aimed at the model or hidden characters is replaced by a note. The
 * screen's narrower strength serves here, not the one a new entry meets, so facts saved under earlier rules stay in
 * view. A notebook far over its limit is cut at twice the limit (at least 4,000 characters, Hermes' bound), so a
 * 100 KB file cannot ride along with every message.
 */
function shownEntries(entries: MemoryEntry[], limit: number): string {
  const block = entries.map(({ text }) => (screenText(text, 'directives') === undefined ? text : blockedNote(text))).join('\n§\n');
  const bound = Math.max(2 * limit, 4_000);
  if (block.length <= bound) return block;
  return `${sliceWhole(block, bound)}\n[… ${(block.length - bound).toLocaleString('en-US')} more characters not shown: far over the limit. Tell the user; replace or remove entries to bring it back under.]`;
}

function blockedNote(text: string): string {
  const start = sliceWhole(text.replace(/\s+/g, ' ').trim(), 16);
  return `[BLOCKED: the entry starting "${start}" reads like instructions to the assistant or hides text, so it is not shown. memory(remove) with that start as old_text deletes it.]`;
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
