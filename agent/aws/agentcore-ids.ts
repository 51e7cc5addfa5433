import { createHash } from 'node:crypto';

const ACTOR_ID_LIMIT = 255;
const SESSION_ID_LIMIT = 100;
const HASH_LENGTH = 12;
/**
 * One alphabet for both ids: AgentCore's session id pattern, which its actor id pattern also accepts. Actor ids
 * could hold `/` and `:` too, but the actor id becomes a namespace segment (`/users/{actorId}/`), and a `/` in it
 * would let one user's prefix cover another user's records.
 */
const SAFE_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;

/** `tg:42` → `tg_42-<hash>`: readable in the console, and distinct ids stay distinct. */
export function actorIdFor(userId: string): string {
  return safeId(userId, ACTOR_ID_LIMIT);
}

export function sessionIdFor(sessionKey: string): string {
  return safeId(sessionKey, SESSION_ID_LIMIT);
}

/**
 * Ids that already fit pass unchanged. Any other id has its disallowed characters replaced, is shortened to fit,
 * and gets a hash of the original, so two ids that differ only in replaced or cut characters never collide.
 */
function safeId(raw: string, limit: number): string {
  if (SAFE_ID.test(raw) && raw.length <= limit) return raw;
  const replaced = raw.replace(/[^a-zA-Z0-9_-]/gu, '_');
  const head = /^[a-zA-Z0-9]/.test(replaced) ? replaced : `x${replaced}`;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, HASH_LENGTH);
  return `${head.slice(0, limit - HASH_LENGTH - 1)}-${hash}`;
}

/** Everything the agent keeps for one user lives under this namespace; the store searches the whole tree. */
export const USER_NAMESPACE_TEMPLATE = '/users/{actorId}/';

export function userNamespace(actorId: string): string {
  return USER_NAMESPACE_TEMPLATE.replace('{actorId}', actorId);
}
