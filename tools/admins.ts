import type { ToolContext, ToolDeps } from './tool-context.ts';

/** `npm start`'s terminal chat: whoever types there runs the machine. */
const TERMINAL_USER_ID = 'local';

/**
 * The admins of the deployment (HERMES_ADMIN_USERS, by default the first allowed user) may change what everyone
 * shares. Without admins configured (a personal, one-user setup, or the terminal) every user is one.
 */
export function isAdmin(deps: Pick<ToolDeps, 'config'>, ctx: Pick<ToolContext, 'userId'>): boolean {
  const admins = deps.config?.skillAdmins;
  return admins === undefined || ctx.userId === TERMINAL_USER_ID || admins.includes(ctx.userId);
}
