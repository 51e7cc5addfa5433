import { isAdmin } from './admins.ts';
import { ValidationError } from './errors.ts';
import { assertSafeText } from './injection-screen.ts';
import { charCount } from './char-count.ts';
import { MAX_SUPPORT_FILE_CHARS } from './skill-markdown.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';

/**
 * Skills are shared by every user of the deployment and enter every prompt, so changing them is reserved to the
 * admins (HERMES_ADMIN_USERS); everyone else reads and follows them.
 */
export function assertSkillAdmin(deps: Pick<ToolDeps, 'config'>, ctx: Pick<ToolContext, 'userId'>): void {
  if (!isAdmin(deps, ctx)) {
    throw new ValidationError(
      'Only the admins of this assistant (HERMES_ADMIN_USERS) may create, change or delete skills; tell the user you can read and use skills but not change them.',
    );
  }
}

/** Every text a skill_manage call would store is screened before anything is written. */
export function screenSkillText(args: { content?: string | undefined; new_string?: string | undefined; file_content?: string | undefined }): void {
  if (args.content !== undefined) assertSafeText(args.content, 'The skill');
  if (args.new_string !== undefined) assertSafeText(args.new_string, 'The skill patch');
  if (args.file_content !== undefined) assertSafeText(args.file_content, 'The skill file');
}

/** Applies to what a file would hold after the change, so `patch` with replace_all cannot grow one past the limit. */
export function assertSupportFileSize(what: string, content: string): void {
  const size = charCount(content);
  if (size > MAX_SUPPORT_FILE_CHARS) {
    throw new ValidationError(`${what} is ${size} characters; the limit is ${MAX_SUPPORT_FILE_CHARS}.`);
  }
}
