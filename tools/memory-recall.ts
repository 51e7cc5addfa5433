import { tool, zodSchema } from 'ai';
import { z } from 'zod';
import { ValidationError } from './errors.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';
import { asToolResult } from './tool-result.ts';

/** Converted to JSON Schema once per process instead of on every model call. */
const inputSchema = zodSchema(
  z.object({
    query: z.string().max(500).describe('What to look for.'),
    limit: z.number().int().min(1).max(20).optional().describe('How many results, default 5.'),
  }),
);

export function memoryRecallTool(deps: ToolDeps, ctx: ToolContext) {
  return tool({
    description: "Search this user's long-term memory (your notes and facts about the user) for entries related to a query.",
    inputSchema,
    execute: ({ query, limit }) =>
      asToolResult(async () => {
        if (!query.trim()) throw new ValidationError('query may not be empty.');
        const hits = await deps.memory.search(ctx.userId, query.trim(), limit ?? 5);
        return {
          count: hits.length,
          results: hits.map((hit) => ({ target: hit.target, text: hit.text, score: Math.round(hit.score * 100) / 100 })),
        };
      }, { tool: 'memory_recall', log: deps.log }),
  });
}
