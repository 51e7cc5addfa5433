import type { Context } from 'grammy';
import type { Runtime } from '../agent/runtime.ts';
import { errorMessage } from '../tools/errors.ts';
import { moveChatJobs } from '../tools/job-move.ts';

/**
 * The service message Telegram posts in a group it turned into a supergroup (a forum, a public link, many members):
 * `migrate_to_chat_id` names the new id, and the old one takes no messages any more (Bot API, Message, read
 * 2026-12-02). The group's jobs move to the new id. TELEGRAM_ALLOWED_CHATS lists ids, so until the owner adds the new
 * one the bot stays silent there; the group is told so once, with the id, as the log tells the owner.
 */
export async function followGroupMigration(ctx: Context, runtime: Runtime): Promise<void> {
  const from = ctx.chat!.id;
  const to = ctx.msg!.migrate_to_chat_id!;
  const moved = await moveChatJobs(runtime.scheduler, { from, to, now: new Date() });
  const allowed = (runtime.config.telegram.allowedChats ?? []).includes(String(to));
  runtime.log.warn(allowed ? 'group became a supergroup; its jobs moved to the new id' : 'group became a supergroup; add its new id to TELEGRAM_ALLOWED_CHATS', { chatId: from, newChatId: to, movedJobs: moved.length });
  const text = migrationNotice({ to, jobs: moved.length, allowed });
  if (!text) return;
  // The old id refuses every message now; the notice goes where the group is.
  await ctx.api.sendMessage(to, text).catch((error: unknown) => runtime.log.warn('could not tell the supergroup about its new id', { newChatId: to, error: errorMessage(error) }));
}

function migrationNotice({ to, jobs, allowed }: { to: number; jobs: number; allowed: boolean }): string | undefined {
  const jobsMoved = jobs === 0 ? '' : jobs === 1 ? ' Its scheduled job moved with it.' : ` Its ${jobs} scheduled jobs moved with it.`;
  if (allowed) return jobsMoved ? `This group is now a supergroup, under a new id.${jobsMoved}` : undefined;
  return (
    `This group is now a supergroup, and Telegram gave it a new id: ${to}. I answer only in groups my owner allowed, ` +
    `so I stay silent here until ${to} is added to TELEGRAM_ALLOWED_CHATS.${jobsMoved}` +
    (jobs === 0 ? '' : ' Until then its jobs do not run: a repeating one waits paused (ask me to resume it), a one-time one is skipped.')
  );
}
