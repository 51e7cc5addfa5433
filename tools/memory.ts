import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { charCount } from './char-count.ts';
import { HermesError, NotFoundError, StoreError, ValidationError } from './errors.ts';
import type { MemoryEntry, MemoryLimits, MemoryStore, MemoryTarget } from './ports/memory-store.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';
import { assertSafeText } from './injection-screen.ts';
import { heldBy } from './ports/locks.ts';
import { asToolResult } from './tool-result.ts';
import { MEMORY_LIMITS } from './memory-limits.ts';


/** Entries are joined with a `§` line on disk and in the prompt, so the separator cannot appear inside one. */
const SEPARATOR_COST = 3;

export function usage(entries: MemoryEntry[], target: MemoryTarget, limits: MemoryLimits = MEMORY_LIMITS): { used: number; limit: number; text: string } {
  const used = entries.reduce((sum, entry, index) => sum + charCount(entry.text) + (index > 0 ? SEPARATOR_COST : 0), 0);
  const limit = limits[target];
  return { used, limit, text: `${Math.round((used / limit) * 100)}% — ${used.toLocaleString('en-US')}/${limit.toLocaleString('en-US')} chars` };
}

const operation = {
  action: z.enum(['add', 'replace', 'remove']),
  content: z.string().optional().describe('The entry text, for add and replace: for replace, the whole new entry.'),
  new_text: z.string().optional().describe('Hermes\' other name for content.'),
  old_text: z.string().optional().describe('For replace and remove: a unique substring of the existing entry.'),
};

const operationSchema = z.object(operation);
type Operation = z.infer<typeof operationSchema>;

const MAX_OPERATIONS = 20;

const input = z.object({
  action: operation.action.optional().describe('The one change to make; omit it when giving operations.'),
  target: z.enum(['memory', 'user']).describe('"memory" for your own notes, "user" for facts about the user.'),
  content: operation.content,
  new_text: operation.new_text,
  old_text: operation.old_text,
  operations: z
    .array(operationSchema)
    .min(1)
    .max(MAX_OPERATIONS)
    .optional()
    .describe('Several changes in one call, in order; the budget is checked on the result, so stale entries can make room for new ones.'),
});

type MemoryArgs = z.infer<typeof input>;

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(input);

export function memoryTool(deps: ToolDeps, ctx: ToolContext) {
  return tool({
    description:
      'Save durable memory that is shown to you at the start of every conversation. Keep entries short and factual. ' +
      'Actions: add (content), replace (old_text -> content), remove (old_text); several changes go in one call as operations. ' +
      'Targets: memory (your notes), user (about the user).',
    inputSchema,
    // One change at a time per user and target: the budget and the duplicate check read what the others write.
    execute: (args) =>
      asToolResult(() => heldBy(deps.locks, `memory:${ctx.userId}:${args.target}`, () => saveMemory(deps.memory, ctx.userId, { args, limits: deps.config?.memoryLimits ?? MEMORY_LIMITS })), {
        tool: 'memory',
        log: deps.log,
      }),
  });
}

/** The entries as they will be, and what the store must do to get there. */
interface Plan {
  entries: MemoryEntry[];
  added: Set<string>;
  messages: string[];
}

async function saveMemory(store: MemoryStore, userId: string, { args, limits }: { args: MemoryArgs; limits: MemoryLimits }): Promise<object> {
  const { target } = args;
  const operations = operationsOf(args);
  const before = await store.list(userId, target);
  let plan: Plan = { entries: before, added: new Set(), messages: [] };
  for (const [index, op] of operations.entries()) {
    try {
      plan = planned(plan, op, { target, limit: limits[target] });
    } catch (error) {
      if (operations.length === 1 || !(error instanceof HermesError)) throw error;
      // Nothing is written when one change of the batch fails, so the model can send the whole batch again, fixed.
      throw new ValidationError(`Operation ${index + 1} (${op.action}): ${error.message} Nothing was changed.`);
    }
  }
  if (plan.entries === before) return { message: plan.messages.join(' '), usage: usage(before, target, limits).text };
  assertWithinLimit({ after: plan.entries, before, target, limits });
  await applyPlan(store, userId, { target, before, plan });
  const message = operations.length === 1 ? plan.messages[0]! : `Applied ${operations.length} changes to ${target}.`;
  return { message, usage: usage(plan.entries, target, limits).text };
}

/** One change, or Hermes' batch; a batch's changes are all planned before any is written. */
function operationsOf(args: MemoryArgs): Operation[] {
  if (args.operations) {
    if (args.action !== undefined) throw new ValidationError('Give either action (one change) or operations (several), not both.');
    return args.operations;
  }
  if (args.action === undefined) throw new ValidationError('action is required (add, replace or remove), or operations for several changes.');
  return [{ action: args.action, content: args.content, new_text: args.new_text, old_text: args.old_text }];
}

function planned(plan: Plan, op: Operation, { target, limit }: { target: MemoryTarget; limit: number }): Plan {
  const { entries } = plan;
  switch (op.action) {
    case 'add': {
      const content = checkedContent(op.content ?? op.new_text);
      if (entries.some((entry) => entry.text === content)) return { ...plan, messages: [...plan.messages, 'Already saved.'] };
      const id = `new:${plan.added.size}`;
      return { entries: [...entries, { id, target, text: content }], added: new Set([...plan.added, id]), messages: [...plan.messages, `Saved to ${target}.`] };
    }
    case 'replace': {
      const content = checkedContent(op.content ?? op.new_text);
      const [match, ...copies] = matchingEntries(entries, op.old_text, target);
      // No entry the tool writes can be this long: it was written by hand (notes pasted under an entry with no "§"
      // line between), and the model, which replaces a whole entry, would lose them (Hermes refuses such a change too).
      if (charCount(match.text) > limit) {
        throw new ValidationError(
          `That ${target} entry is ${charCount(match.text)} characters, more than the whole notebook may hold (${limit}): it was written by hand, and replacing it would lose what else it says. Tell the user it needs tidying by hand, or remove it if they agree it can go.`,
        );
      }
      const gone = new Set(copies.map((copy) => copy.id));
      if (entries.some((entry) => entry.id !== match.id && !gone.has(entry.id) && entry.text === content)) {
        throw new ValidationError(`Another ${target} entry already says exactly that; remove this entry instead of replacing it.`);
      }
      const after = entries.filter((entry) => !gone.has(entry.id)).map((entry) => (entry.id === match.id ? { ...entry, text: content } : entry));
      return { ...plan, entries: after, messages: [...plan.messages, `Replaced entry in ${target}.`] };
    }
    case 'remove': {
      const gone = new Set(matchingEntries(entries, op.old_text, target).map((match) => match.id));
      return { ...plan, entries: entries.filter((entry) => !gone.has(entry.id)), messages: [...plan.messages, `Removed entry from ${target}.`] };
    }
  }
}

/**
 * Removals first, so what a batch frees is free before its additions are written; then changed texts, then new
 * entries. A store writes one entry at a time, so a failure part-way leaves the writes before it done: the error
 * then counts them, so the model does not send a batch again as if nothing had happened.
 */
async function applyPlan(store: MemoryStore, userId: string, { target, before, plan }: { target: MemoryTarget; before: MemoryEntry[]; plan: Plan }): Promise<void> {
  const after = new Map(plan.entries.map((entry) => [entry.id, entry.text]));
  const writes = [
    ...before.filter((entry) => !after.has(entry.id)).map((entry) => () => store.remove(userId, target, entry.id)),
    ...before.flatMap((entry) => {
      const text = after.get(entry.id);
      return text !== undefined && text !== entry.text ? [() => store.replace(userId, { target, id: entry.id, text })] : [];
    }),
    ...plan.entries.filter((entry) => plan.added.has(entry.id)).map((entry) => () => store.add(userId, target, entry.text)),
  ];
  for (const [done, write] of writes.entries()) {
    try {
      await write();
    } catch (error) {
      // Nothing written yet: the store's own error, and trying again is safe.
      if (done === 0) throw error;
      throw new StoreError(
        `The memory store failed part-way: ${done} of ${writes.length} writes were made, the rest not, so do not send the same change again. ` +
          'Tell the user the memory is only partly updated; the notebook shown with their next message is what it holds.',
        { cause: error },
      );
    }
  }
}

function checkedContent(content: string | undefined): string {
  const text = content?.trim();
  if (!text) throw new ValidationError('content is required and may not be empty.');
  if (/^§$/m.test(text)) throw new ValidationError('content may not contain a line holding only "§" (the entry separator).');
  assertSafeText(text, 'The memory entry', 'memory');
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

/**
 * A change may not take the notebook past its limit; one over it already (written by hand, or by a Hermes with a larger
 * limit) may still lose or shorten entries on the way back, as Hermes lets it.
 */
function assertWithinLimit({ after, before, target, limits }: { after: MemoryEntry[]; before: MemoryEntry[]; target: MemoryTarget; limits: MemoryLimits }): void {
  const { used, limit } = usage(after, target, limits);
  if (used > limit && used > usage(before, target, limits).used) {
    throw new ValidationError(
      `${target} would hold ${used}/${limit} chars (now ${usage(before, target, limits).text}). Replace or remove older entries first, or shorten this one.`,
    );
  }
}
