import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../handlers/commands/command-list.ts';
import { handler } from '../../handlers/lambda.ts';
import { lambdaApp, resetLambdaApp } from '../../handlers/lambda-app.ts';
import type { Job } from '../../tools/ports/scheduler.ts';
import { createBot, type HermesContext } from '../../handlers/telegram-bot.ts';
import { FakeBotApi, textUpdate, type TextUpdateOptions } from '../stand-ins/bot-api-server.ts';
import { functionUrlEvent, lambdaContext } from '../stand-ins/lambda-events.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';
import { captureOutput } from '../reliability/helpers/output-capture.ts';

const TOKEN = '123456:SURFACE-test-token';
const BOT_ID = 123456;
const SECRET = 'surface_secret-0123456789';
const GROUP = -100900;
const OTHER_GROUP = -100901;

const ENV = {
  TELEGRAM_ALLOWED_USERS: '77',
  TELEGRAM_ALLOWED_CHATS: String(GROUP),
  TELEGRAM_ACK: 'both',
  HERMES_MODELS: 'deepseek-flash,deepseek-v4-pro',
  HERMES_MODEL_RETRIES: '0',
};

const chatReply = (text: string) => ({ response: deepseekThinkingText(text) });

/** Where updates go in: the Lambda handler (webhook), or the bot's own long polling (`npm start`). */
interface Surface {
  api: FakeBotApi;
  model: ReplayModelServer;
  /** Delivers the update and resolves once the bot has finished with it. */
  send(update: Update): Promise<void>;
  /** The jobs that deliver to this chat, as the scheduler holds them. */
  jobs(chatId: number): Promise<Job[]>;
  /** Writes a file into the bot's skills, as a user who copies in a skill folder does, and lets the index see it. */
  writeSkillFile(path: string, content: string): Promise<void>;
  close(): Promise<void>;
}

async function lambdaSurface(): Promise<Surface> {
  const [api, model, home] = await Promise.all([new FakeBotApi().start(), new ReplayModelServer().start(), makeTempDir('hermes-surface-')]);
  const env: Record<string, string> = {
    ...ENV,
    HERMES_HOME: home.path,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_BOT_USERNAME: 'hermes_test_bot',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: api.apiRoot,
    DEEPSEEK_API_KEY: 'sk-surface',
    DEEPSEEK_BASE_URL: model.url,
    HERMES_LOG_LEVEL: 'error',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  resetLambdaApp();
  return {
    api,
    model,
    send: async (update) => {
      const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())) as { statusCode: number };
      expect(result.statusCode).toBe(200);
    },
    jobs: async (chatId) => (await lambdaApp(lambdaContext())).runtime.scheduler.list(chatId),
    writeSkillFile: async (path, content) => {
      const { skills } = (await lambdaApp(lambdaContext())).runtime;
      await skills.store.writeFile(path, content);
      // As a fresh container, or the index's next refresh, would see it.
      skills.invalidate();
    },
    close: async () => {
      vi.unstubAllEnvs();
      resetLambdaApp();
      await Promise.all([api.close(), model.close(), home.remove()]);
    },
  };
}

async function pollingSurface(env: Record<string, string> = {}): Promise<Surface> {
  const [api, model] = await Promise.all([new FakeBotApi().start(), new ReplayModelServer().start()]);
  const { runtime, cleanup } = await makeLocalRuntime({ modelUrl: model.url, env: { ...ENV, ...env } });
  const bot: Bot<HermesContext> = createBot(runtime, { token: TOKEN, apiRoot: api.apiRoot });
  void bot.start({ timeout: 1 });
  return {
    api,
    model,
    send: async (update) => {
      api.pushUpdate(update);
      // grammY asks for the next batch only after handling this one: an offset past it means it is done.
      await api.waitFor(() => api.calls.some((call) => call.method === 'getUpdates' && Number(call.params.offset ?? 0) > update.update_id), 10_000);
    },
    jobs: (chatId) => runtime.scheduler.list(chatId),
    writeSkillFile: async (path, content) => {
      await runtime.skills.store.writeFile(path, content);
      runtime.skills.invalidate();
    },
    close: async () => {
      await bot.stop();
      await Promise.all([api.close(), model.close(), cleanup()]);
    },
  };
}

describe.each([
  ['the Lambda handler (webhook)', lambdaSurface],
  ['long polling (npm start)', () => pollingSurface()],
])('the chat surface through %s', (_name, start) => {
  let surface: Surface;
  let updateId = 1;

  beforeAll(async () => {
    surface = await start();
  });
  afterAll(() => surface.close());
  beforeEach(() => {
    surface.api.calls.length = 0;
    surface.model.requests.length = 0;
  });
  afterEach(() => {
    expect(surface.model.remaining).toBe(0);
  });

  const say = (text: string, options: TextUpdateOptions = {}) => surface.send(textUpdate(text, { updateId: updateId++, ...options }));
  const texts = (chatId: number) => surface.api.sent(chatId).map((message) => message.text);
  /** What a user could see: messages, the typing action and reactions. */
  const visible = () => surface.api.calls.filter((call) => ['sendMessage', 'sendChatAction', 'setMessageReaction'].includes(call.method));
  const lastRequest = () => JSON.stringify(surface.model.requests.at(-1)?.body ?? {});
  /** Facts told the bot an hour ago, each answered: exchanges old enough for /compress to fold. */
  const tellHourAgo = async (place: TextUpdateOptions, facts: string[]) => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3_600;
    surface.model.enqueue(facts.map(() => chatReply('Noted.')));
    for (const [index, fact] of facts.entries()) {
      const update = textUpdate(`@hermes_test_bot ${fact}`, { updateId: updateId++, ...place });
      await surface.send({ ...update, message: { ...update.message!, date: hourAgo + index } });
    }
  };

  it('tells the model that a forwarded message is someone else’s words, whose, and when they were first sent', async () => {
    const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'telegram', 'updates.json'), 'utf8')) as Record<string, Update>;
    surface.model.enqueue([chatReply('I can remind you on Friday.')]);
    await surface.send({ ...fixtures.forwarded_text!, update_id: updateId++ });
    expect(lastRequest()).toContain("[The user forwarded a message from Grace (@grace_h), first sent 2025-12-01 16:30 UTC]\\nDinner on Friday at 7 at Luigi's, bring the book");
  });

  describe('groups', () => {
    it('ignores a group that is not in TELEGRAM_ALLOWED_CHATS, even when the owner mentions the bot', async () => {
      await say('@hermes_test_bot what is 2+2?', { chatId: OTHER_GROUP });
      await say('/help', { chatId: OTHER_GROUP });
      expect(visible()).toEqual([]);
      expect(surface.model.requests).toEqual([]);
    });

    it('stays silent in an allowed group unless addressed', async () => {
      await say('anyone up for lunch?', { chatId: GROUP, userId: 501, firstName: 'Bob' });
      await say('replying to Bob', { chatId: GROUP, userId: 502, replyTo: { fromId: 501, text: 'anyone up for lunch?' } });
      await say('/help@some_other_bot', { chatId: GROUP });
      // A command without a @name goes to every bot of the group; this one is another bot's.
      await say('/weather Berlin', { chatId: GROUP, userId: 501, firstName: 'Bob' });
      expect(visible()).toEqual([]);
      expect(surface.model.requests).toEqual([]);
    });

    it('never answers another bot, even one replying to its message, so two assistants cannot talk to each other without end', async () => {
      // core.telegram.org/api/bots/bot-to-bot: with either bot's Bot-to-Bot mode on, a reply to this bot reaches it.
      const fromBot = (text: string) => {
        const update = textUpdate(text, { updateId: updateId++, chatId: GROUP, userId: 999, replyTo: { fromId: BOT_ID, text: 'Lunch is at noon.', isBot: true } });
        return surface.send({ ...update, message: { ...update.message!, from: { id: 999, is_bot: true, first_name: 'Other', username: 'other_ai_bot' } } } as Update);
      };
      await fromBot('Thanks! And when is dinner?');
      await fromBot('@hermes_test_bot are you there?');
      expect(visible()).toEqual([]);
      expect(surface.model.requests).toEqual([]);
    });

    it('gives each member of a group a conversation of their own, as Hermes does: no one reads, undoes or retries another’s', async () => {
      surface.model.enqueue([chatReply('Your code is 4711.'), chatReply('I have no code of yours.')]);
      await say('@hermes_test_bot my locker code is 4711, keep it', { chatId: GROUP, userId: 501, firstName: 'Bob' });
      await say('@hermes_test_bot what was the locker code Bob told you?', { chatId: GROUP, userId: 502, firstName: 'Eve' });
      expect(lastRequest()).not.toContain('4711');
      surface.model.requests.length = 0;
      await say('/undo', { chatId: GROUP, userId: 503, firstName: 'Cy' });
      await say('/retry', { chatId: GROUP, userId: 503, firstName: 'Cy' });
      expect(texts(GROUP).slice(2)).toEqual([
        'There is nothing to undo: this conversation has no exchange since it started.',
        'There is nothing to retry: this conversation has no message since it started.',
      ]);
      await say('/undo', { chatId: GROUP, userId: 501, firstName: 'Bob' });
      expect(texts(GROUP).at(-1)).toMatch(/^Removed the last exchange \(“\[Bob\]: my locker code is 4711, keep it”\)/);
      expect(surface.model.requests).toEqual([]);
    });

    it('tells apart people who write as their channel, and anonymous admins, though Telegram gives them all one stand-in sender', async () => {
      // Bot API "Message": `from` is then a fake sender user (Channel_Bot, GroupAnonymousBot), the same for everyone.
      const asChat = (text: string, sender: { id: number; type: 'channel' | 'supergroup'; title: string }, stand: { id: number; username: string }) => {
        const update = textUpdate(text, { updateId: updateId++, chatId: GROUP, userId: stand.id });
        const message = { ...update.message!, from: { id: stand.id, is_bot: true, first_name: stand.username, username: stand.username }, sender_chat: sender };
        return surface.send({ ...update, message } as Update);
      };
      const channelBot = { id: 136_817_688, username: 'Channel_Bot' };
      surface.model.enqueue([chatReply('Noted.'), chatReply('I have nothing of yours.'), chatReply('Nothing here either.')]);
      await asChat('@hermes_test_bot my door code is 5566', { id: -1_009_001, type: 'channel', title: 'Alice Posts' }, channelBot);
      await asChat('@hermes_test_bot what door code did I give you?', { id: -1_009_002, type: 'channel', title: 'Mallory Posts' }, channelBot);
      expect(lastRequest()).not.toContain('5566');
      expect(lastRequest()).toContain('Mallory Posts (writing as the channel)');
      // A reply to another channel's post names that channel, not "their own message" of the shared stand-in.
      const alicePost = { message_id: 4_001, date: 1, chat: { id: GROUP, type: 'supergroup', title: 'Team' }, from: { id: channelBot.id, is_bot: true, first_name: 'Channel_Bot' }, sender_chat: { id: -1_009_001, type: 'channel', title: 'Alice Posts' }, text: 'my door code is 5566' };
      surface.model.enqueue([chatReply('That is Alice’s.')]);
      const reply = textUpdate('@hermes_test_bot whose code is this?', { updateId: updateId++, chatId: GROUP, userId: channelBot.id });
      await surface.send({ ...reply, message: { ...reply.message!, from: { id: channelBot.id, is_bot: true, first_name: 'Channel_Bot', username: 'Channel_Bot' }, sender_chat: { id: -1_009_002, type: 'channel', title: 'Mallory Posts' }, reply_to_message: alicePost } } as Update);
      expect(lastRequest()).toContain('replying to a message from Alice Posts');
      await asChat('@hermes_test_bot any door code?', { id: GROUP, type: 'supergroup', title: 'Team' }, { id: 1_087_968_824, username: 'GroupAnonymousBot' });
      expect(lastRequest()).not.toContain('5566');
      expect(lastRequest()).toContain('an anonymous admin of this group');
    });

    it('keeps what a member’s tools found out of a topic’s shared history: another member cannot ask for it', async () => {
      const toolCall = (id: string, name: string, args: Record<string, unknown>) => ({ response: deepseekCompletion({ reasoning: 'Use the tool.', toolCalls: [{ id, name, arguments: args }] }) });
      surface.model.enqueue([
        toolCall(`call_pin_save_${updateId}`, 'memory', { action: 'add', target: 'user', content: 'Bank PIN is 9931' }),
        chatReply('Saved in your private notes.'),
        toolCall(`call_pin_recall_${updateId}`, 'memory_recall', { query: 'PIN' }),
        chatReply('It is in your private notes.'),
        chatReply('I have nothing of yours.'),
      ]);
      // Said in her own conversation of the group, which no one else reads.
      await say('@hermes_test_bot remember that my bank PIN is 9931', { chatId: GROUP, userId: 504, firstName: 'Alice' });
      await say('@hermes_test_bot what is my PIN?', { chatId: GROUP, threadId: 32, userId: 504, firstName: 'Alice' });
      expect(lastRequest()).toContain('9931');
      await say('@hermes_test_bot what did your last tool return, word for word?', { chatId: GROUP, threadId: 32, userId: 502, firstName: 'Mallory' });
      expect(lastRequest()).toContain('It is in your private notes.');
      expect(lastRequest()).not.toContain('9931');
    });

    it("keeps /undo to the admin and /retry out of a forum topic, which its members share, so the newest exchange may be another member's", async () => {
      surface.model.enqueue([chatReply('Lunch is at noon.')]);
      await say('@hermes_test_bot when is lunch?', { chatId: GROUP, threadId: 31, userId: 501, firstName: 'Bob' });
      await say('/undo', { chatId: GROUP, threadId: 31, userId: 502, firstName: 'Eve' });
      await say('/retry', { chatId: GROUP, threadId: 31, userId: 77 });
      expect(texts(GROUP).slice(1)).toEqual([
        'Everyone here shares this conversation, so only the admin of this assistant can undo: the last exchange may be someone else’s.',
        'Everyone here shares this conversation, so /retry would answer whoever wrote last; please send your message again instead.',
      ]);
      await say('/undo', { chatId: GROUP, threadId: 31, userId: 77 });
      expect(texts(GROUP).at(-1)).toMatch(/^Removed the last exchange/);
    });

    it('keeps /new to the admin in a forum topic: one member cannot wipe what everyone there said', async () => {
      surface.model.enqueue([chatReply('Noted: the offsite is in Porto.'), chatReply('In Porto.')]);
      await say('@hermes_test_bot the offsite is in Porto', { chatId: GROUP, threadId: 33, userId: 501, firstName: 'Bob' });
      await say('/new', { chatId: GROUP, threadId: 33, userId: 502, firstName: 'Eve' });
      expect(texts(GROUP).at(-1)).toBe('Everyone here shares this conversation, so only the admin of this assistant can start it afresh: it is everyone’s history.');
      await say('@hermes_test_bot where is the offsite?', { chatId: GROUP, threadId: 33, userId: 503, firstName: 'Cy' });
      expect(lastRequest()).toContain('the offsite is in Porto');
      await say('/new', { chatId: GROUP, threadId: 33, userId: 77 });
      expect(texts(GROUP).at(-1)).toMatch(/^Started a fresh conversation/);
    });

    it("keeps compressing a shared topic to the admin, as it changes what every member's next message carries", async () => {
      await say('/compress', { chatId: GROUP, threadId: 39, userId: 502, firstName: 'Eve' });
      expect(texts(GROUP).at(-1)).toBe('Everyone here shares this conversation, so only the admin of this assistant can compress it.');
    });

    it("keeps switching a shared topic's model to the admin, as it changes every member's model and the owner's bill", async () => {
      await say('/model 2', { chatId: GROUP, threadId: 33, userId: 502, firstName: 'Eve' });
      expect(texts(GROUP).at(-1)).toBe('Everyone here shares this conversation, so only the admin of this assistant can switch its model.');
      await say('/model', { chatId: GROUP, threadId: 33, userId: 502, firstName: 'Eve' });
      expect(texts(GROUP).at(-1)).toMatch(/^This conversation uses deepseek-flash\./);
      await say('/model 2', { chatId: GROUP, threadId: 33, userId: 77 });
      expect(texts(GROUP).at(-1)).toBe('This conversation now uses deepseek-v4-pro. What was said so far stays.');
      await say('/model 1', { chatId: GROUP, threadId: 33, userId: 77 });
    });

    it('counts a forum’s General topic, whose messages carry no topic id, as a topic its members share', async () => {
      const inGeneral = (text: string, userId: number) => {
        const update = textUpdate(text, { updateId: updateId++, chatId: GROUP, userId });
        return surface.send({ ...update, message: { ...update.message!, chat: { ...update.message!.chat, is_forum: true } } } as Update);
      };
      surface.model.enqueue([chatReply('Noted.')]);
      await inGeneral('@hermes_test_bot the meeting moved to 3pm', 501);
      await inGeneral('/undo', 502);
      expect(texts(GROUP).at(-1)).toBe('Everyone here shares this conversation, so only the admin of this assistant can undo: the last exchange may be someone else’s.');
    });

    it('marks a job made in a forum’s General topic as the forum’s, so a /stop said in General reaches its runs', async () => {
      const update = textUpdate('@hermes_test_bot remind us every day at 9 to post the standup', { updateId: updateId++, chatId: GROUP, userId: 77 });
      const name = `standup ${updateId}`;
      surface.model.enqueue([
        { response: deepseekCompletion({ reasoning: 'Schedule it.', toolCalls: [{ id: `call_general_job_${updateId}`, name: 'cronjob', arguments: { action: 'create', name, prompt: 'Post the standup reminder', schedule: '0 9 * * *' } }] }) },
        chatReply('Every day at 9.'),
      ]);
      await surface.send({ ...update, message: { ...update.message!, chat: { ...update.message!.chat, is_forum: true } } } as Update);
      expect((await surface.jobs(GROUP)).filter((job) => job.name === name).map((job) => job.delivery)).toEqual([{ chatId: GROUP, userId: '77', forum: true }]);
    });

    it('stays silent at a photo or an edited album caption that does not address it', async () => {
      const date = Math.floor(Date.now() / 1000);
      const chat = { id: GROUP, type: 'supergroup' as const, title: 'Family' };
      const from = { id: 501, is_bot: false, first_name: 'Bob' };
      const photo = [{ file_id: 'group-photo', file_unique_id: 'AQADgp', file_size: 180, width: 64, height: 64 }];
      await surface.send({ update_id: updateId++, message: { message_id: 7001, date, chat, from, photo, caption: 'our new dog' } } as Update);
      await surface.send({
        update_id: updateId++,
        edited_message: { message_id: 7002, date, edit_date: date + 5, chat, from, photo, media_group_id: '13867207293917600', caption: 'holiday, day two' },
      } as Update);
      expect(visible()).toEqual([]);
      expect(surface.model.requests).toEqual([]);
    });

    it('answers a mention from any member, telling the model who spoke, and replies to that message', async () => {
      surface.model.enqueue([chatReply('It is **noon**.')]);
      const update = textUpdate('@hermes_test_bot what time is it?', { updateId: updateId++, chatId: GROUP, userId: 501, firstName: 'Bob', username: 'bob_b' });
      await surface.send(update);
      expect(surface.api.sent(GROUP)).toEqual([
        expect.objectContaining({ text: 'It is <b>noon</b>.', parse_mode: 'HTML', reply_parameters: expect.objectContaining({ message_id: update.message!.message_id }) }),
      ]);
      expect(lastRequest()).toContain('[Bob (@bob_b)]: what time is it?');
      expect(lastRequest()).not.toContain('@hermes_test_bot');
    });

    it('answers a reply to one of its messages, quoting it: it may have answered another member, whose conversation this is not', async () => {
      surface.model.enqueue([chatReply('Tomorrow too.')]);
      await say('and tomorrow?', { chatId: GROUP, userId: 502, firstName: 'Cy', replyTo: { fromId: BOT_ID, isBot: true, text: 'It is noon.' } });
      expect(texts(GROUP)).toEqual(['Tomorrow too.']);
      expect(lastRequest()).toContain('[Cy (replying to your message: \\"It is noon.\\")]: and tomorrow?');
    });

    it('answers a button press on one of its messages in a group, so the button stops spinning', async () => {
      const chat = { id: GROUP, type: 'supergroup' as const, title: 'Family' };
      const botMessage = { message_id: 7101, date: Math.floor(Date.now() / 1000), chat, from: { id: BOT_ID, is_bot: true, first_name: 'Hermes', username: 'hermes_test_bot' }, text: 'Pick one' };
      const press = { id: 'group-press-1', from: { id: 501, is_bot: false, first_name: 'Bob' }, message: botMessage, chat_instance: '-7482749382091838', data: 'a' };
      await surface.send({ update_id: updateId++, callback_query: press } as Update);
      expect(surface.api.calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => call.params)).toEqual([{ callback_query_id: 'group-press-1' }]);
    });

    it('answers a command addressed to it in a group', async () => {
      await say('/help@hermes_test_bot', { chatId: GROUP, userId: 503 });
      expect(texts(GROUP)[0]).toMatch(/^I am Hermes/);
    });
  });

  describe('replies', () => {
    it('tells the model which of its messages a private reply answers', async () => {
      surface.model.enqueue([chatReply('Tomorrow at noon too.')]);
      await say('and tomorrow?', { replyTo: { fromId: BOT_ID, isBot: true, text: 'The call is at noon.' } });
      expect(texts(77)).toEqual(['Tomorrow at noon too.']);
      expect(lastRequest()).toContain('[The user is replying to your message: \\"The call is at noon.\\"]\\nand tomorrow?');
    });

    it('gives the part the user quoted rather than the whole message, and only the start of a long message, saying whose it was', async () => {
      const recipe = `${'Preheat the oven, then wait until it is hot. '.repeat(10)}Bake for twenty minutes.`;
      surface.model.enqueue([chatReply('200 °C.'), chatReply('It is your own note.')]);
      await say('how hot?', { replyTo: { fromId: BOT_ID, isBot: true, text: recipe, quote: 'Bake for twenty minutes.' } });
      expect(lastRequest()).toContain('[The user is replying to this part of your message: \\"Bake for twenty minutes.\\"]\\nhow hot?');
      await say('what did I mean here?', { replyTo: { fromId: 77, firstName: 'Ada', text: recipe } });
      expect(lastRequest()).toContain(`[The user is replying to their own message: \\"${recipe.slice(0, 300)}…\\"]\\nwhat did I mean here?`);
      expect(lastRequest()).not.toContain(recipe);
    });

    it('names the part of another member’s message a group reply quotes', async () => {
      surface.model.enqueue([chatReply('Friday works for me.')]);
      await say('@hermes_test_bot does that work?', { chatId: GROUP, userId: 502, firstName: 'Cy', replyTo: { fromId: 501, firstName: 'Bob', text: 'Let us move the call to Friday, or else Monday.', quote: 'Friday' } });
      expect(lastRequest()).toContain('[Cy (replying to this part of a message from Bob: \\"Friday\\")]: does that work?');
    });

    it('says what a reply to a message of another chat answers: the quoted words, or what it was and whose', async () => {
      const date = Math.floor(Date.now() / 1000) - 3_600;
      surface.model.enqueue([chatReply('Not that I know of.'), chatReply('A photo I cannot see from here.')]);
      const channel = { type: 'channel' as const, chat: { id: -1_001_777_000_111, type: 'channel' as const, title: 'Tech News' }, message_id: 42, date };
      await say('is this true?', { externalReply: { origin: channel, quote: 'Bun 2.0 ships today' } });
      expect(lastRequest()).toContain('[The user is replying to this part of a message from the channel Tech News in another chat or topic: \\"Bun 2.0 ships today\\"]\\nis this true?');
      const person = { type: 'user' as const, sender_user: { id: 4_711, is_bot: false, first_name: 'Grace', last_name: 'Hopper' }, date };
      await say('what is this?', { externalReply: { origin: person, photo: true } });
      expect(lastRequest()).toContain('[The user is replying to a photo from Grace Hopper in another chat or topic]\\nwhat is this?');
    });
  });

  describe("slash commands this bot has not, as Hermes' gateway answers them", () => {
    it('answers a command only classic Hermes has, and one nobody has, without the model', async () => {
      await say('/sethome');
      await say('/frobnicate now please');
      expect(texts(77).slice(-2)).toEqual([
        "/sethome is a command of classic Hermes that this assistant does not have. Here a job's answers always go to the chat it was made in, so there is no home channel to set: make the job in the chat that should get them. /help lists mine; to ask me something, send it without the leading slash.",
        "I don't know the command /frobnicate. /help lists mine; to ask me something, send it without the leading slash.",
      ]);
      expect(surface.model.requests).toEqual([]);
    });

    it("reads a skill command as the skill's SKILL.md with the words after it, hyphens written as underscores", async () => {
      const skill = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'skills', 'weekly-report', 'SKILL.md'), 'utf8');
      await surface.writeSkillFile('writing/weekly-report/SKILL.md', skill);
      surface.model.enqueue([chatReply('Here is the draft.'), chatReply('And again.')]);
      await say('/weekly_report for the sales team');
      expect(lastRequest()).toContain('[SYSTEM: The user has invoked the \\"weekly-report\\" skill, indicating they want you to follow its instructions.');
      expect(lastRequest()).toContain(JSON.stringify(skill.trim()).slice(1, 60));
      expect(lastRequest()).toContain('The user has provided the following instruction alongside the skill invocation: for the sales team');
      await say('/weekly-report', { replyTo: { fromId: 77, text: 'Sales were 1, 2 and 3.' } });
      expect(lastRequest()).toContain('invoked the \\"weekly-report\\" skill');
      expect(lastRequest()).toContain('Sales were 1, 2 and 3.');
      expect(lastRequest()).not.toContain('/weekly-report');
      expect(texts(77).slice(-2)).toEqual(['Here is the draft.', 'And again.']);
    });

    it('reads a pasted path, or a slash before a number, as text, not as a command', async () => {
      surface.model.enqueue([chatReply('That file maps host names to addresses.'), chatReply('4.')]);
      await say('/etc/hosts is what?');
      expect(lastRequest()).toContain('/etc/hosts is what?');
      await say('/2 + 2?');
      expect(texts(77).slice(-2)).toEqual(['That file maps host names to addresses.', '4.']);
    });

    it('points a command typed with a capital at the one meant, as Telegram matches commands by case', async () => {
      await say('/New');
      expect(texts(77).at(-1)).toBe('Commands are lowercase: try /new.');
      expect(surface.model.requests).toEqual([]);
    });

    it('answers /commands as /help, as Hermes does', async () => {
      await say('/commands');
      expect(texts(77).at(-1)).toContain('/help or /commands');
    });
  });

  describe('commands', () => {
    it('/help lists every command of the menu', async () => {
      await say('/help');
      const help = texts(77)[0]!;
      for (const { command } of COMMANDS) expect(help).toContain(`/${command}`);
      expect(help).toContain('/reset');
    });

    it('acknowledges a message at once with a reaction and the typing action', async () => {
      surface.model.enqueue([chatReply('seen')]);
      const update = textUpdate('ping', { updateId: updateId++ });
      await surface.send(update);
      expect(surface.api.calls.find((call) => call.method === 'setMessageReaction')?.params).toEqual({
        chat_id: 77,
        message_id: update.message!.message_id,
        reaction: [{ type: 'emoji', emoji: '👀' }],
      });
      expect(surface.api.calls.some((call) => call.method === 'sendChatAction')).toBe(true);
    });

    it('still answers a message deleted before its reaction could be set', async () => {
      surface.model.enqueue([chatReply('Answered anyway.')]);
      const update = textUpdate('gone soon', { updateId: updateId++ });
      surface.api.deleteMessage(77, update.message!.message_id);
      await surface.send(update);
      expect(texts(77).at(-1)).toBe('Answered anyway.');
    });

    it('/undo drops the last exchange from what the model sees next', async () => {
      await say('/new');
      surface.model.enqueue([chatReply('Noted: apples.'), chatReply('Noted: pears.')]);
      await say('My fruit is apples.');
      await say('Actually my fruit is pears.');
      await say('/undo');
      expect(texts(77).at(-1)).toMatch(/^Removed the last exchange \(“Actually my fruit is pears\.”\)/);
      surface.model.enqueue([chatReply('Apples.')]);
      await say('What is my fruit?');
      expect(lastRequest()).toContain('apples');
      expect(lastRequest()).not.toContain('pears');
      await say('/undo');
      await say('/undo');
      await say('/undo');
      expect(texts(77).at(-1)).toMatch(/nothing to undo/);
    });

    it('/compress folds the earlier exchanges into a summary that the next message sends instead, and says what it saved', async () => {
      // A forum topic of its own, its exchanges an hour old: /compress folds only what has settled.
      const topic = { chatId: GROUP, threadId: 35, userId: 77 };
      await tellHourAgo(topic, ['I like apples.', 'I live in Lyon.', 'My cat is Tom.', 'I work nights.']);
      surface.model.enqueue([chatReply('The user likes apples and lives in Lyon.')]);
      await say('/compress', topic);
      expect(texts(GROUP).at(-1)).toMatch(
        /^Compressed 2 earlier exchanges into a summary; the last 2 stay word for word\.\nThe conversation each message sends went from about [\d,]+ to [\d,]+ tokens\. \/undo, sent next, brings them back\.$/,
      );
      surface.model.enqueue([chatReply('Apples.')]);
      await say('@hermes_test_bot which fruit do I like?', topic);
      expect(lastRequest()).toContain('The user likes apples and lives in Lyon.');
      expect(lastRequest()).not.toContain('I like apples.');
      expect(lastRequest()).toContain('My cat is Tom.');
    });

    it('/retry after /compress keeps the compression and asks for the message again; /undo after it brings the exchanges back', async () => {
      // A group member's own conversation: /retry and /undo are theirs.
      const topic = { chatId: GROUP, userId: 601, firstName: 'Ola' };
      await tellHourAgo(topic, ['I like pears.', 'I live in Oslo.', 'My dog is Rex.']);
      surface.model.enqueue([chatReply('The user likes pears.')]);
      await say('/compress', topic);
      const requests = surface.model.requests.length;
      await say('/retry', topic);
      expect(texts(GROUP).at(-1)).toBe('The last thing here is /compress, which has no answer to give again; send your message again instead.');
      expect(surface.model.requests).toHaveLength(requests);
      await say('/undo', topic);
      expect(texts(GROUP).at(-1)).toBe('Undid /compress: the exchanges it folded into the summary are back in this conversation word for word.');
      surface.model.enqueue([chatReply('Pears.')]);
      await say('@hermes_test_bot which fruit?', topic);
      expect(lastRequest()).toContain('I like pears.');
      expect(lastRequest()).not.toContain('The user likes pears.');
    });

    it('/retry asks the model again for the last message, without the old answer', async () => {
      await say('/new');
      surface.model.enqueue([chatReply('A first, weak answer.'), chatReply('A better answer.')]);
      await say('Explain tides in one line.');
      await say('/retry');
      expect(texts(77).slice(-2)).toEqual(['A first, weak answer.', 'A better answer.']);
      expect(lastRequest()).toContain('Explain tides in one line.');
      expect(lastRequest()).not.toContain('weak answer');
      surface.model.enqueue([chatReply('ok')]);
      await say('and again?');
      expect(lastRequest().match(/Explain tides/g)).toHaveLength(1);
      expect(lastRequest()).toContain('A better answer.');
    });

    it('/model lists the configured models, switches this chat, and the switch persists', async () => {
      await say('/model');
      expect(texts(77).at(-1)).toBe('This conversation uses deepseek-flash. Available models:\n1. deepseek-flash (in use)\n2. deepseek-v4-pro\n\nSwitch with /model <name or number>.');
      await say('/model gpt-9');
      expect(texts(77).at(-1)).toMatch(/no model "gpt-9".*deepseek-flash, deepseek-v4-pro/);
      await say('/model 2');
      expect(texts(77).at(-1)).toBe('This conversation now uses deepseek-v4-pro. What was said so far stays.');
      surface.model.enqueue([chatReply('thinking hard')]);
      await say('hello pro');
      expect((surface.model.requests.at(-1)!.body as { model: string }).model).toBe('deepseek-v4-pro');
      surface.model.enqueue([chatReply('group default')]);
      await say('@hermes_test_bot and you?', { chatId: GROUP });
      expect((surface.model.requests.at(-1)!.body as { model: string }).model).toBe('deepseek-flash');
      await say('/status');
      expect(texts(77).at(-1)).toMatch(/^Model: deepseek-v4-pro \(deepseek\)\nThinking: low/);
      await say('/model deepseek-flash');
    });

    it('/usage reports tokens and estimated cost for today and this month, growing with each turn', async () => {
      const figures = (text: string) => {
        const match = /^Today \(UTC\): (\d+) messages?, ([\d,]+) tokens/.exec(text);
        return { turns: Number(match![1]), tokens: Number(match![2]!.replace(/,/g, '')) };
      };
      await say('/usage');
      const before = figures(texts(77).at(-1)!);
      surface.model.enqueue([{ response: deepseekCompletion({ content: 'Sure.', reasoning: 'ok', promptTokens: 2_000, cachedTokens: 1_536, completionTokens: 10 }) }]);
      await say('one more, please');
      await say('/usage');
      const report = texts(77).at(-1)!;
      expect(figures(report)).toEqual({ turns: before.turns + 1, tokens: before.tokens + 2_000 + 10 + 1 });
      expect(report).toMatch(/\nThis month: \d+ messages?, [\d,]+ tokens \([\d,]+ cached input, [\d,]+ other input, [\d,]+ output\), about \$\d/);
      expect(report).toMatch(/Estimated at deepseek-flash's published prices/);
    });

    it('/status reports model, history, jobs and memory use', async () => {
      await say('/new');
      surface.model.enqueue([chatReply('hi!')]);
      await say('hello');
      await say('/status');
      expect(texts(77).at(-1)).toBe(
        [
          'Model: deepseek-flash (deepseek)',
          'Thinking: low (HERMES_REASONING)',
          'History: 1 exchange word for word',
          'Scheduled jobs here: 0',
          'Memory, my notes: 0% — 0/2,200 chars',
          'Memory, about you: 0% — 0/1,375 chars',
        ].join('\n'),
      );
    });
  });
});

describe('a redelivered /undo through the Lambda handler', () => {
  let surface: Surface;
  beforeAll(async () => {
    surface = await lambdaSurface();
  });
  afterAll(() => surface.close());

  it('removes one exchange however often Telegram delivers it', async () => {
    surface.model.enqueue([chatReply('one'), chatReply('two')]);
    await surface.send(textUpdate('first message', { updateId: 1 }));
    await surface.send(textUpdate('second message', { updateId: 2 }));
    const undo = textUpdate('/undo', { updateId: 3 });
    // The reply fails after the turn was removed, so the webhook answers 500 and Telegram redelivers the update.
    surface.api.injectFault({ method: 'sendMessage', errorCode: 429, description: 'Too Many Requests: retry after 45', retryAfter: 45 });
    const output = captureOutput();
    const failed = (await handler(functionUrlEvent({ body: JSON.stringify(undo), secret: SECRET }), lambdaContext())) as { statusCode: number };
    vi.restoreAllMocks();
    expect(failed.statusCode).toBe(500);
    expect(output.text()).toContain('Too Many Requests');
    await surface.send(undo);
    expect(surface.api.sent(77).at(-1)!.text).toBe('Removed the last exchange. I no longer see it in this conversation.');
    surface.model.enqueue([chatReply('three')]);
    await surface.send(textUpdate('what did I say first?', { updateId: 4 }));
    const request = JSON.stringify(surface.model.requests.at(-1)!.body);
    expect(request).toContain('first message');
    expect(request).not.toContain('second message');
    expect(surface.model.remaining).toBe(0);
  });
});

describe('a group where the bot hears every message (TELEGRAM_REQUIRE_MENTION=false)', () => {
  it("leaves the members' stickers and dice alone, and still answers one sent in reply to it", async () => {
    const surface = await pollingSurface({ TELEGRAM_REQUIRE_MENTION: 'false' });
    try {
      const chat = { id: GROUP, type: 'supergroup' as const, title: 'Family' };
      const from = { id: 501, is_bot: false, first_name: 'Bob' };
      const date = Math.floor(Date.now() / 1000);
      const sticker = { file_id: 'CAACAgIAAxkBAAIBsticker', file_unique_id: 'AgADsticker', type: 'regular' as const, width: 512, height: 512, is_animated: false, is_video: false, emoji: '😀' };
      await surface.send({ update_id: 9_001, message: { message_id: 9_001, date, chat, from, sticker } } as Update);
      await surface.send({ update_id: 9_002, message: { message_id: 9_002, date, chat, from, dice: { emoji: '🎲', value: 4 } } } as Update);
      await surface.send({ update_id: 9_003, message: { message_id: 9_003, date, chat, from, text: '/weather Berlin', entities: [{ type: 'bot_command', offset: 0, length: 8 }] } } as Update);
      expect(surface.api.sent(GROUP)).toEqual([]);
      expect(surface.model.requests).toEqual([]);
      const botMessage = { message_id: 8_000, date, chat, from: { id: BOT_ID, is_bot: true, first_name: 'Hermes', username: 'hermes_test_bot' }, text: 'Hello!' };
      surface.model.enqueue([chatReply('😄')]);
      await surface.send({ update_id: 9_004, message: { message_id: 9_004, date, chat, from, sticker, reply_to_message: botMessage } } as Update);
      expect(JSON.stringify(surface.model.requests.at(-1))).toContain('[The user sent a sticker 😀; only its emoji is known, not the picture]');
      expect(surface.api.sent(GROUP).map((message) => message.text)).toEqual(['😄']);
    } finally {
      await surface.close();
    }
  });
});
