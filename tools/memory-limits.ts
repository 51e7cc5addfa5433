import type { MemoryLimits } from './ports/memory-store.ts';

/**
 * Hermes' default budgets, in characters as Python counts them: memory is the agent's notebook, user is the profile of
 * the person. Its config.yaml may set others (`memory.memory_char_limit`, `memory.user_char_limit`). A file of its own
 * because the configuration, read on the webhook's cold path, needs it without the memory tool.
 */
export const MEMORY_LIMITS: MemoryLimits = { memory: 2_200, user: 1_375 };
