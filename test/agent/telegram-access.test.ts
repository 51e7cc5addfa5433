import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../agent/config.ts';
import { telegramAccessOf } from '../../agent/telegram-access.ts';
import { ConfigError } from '../../tools/errors.ts';

describe("who the bot answers, from its own variables and classic Hermes' names", () => {
  it('answers the users and groups of every list, once each, the first user first', () => {
    expect(
      telegramAccessOf({
        TELEGRAM_ALLOWED_USERS: '11, 22',
        GATEWAY_ALLOWED_USERS: '22,33',
        TELEGRAM_ALLOWED_CHATS: '-1001',
        TELEGRAM_GROUP_ALLOWED_CHATS: '-1001,-1002',
        TELEGRAM_GROUP_ALLOWED_USERS: '-1003,11',
        TELEGRAM_ALLOW_ALL_USERS: 'false',
      }),
    ).toEqual({ allowedUsers: ['11', '22', '33'], allowedChats: ['-1001', '-1002', '-1003'] });
  });

  it("takes a Hermes .env that lists users only under GATEWAY_ALLOWED_USERS, and makes the first of them the skill admin", () => {
    const config = loadConfig({ GATEWAY_ALLOWED_USERS: '44,55', TELEGRAM_GROUP_ALLOWED_CHATS: '-1009' });
    expect(config.telegram).toMatchObject({ allowedUsers: ['44', '55'], allowedChats: ['-1009'] });
    expect(config.skillAdmins).toEqual(['44']);
  });

  it("leaves out the ids of other platforms in Hermes' GATEWAY_ALLOWED_USERS", () => {
    expect(telegramAccessOf({ GATEWAY_ALLOWED_USERS: 'U01ABCDEF, 44, +15551234567' })).toEqual({ allowedUsers: ['44'] });
  });

  it('lists nobody when no variable is set, and reads blank values as unset', () => {
    expect(telegramAccessOf({})).toEqual({});
    expect(telegramAccessOf({ GATEWAY_ALLOWED_USERS: ' ', TELEGRAM_GROUP_ALLOWED_CHATS: '' })).toEqual({});
  });

  it.each([
    [{ TELEGRAM_ALLOWED_USERS: '*' }, 'TELEGRAM_ALLOWED_USERS', /"\*" means everyone: a bot open to everyone is not offered here/],
    [{ GATEWAY_ALLOWED_USERS: '11,*' }, 'GATEWAY_ALLOWED_USERS', /"\*" means everyone/],
    [{ TELEGRAM_GROUP_ALLOWED_CHATS: '*' }, 'TELEGRAM_GROUP_ALLOWED_CHATS', /"\*" means every group/],
    [{ TELEGRAM_ALLOW_ALL_USERS: 'true' }, 'TELEGRAM_ALLOW_ALL_USERS', /spend your model budget/],
    [{ GATEWAY_ALLOW_ALL_USERS: 'yes' }, 'GATEWAY_ALLOW_ALL_USERS', /spend your model budget/],
    [{ GATEWAY_ALLOW_ALL_USERS: 'maybe' }, 'GATEWAY_ALLOW_ALL_USERS', /true or false/],
    [{ GATEWAY_ALLOWED_USERS: '11,@ada' }, 'GATEWAY_ALLOWED_USERS', /numeric user ids, not @usernames/],
    [{ TELEGRAM_ALLOWED_USERS: '11', TELEGRAM_GROUP_ALLOWED_USERS: '-1003,77' }, 'TELEGRAM_GROUP_ALLOWED_USERS', /not in TELEGRAM_ALLOWED_USERS\. Here a group is allowed as a whole.*TELEGRAM_GROUP_ALLOWED_CHATS/],
  ])('refuses %o at start, naming %s', (env, variable, message) => {
    const refused = (() => {
      try {
        loadConfig(env);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).variable).toBe(variable);
    expect((refused as ConfigError).message).toMatch(message);
  });
});
