import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from 'grammy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../handlers/lambda.ts';
import { resetLambdaApp } from '../../handlers/lambda-app.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { functionUrlEvent, lambdaContext } from '../stand-ins/lambda-events.ts';
import { deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { startS3rver, type S3rverHarness } from '../stand-ins/s3rver.ts';
import { lambdaEnv, stubEnvs } from '../stand-ins/lambda-env.ts';

/** Updates in the shapes Telegram sends (Bot API Update and Message objects). */
const updates = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'telegram', 'updates.json'), 'utf8')) as Record<string, Update>;
const SECRET = 'webhook_secret-456';
const TOKEN = '123456:INCOMING-test-token';

const chatReply = (text: string) => ({
  response: deepseekThinkingText(text),
});

/** The text of the newest user message in the last model request. */
function lastUserText(model: ReplayModelServer): string {
  const body = model.requests.at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };
  const content = body.messages.filter((m) => m.role === 'user').at(-1)!.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

describe('incoming updates other than plain text, through the Lambda handler', () => {
  let dynamo: DynaliteHarness;
  let s3: S3rverHarness;
  let api: FakeBotApi;
  let model: ReplayModelServer;

  beforeAll(async () => {
    [dynamo, s3, api, model] = await Promise.all([startDynalite(), startS3rver(), new FakeBotApi().start(), new ReplayModelServer().start()]);
    stubEnvs(
      {
        ...lambdaEnv({ dynamoEndpoint: dynamo.endpoint, table: dynamo.tableName, s3Endpoint: s3.endpoint, bucket: s3.bucket, botApiRoot: api.apiRoot, modelUrl: model.url }),
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_BOT_USERNAME: 'hermes_test_bot',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        TELEGRAM_ALLOWED_CHATS: '-1001234567890',
        DEEPSEEK_API_KEY: 'sk-incoming-test',
      },
      vi.stubEnv,
    );
    resetLambdaApp();
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    resetLambdaApp();
    await Promise.all([dynamo.close(), s3.close(), api.close(), model.close()]);
  });

  beforeEach(() => {
    api.calls.length = 0;
    model.requests.length = 0;
  });

  afterEach(() => {
    expect(model.remaining).toBe(0);
  });

  const post = async (name: string) => {
    const result = (await handler(functionUrlEvent({ body: JSON.stringify(editedJustNow(updates[name]!)), secret: SECRET }), lambdaContext())) as { statusCode: number };
    expect(result.statusCode).toBe(200);
  };
  const sentTexts = () => api.sent().map((m) => m.text);

  it.each(['new_chat_members', 'pinned_message', 'forum_topic_created', 'write_access_allowed', 'command_for_other_bot'])(
    'ignores %s silently',
    async (name) => {
      await post(name);
      expect(api.calls.filter((call) => call.method.startsWith('send'))).toEqual([]);
      expect(model.requests).toEqual([]);
    },
  );

  it('still answers a command addressed to this bot by name', async () => {
    await post('command_for_us');
    expect(sentTexts()[0]).toMatch(/\/new/);
    expect(model.requests).toEqual([]);
  });

  it('answers a callback query', async () => {
    await post('callback_query');
    expect(api.calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => call.params)).toEqual([{ callback_query_id: '4382bfdwdsb323b2d9' }]);
  });

  it('passes a sticker to the model by its emoji and set, as Hermes does, so a 👍 answers what came before', async () => {
    model.enqueue([chatReply('Great, it is booked.')]);
    await post('sticker');
    expect(lastUserText(model)).toContain('[The user sent a sticker 👍 from the "HotCherry" set; only its emoji is known, not the picture]');
    expect(sentTexts()).toEqual(['Great, it is booked.']);
  });

  it('passes a contact card to the model with its number and what its vCard adds, so “save her number” can follow', async () => {
    model.enqueue([chatReply('Got Grace Hopper’s card. Shall I remember her number?')]);
    await post('contact');
    expect(lastUserText(model)).toContain(
      '[The user shared a contact card: Grace Hopper, phone +15551234567, Telegram user id 1234, email grace@example.com, organization US Navy, address 1 Main St, Arlington, VA, 22201, USA.]',
    );
    expect(sentTexts()).toEqual(['Got Grace Hopper’s card. Shall I remember her number?']);
  });

  it('passes a poll to the model with its question and options', async () => {
    model.enqueue([chatReply('Pizza, clearly.')]);
    await post('poll');
    expect(lastUserText(model)).toContain('[The user shared a poll: "Lunch?" Options: 1. Pizza; 2. Salad.]');
  });

  it('passes a location to the model as coordinates', async () => {
    model.enqueue([chatReply('That is the Eiffel Tower.')]);
    await post('location');
    expect(lastUserText(model)).toContain('latitude 48.858372, longitude 2.294481');
    expect(sentTexts()).toEqual(['That is the Eiffel Tower.']);
  });

  it('offers no stop button in its draft when the webhook answers turns itself, where a press could not reach the turn', async () => {
    model.enqueue([chatReply('Big Ben!')]);
    const update = { ...updates.venue!, update_id: 3098 };
    const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())) as { statusCode: number };
    expect(result.statusCode).toBe(200);
    const drafts = api.calls.filter((call) => call.method === 'sendMessageDraft');
    expect(drafts.length).toBeGreaterThan(0);
    for (const draft of drafts) expect(draft.params).not.toHaveProperty('can_stop');
  });

  it('passes a venue with its name and address', async () => {
    model.enqueue([chatReply('Big Ben!')]);
    await post('venue');
    expect(lastUserText(model)).toMatch(/latitude 51.500729.*Big Ben, London SW1A 0AA/s);
  });

  it('answers a fresh edit, saying it is an edit', async () => {
    model.enqueue([chatReply('2 + 3 = 5')]);
    await post('edited_text');
    expect(lastUserText(model)).toMatch(/edited a message.*What is 2 \+ 3\?/s);
    expect(sentTexts()).toEqual([expect.stringMatching(/^✏️ .*edited message.*\n\n2 \+ 3 = 5$/s)]);
  });

  it('does not answer again when a reaction makes Telegram send the message as edited', async () => {
    const original = updates.edited_text!.edited_message!;
    const { edit_date: _none, ...reacted } = { ...original, date: Math.floor(Date.now() / 1000) - 30 };
    const result = (await handler(functionUrlEvent({ body: JSON.stringify({ update_id: 3099, edited_message: reacted }), secret: SECRET }), lambdaContext())) as { statusCode: number };
    expect(result.statusCode).toBe(200);
    expect(sentTexts()).toEqual([]);
    expect(model.requests).toEqual([]);
  });

  it('answers an edit once when a reaction makes Telegram send it again with its edit date, and still answers a later edit', async () => {
    model.enqueue([chatReply('2 + 4 = 6'), chatReply('2 + 5 = 7')]);
    const now = Math.floor(Date.now() / 1000);
    const edited = { ...updates.edited_text!.edited_message!, message_id: 3_121, date: now - 30, edit_date: now - 1, text: 'What is 2 + 4?' };
    const send = async (update: Update) => {
      const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())) as { statusCode: number };
      expect(result.statusCode).toBe(200);
    };
    await send({ update_id: 3_121, edited_message: edited });
    // The same message, chat and edit date under a new update id: what Telegram sends when someone reacts to it.
    await send({ update_id: 3_122, edited_message: edited });
    expect(sentTexts()).toEqual([expect.stringMatching(/^✏️ .*\n\n2 \+ 4 = 6$/s)]);
    expect(model.requests).toHaveLength(1);
    await send({ update_id: 3_123, edited_message: { ...edited, edit_date: now, text: 'What is 2 + 5?' } });
    expect(sentTexts()).toEqual([expect.stringMatching(/2 \+ 4 = 6$/), expect.stringMatching(/^✏️ .*\n\n2 \+ 5 = 7$/s)]);
  });

  it('ignores an edit of an old message', async () => {
    await post('edited_old');
    expect(sentTexts()).toEqual([]);
    expect(model.requests).toEqual([]);
  });

  it('passes the caption of media it cannot read, saying what was sent', async () => {
    model.enqueue([chatReply('I cannot watch videos, but tell me about it.')]);
    await post('video_with_caption');
    expect(lastUserText(model)).toMatch(/sent a video.*what do you think of this clip\?/s);
  });
});

/** An edit arrives right after it is made: the fixture's message and edit move to now, keeping their distance. */
function editedJustNow(update: Update): Update {
  const edited = update.edited_message;
  if (edited?.edit_date === undefined) return update;
  const shift = Math.floor(Date.now() / 1000) - 1 - edited.edit_date;
  return { ...update, edited_message: { ...edited, date: edited.date + shift, edit_date: edited.edit_date + shift } };
}
