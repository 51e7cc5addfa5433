import { describe, expect, it } from 'vitest';
import { HERMES_SESSION_SCOPE, type SessionScope } from '../../agent/session-key.ts';
import { routeUpdate as routeWith } from '../../handlers/update-route.ts';

const routeUpdate = (update: Record<string, unknown>, botUsername?: string, scope: SessionScope = HERMES_SESSION_SCOPE) => routeWith(update, { botUsername, scope });

describe('routing a raw update to its chat queue', () => {
  it('puts a forum topic message in the topic’s session, a plain group message in its sender’s session of the group', () => {
    const topic = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: -100, type: 'supergroup' }, from: { id: 7 }, text: 'hi', is_topic_message: true, message_thread_id: 12 } };
    expect(routeUpdate(topic)).toEqual({ sessionKey: 'tg:-100:12', userId: 7, chatId: -100, threadId: 12, chatType: 'supergroup', stop: false });
    // A reply thread in a group without topics carries message_thread_id too, but is not a session of its own.
    const reply = { update_id: 2, message: { message_id: 2, date: 0, chat: { id: -100, type: 'supergroup' }, from: { id: 7 }, text: 'hi', message_thread_id: 5 } };
    expect(routeUpdate(reply).sessionKey).toBe('tg:-100:u7');
    const basicGroup = { update_id: 3, message: { message_id: 3, date: 0, chat: { id: -5, type: 'group' }, from: { id: 8 }, text: 'hi' } };
    expect(routeUpdate(basicGroup).sessionKey).toBe('tg:-5:u8');
    // A forum's General topic: no topic id on its messages, shared like every topic.
    const general = { update_id: 4, message: { message_id: 4, date: 0, chat: { id: -100, type: 'supergroup', is_forum: true }, from: { id: 7 }, text: 'hi' } };
    expect(routeUpdate(general).sessionKey).toBe('tg:-100');
  });

  it('queues a message sent as a chat under that chat, not under the stand-in sender Telegram gives all of them', () => {
    const asChannel = { update_id: 5, message: { message_id: 5, date: 0, chat: { id: -100, type: 'supergroup' }, from: { id: 136_817_688, is_bot: true }, sender_chat: { id: -1_009_001, type: 'channel' }, text: 'hi' } };
    expect(routeUpdate(asChannel)).toMatchObject({ sessionKey: 'tg:-100:u-1009001', userId: -1_009_001 });
  });

  it('follows HERMES_GROUP_SESSIONS_PER_USER and HERMES_THREAD_SESSIONS_PER_USER', () => {
    const inGroup = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: -100, type: 'supergroup' }, from: { id: 7 }, text: 'hi' } };
    const inTopic = { update_id: 2, message: { ...inGroup.message, is_topic_message: true, message_thread_id: 12 } };
    const shared = { groupsPerUser: false, topicsPerUser: false };
    expect(routeUpdate(inGroup, undefined, shared).sessionKey).toBe('tg:-100');
    expect(routeUpdate(inTopic, undefined, shared).sessionKey).toBe('tg:-100:12');
    const apart = { groupsPerUser: true, topicsPerUser: true };
    expect(routeUpdate(inTopic, undefined, apart).sessionKey).toBe('tg:-100:12:u7');
    // A private chat is its user's alone whatever the settings.
    const direct = { update_id: 3, message: { message_id: 3, date: 0, chat: { id: 7, type: 'private' }, from: { id: 7 }, text: 'hi' } };
    expect(routeUpdate(direct, undefined, apart).sessionKey).toBe('tg:7');
  });

  it('recognizes the draft’s stop button (no sender: the private chat is the user) and /stop, with or without the bot’s name', () => {
    const stopped = { update_id: 3, stopped_message_generation: { chat: { id: 77, type: 'private' }, draft_id: 3 } };
    expect(routeUpdate(stopped)).toEqual({ sessionKey: 'tg:77', userId: 77, chatId: 77, chatType: 'private', stop: true, draftId: 3 });
    const command = (text: string) => routeUpdate({ update_id: 4, message: { message_id: 4, date: 0, chat: { id: 77, type: 'private' }, from: { id: 77 }, text } });
    expect(command('/stop').stop).toBe(true);
    expect(command('/stop@hermes_bot').stop).toBe(true);
    expect(command('/stopwatch').stop).toBe(false);
    expect(command('please /stop').stop).toBe(false);
  });

  it('in a group, takes /stop and /stop@this_bot, but not a stop meant for another bot', () => {
    const inGroup = (text: string, botUsername?: string) =>
      routeUpdate({ update_id: 6, message: { message_id: 6, date: 0, chat: { id: -100, type: 'supergroup' }, from: { id: 7 }, text } }, botUsername).stop;
    expect(inGroup('/stop')).toBe(true);
    expect(inGroup('/stop@Hermes_Bot', 'hermes_bot')).toBe(true);
    expect(inGroup('/stop@other_bot', 'hermes_bot')).toBe(false);
    // Without the bot's username an addressed stop in a group could be anyone's.
    expect(inGroup('/stop@hermes_bot')).toBe(false);
  });

  it('finds the chat of a callback query on its message, and groups chatless updates by user', () => {
    const callback = { update_id: 5, callback_query: { id: 'q', from: { id: 7 }, message: { message_id: 9, chat: { id: 42, type: 'private' } }, data: 'x' } };
    expect(routeUpdate(callback)).toMatchObject({ sessionKey: 'tg:42', userId: 7 });
    const inline = { update_id: 6, inline_query: { id: 'i', from: { id: 7 }, query: 'q', offset: '' } };
    expect(routeUpdate(inline)).toMatchObject({ sessionKey: 'tg:user:7', userId: 7 });
  });
});
