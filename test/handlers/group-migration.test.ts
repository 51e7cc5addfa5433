import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textUpdate } from '../stand-ins/bot-api-server.ts';
import { ALLOWED_GROUP } from '../stand-ins/lambda-env.ts';
import { deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { startQueueHarness, type QueueHarness } from '../reliability/helpers/queue-harness.ts';

/** A basic group, and the supergroup Telegram turns it into (a forum, a public link, many members). */
const BASIC = -4_802;
const SUPER = -1_004_802;
const MENTION = '@hermes_reliability_bot';

/** The service message Telegram posts in the basic group as it goes (Bot API, Message.migrate_to_chat_id). */
function migrationUpdate(updateId: number): Update {
  return {
    update_id: updateId,
    message: { message_id: 88, date: Math.floor(Date.now() / 1000), chat: { id: BASIC, type: 'group', title: 'Plants' }, from: { id: 77, is_bot: false, first_name: 'Ada' }, migrate_to_chat_id: SUPER },
  } as Update;
}

describe('a group that Telegram turns into a supergroup', () => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await startQueueHarness();
  });
  afterAll(() => h.close());

  const outcomeOf = async (update: object) => (JSON.parse((await h.post(update)).body) as { outcome: string }).outcome;

  it("takes its jobs along to the new id, and tells the group the id the owner must allow; once allowed, the jobs are there", async () => {
    h.redeploy({ TELEGRAM_ALLOWED_CHATS: `${ALLOWED_GROUP},${BASIC}` });
    h.replay.enqueue([
      {
        response: deepseekCompletion({
          reasoning: 'A daily reminder for the group.',
          toolCalls: [{ id: 'call_water', name: 'cronjob', arguments: { action: 'create', prompt: 'Remind the group to water the plants', schedule: '0 9 * * *', name: 'water the plants' } }],
          finishReason: 'tool_calls',
        }),
      },
      { response: deepseekThinkingText('Every morning at 9 I will remind you.') },
    ]);
    expect(await outcomeOf(textUpdate(`${MENTION} remind us every morning at 9 to water the plants`, { updateId: 99_410, chatId: BASIC, chatType: 'group' }))).toBe('queued');
    await h.drainWorker();
    expect(h.api.sent(BASIC).map((message) => message.text)).toEqual(['Every morning at 9 I will remind you.']);

    // A service message mentions nobody, yet it must reach the worker.
    expect(await outcomeOf(migrationUpdate(99_411))).toBe('queued');
    await h.drainWorker();
    expect(h.api.sent(SUPER).map((message) => message.text)).toEqual([
      `This group is now a supergroup, and Telegram gave it a new id: ${SUPER}. I answer only in groups my owner allowed, so I stay silent here until ${SUPER} is added to TELEGRAM_ALLOWED_CHATS. Its scheduled job moved with it. Until then its jobs do not run: a repeating one waits paused (ask me to resume it), a one-time one is skipped.`,
    ]);

    h.redeploy({ TELEGRAM_ALLOWED_CHATS: `${ALLOWED_GROUP},${SUPER}` });
    expect(await outcomeOf(textUpdate(`/status@hermes_reliability_bot`, { updateId: 99_412, chatId: SUPER, chatType: 'supergroup' }))).toBe('queued');
    await h.drainWorker();
    expect(h.api.sent(SUPER).at(-1)?.text).toMatch(/Scheduled jobs here: 1\b/);
    expect(h.replay.remaining).toBe(0);
  });

  it('says nothing when the new id is allowed already and no job had to move', async () => {
    h.redeploy({ TELEGRAM_ALLOWED_CHATS: `${ALLOWED_GROUP},${BASIC},${SUPER - 1}` });
    const update = migrationUpdate(99_413);
    (update.message as { migrate_to_chat_id: number }).migrate_to_chat_id = SUPER - 1;
    expect(await outcomeOf(update)).toBe('queued');
    await h.drainWorker();
    expect(h.api.sent(SUPER - 1)).toEqual([]);
  });
});
