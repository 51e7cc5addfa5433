import { describe, expect, it } from 'vitest';
import { conversationKey, HERMES_SESSION_SCOPE, isSharedConversation, telegramSessionKey } from '../../agent/session-key.ts';

describe('which conversation a message belongs to', () => {
  const apart = { groupsPerUser: true, topicsPerUser: true };
  const shared = { groupsPerUser: false, topicsPerUser: false };

  it('gives a private chat one conversation, whatever the group settings', () => {
    for (const scope of [HERMES_SESSION_SCOPE, apart, shared]) {
      expect(conversationKey({ chatId: 7, group: false, userId: 7 }, scope)).toBe('tg:7');
      expect(isSharedConversation({ chatId: 7, group: false, userId: 7 }, scope)).toBe(false);
    }
  });

  it('keeps each member of a group apart and a forum topic shared by default, as Hermes does', () => {
    expect(conversationKey({ chatId: -100, group: true, userId: 7 }, HERMES_SESSION_SCOPE)).toBe('tg:-100:u7');
    expect(conversationKey({ chatId: -100, group: true, threadId: 12, userId: 7 }, HERMES_SESSION_SCOPE)).toBe('tg:-100:12');
    expect(isSharedConversation({ chatId: -100, group: true, userId: 7 }, HERMES_SESSION_SCOPE)).toBe(false);
    expect(isSharedConversation({ chatId: -100, group: true, threadId: 12, userId: 7 }, HERMES_SESSION_SCOPE)).toBe(true);
  });

  it('puts the member after the topic, and shares the group when told to, its topics too, as Hermes does', () => {
    expect(conversationKey({ chatId: -100, group: true, threadId: 12, userId: 7 }, apart)).toBe('tg:-100:12:u7');
    expect(conversationKey({ chatId: -100, group: true, userId: 7 }, shared)).toBe('tg:-100');
    expect(isSharedConversation({ chatId: -100, group: true, userId: 7 }, shared)).toBe(true);
    expect(conversationKey({ chatId: -100, group: true, threadId: 12, userId: 7 }, { groupsPerUser: false, topicsPerUser: true })).toBe('tg:-100:12');
  });

  it('treats a forum’s General topic, whose messages carry no topic id, as the topic it is', () => {
    const general = { chatId: -100, group: true, forum: true, userId: 7 };
    expect(conversationKey(general, HERMES_SESSION_SCOPE)).toBe('tg:-100');
    expect(isSharedConversation(general, HERMES_SESSION_SCOPE)).toBe(true);
    expect(conversationKey(general, apart)).toBe('tg:-100:u7');
  });

  it('keeps a job’s delivery key the chat’s or the topic’s, which no member owns', () => {
    expect(telegramSessionKey(-100)).toBe('tg:-100');
    expect(telegramSessionKey(-100, 12)).toBe('tg:-100:12');
  });
});
