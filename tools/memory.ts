import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { charCount } from './char-count.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { MemoryEntry, MemoryStore, MemoryTarget } from './ports/memory-store.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';
import { assertSafeText } from './injection-screen.ts';
import { heldBy } from './ports/locks.ts';
import { asToolResult } from './tool-result.ts';

/** Hermes' budgets, in characters as Python counts them: memory is the agent's notebook, user is the profile of the person. */
export const MEMORY_LIMITS: Record<MemoryTarget, number> = { memory: 2_200, user: 1_375 };
/** Entries are joined with a `§` line on disk and in the prompt, so the separator cannot appear inside one. */
const SEPARATOR_COST = 3;

export function usage(entries: MemoryEntry[], target: MemoryTarget): { used: number; limit: number; text: string } {
  const used = entries.reduce((sum, entry, index) => sum + charCount(entry.text) + (index > 0 ? SEPARATOR_COST : 0), 0);
  const limit = MEMORY_LIMITS[target];
  return { used, limit, text: `${Math.round((used / limit) * 100)}% — ${used.toLocaleString('en-US')}/${limit.toLocaleString('en-US')} chars` };
}

const input = z.object({
  action: z.enum(['add', 'replace', 'remove']),
  target: z.enum(['memory', 'user']).describe('"memory" for your own notes, "user" for facts about the user.'),
  content: z.string().optional().describe('The entry text, for add and replace.'),
  old_text: z.string().optional().describe('For replace and remove: a unique substring of the existing entry.'),
});

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(input);

export function memoryTool(deps: ToolDeps, ctx: ToolContext) {
  return tool({
    description:
      'Save durable memory that is shown to you at the start of every conversation. Keep entries short and factual. ' +
      'Actions: add (content), replace (old_text -> content), remove (old_text). Targets: memory (your notes), user (about the user).',
    inputSchema,
    // One change at a time per user and target: the budget and the duplicate check read what the others write.
    execute: (args) => asToolResult(() => heldBy(deps.locks, `memory:${ctx.userId}:${args.target}`, () => saveMemory(deps.memory, ctx.userId, args))),
  });
}

async function saveMemory(store: MemoryStore, userId: string, args: z.infer<typeof input>): Promise<object> {
  const { target } = args;
  const entries = await store.list(userId, target);
  switch (args.action) {
    case 'add': {
      const content = checkedContent(args.content);
      if (entries.some((entry) => entry.text === content)) {
        return { message: 'Already saved.', usage: usage(entries, target).text };
      }
      const after = [...entries, { id: '', target, text: content }];
      assertWithinLimit(after, target, entries);
      await store.add(userId, target, content);
      return { message: `Saved to ${target}.`, usage: usage(after, target).text };
    }
    case 'replace': {
      const content = checkedContent(args.content);
      const [match, ...copies] = matchingEntries(entries, args.old_text, target);
      const gone = new Set(copies.map((copy) => copy.id));
      if (entries.some((entry) => entry.id !== match!.id && !gone.has(entry.id) && entry.text === content)) {
        throw new ValidationError(`Another ${target} entry already says exactly that; remove this entry instead of replacing it.`);
      }
      const after = entries.filter((entry) => !gone.has(entry.id)).map((entry) => (entry.id === match!.id ? { ...entry, text: content } : entry));
      assertWithinLimit(after, target, entries);
      await store.replace(userId, { target, id: match!.id, text: content });
      for (const copy of copies) await store.remove(userId, target, copy.id);
      return { message: `Replaced entry in ${target}.`, usage: usage(after, target).text };
    }
    case 'remove': {
      const matches = matchingEntries(entries, args.old_text, target);
      for (const match of matches) await store.remove(userId, target, match.id);
      const gone = new Set(matches.map((match) => match.id));
      return { message: `Removed entry from ${target}.`, usage: usage(entries.filter((entry) => !gone.has(entry.id)), target).text };
    }
  }
}

function checkedContent(content: string | undefined): string {
  const text = content?.trim();
  if (!text) throw new ValidationError('content is required and may not be empty.');
  if (/^§$/m.test(text)) throw new ValidationError('content may not contain a line holding only "§" (the entry separator).');
  assertSafeText(text, 'The memory entry');
  return text;
}

/**
 * The entry `old_text` names, with any copies of it: entries of the same text are one entry to the user, as Hermes
 * treats exact duplicates (no quote could tell them apart). Distinct entries that both match need a longer quote.
 */
function matchingEntries(entries: MemoryEntry[], oldText: string | undefined, target: MemoryTarget): [MemoryEntry, ...MemoryEntry[]] {
  if (!oldText?.trim()) throw new ValidationError('old_text is required: a unique part of the entry to change.');
  const matches = entries.filter((entry) => entry.text.includes(oldText.trim()));
  const [first, ...rest] = matches;
  if (!first) throw new NotFoundError(`No ${target} entry contains "${oldText}".`);
  if (rest.some((entry) => entry.text !== first.text)) {
    throw new ValidationError(`"${oldText}" matches ${new Set(matches.map((entry) => entry.text)).size} ${target} entries; quote more of the one you mean.`);
  }
  return [first, ...rest];
}

function assertWithinLimit(after: MemoryEntry[], target: MemoryTarget, before: MemoryEntry[]): void {
  const { used, limit } = usage(after, target);
  if (used > limit) {
    throw new ValidationError(
      `${target} would hold ${used}/${limit} chars (now ${usage(before, target).text}). Replace or remove older entries first, or shorten this one.`,
    );
  }
}
