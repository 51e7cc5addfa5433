import { z } from 'zod';
import { ConfigError } from '../tools/errors.ts';
import { parseTelegramIds } from './telegram-ids.ts';

/** A bot open to everyone spends its owner's model budget for whoever finds it; classic Hermes allows it, this does not. */
const EVERYONE_REFUSED = 'a bot open to everyone is not offered here: anyone who finds it would spend your model budget. List the Telegram ids instead';

export const csvUserIds = z.string().transform((raw, ctx) => {
  if (raw.split(',').some((id) => id.trim() === '*')) {
    ctx.addIssue({ code: 'custom', message: `"*" means everyone: ${EVERYONE_REFUSED}` });
    return z.NEVER;
  }
  try {
    return parseTelegramIds(raw);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const csvChatIds = z
  .string()
  .transform((raw) => raw.split(',').map((part) => part.trim()).filter(Boolean))
  .refine((ids) => !ids.includes('*'), `"*" means every group: ${EVERYONE_REFUSED}`)
  .pipe(z.array(z.string().regex(/^-?\d+$/, 'must be numeric Telegram chat ids separated by commas (groups are negative, e.g. -1001234567890)')));

/**
 * Classic Hermes' GATEWAY_ALLOWED_USERS serves every platform it runs on, so besides Telegram's numeric ids it may hold
 * a Slack or Discord user's; those are no one here and are left out.
 */
const gatewayUserIds = z
  .string()
  .transform((raw) => raw.split(',').map((id) => id.trim()).filter(Boolean))
  .refine((ids) => !ids.includes('*'), `"*" means everyone: ${EVERYONE_REFUSED}`)
  .refine((ids) => !ids.some((id) => id.startsWith('@')), 'Telegram is listed by numeric user ids, not @usernames (@userinfobot tells yours)')
  .transform((ids) => ids.filter((id) => /^\d+$/.test(id)));

/**
 * Classic Hermes' TELEGRAM_GROUP_ALLOWED_USERS names who may talk to the bot in groups. Here a group is allowed as a
 * whole, so the user ids in it must be allowed users already (the usual Hermes set-up repeats the owner there); one
 * that is not would be answered in Hermes' groups and not here, and is refused. The chat ids (negative) some still
 * keep there are groups, as Hermes reads them.
 */
const NOT_GROUP_MEMBERS_HERE =
  'lists users who are not in TELEGRAM_ALLOWED_USERS. Here a group is allowed as a whole, by its id: list the groups in TELEGRAM_GROUP_ALLOWED_CHATS, and everyone in them may talk to the bot';

const allowAll = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false')
  .refine((value) => !['true', '1', 'yes'].includes(value), EVERYONE_REFUSED);

/** The access variables, this bot's and classic Hermes' (gateway/authz_mixin.py, read 2026-12-02). */
const accessSchema = z.object({
  TELEGRAM_ALLOWED_USERS: csvUserIds.optional(),
  GATEWAY_ALLOWED_USERS: gatewayUserIds.optional(),
  TELEGRAM_ALLOWED_CHATS: csvChatIds.optional(),
  TELEGRAM_GROUP_ALLOWED_CHATS: csvChatIds.optional(),
  TELEGRAM_GROUP_ALLOWED_USERS: csvChatIds.optional(),
  TELEGRAM_ALLOW_ALL_USERS: allowAll.optional(),
  GATEWAY_ALLOW_ALL_USERS: allowAll.optional(),
});

export interface TelegramAccess {
  /** Users answered in private chats; undefined when no variable lists any (the terminal's single user). */
  allowedUsers?: string[];
  /** Groups answered, everyone in them. */
  allowedChats?: string[];
}

/**
 * Who the bot answers, from its own variables and the names classic Hermes users already have set: GATEWAY_ALLOWED_USERS
 * adds users, TELEGRAM_GROUP_ALLOWED_CHATS adds groups. Blank values count as unset. Throws ConfigError naming the
 * variable.
 */
export function telegramAccessOf(env: Record<string, string | undefined>): TelegramAccess {
  const given = Object.fromEntries(Object.keys(accessSchema.shape).flatMap((name) => (env[name]?.trim() ? [[name, env[name]]] : [])));
  const parsed = accessSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const e = parsed.data;
  const allowedUsers = unionOf(e.TELEGRAM_ALLOWED_USERS, e.GATEWAY_ALLOWED_USERS);
  const groupEntries = e.TELEGRAM_GROUP_ALLOWED_USERS ?? [];
  if (groupEntries.some((id) => !id.startsWith('-') && !allowedUsers?.includes(id))) throw new ConfigError('TELEGRAM_GROUP_ALLOWED_USERS', NOT_GROUP_MEMBERS_HERE);
  const groupsListedAsUsers = groupEntries.filter((id) => id.startsWith('-'));
  const allowedChats = unionOf(e.TELEGRAM_ALLOWED_CHATS, e.TELEGRAM_GROUP_ALLOWED_CHATS, groupsListedAsUsers.length ? groupsListedAsUsers : undefined);
  return { ...(allowedUsers ? { allowedUsers } : {}), ...(allowedChats ? { allowedChats } : {}) };
}

/** The ids of every list given, in order, once each; undefined when no list was given. */
function unionOf(...lists: Array<string[] | undefined>): string[] | undefined {
  const given = lists.filter((list) => list !== undefined);
  return given.length === 0 ? undefined : [...new Set(given.flat())];
}
