import { Api } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderChunks, sendChunks, sendReply } from '../../handlers/telegram-reply.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';
import { RecipientGoneError } from '../../tools/errors.ts';
import { FLOOD_WAIT } from '../stand-ins/bot-api-faults.ts';

describe('sending a reply through the Bot API stand-in', () => {
  let server: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    server = await new FakeBotApi().start();
    api = new Api('123456:REPLY-test-token', { apiRoot: server.apiRoot });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.calls.length = 0;
  });

  it('re-sends a message Telegram cannot parse as plain text, in the same topic', async () => {
    await sendChunks(api, { chatId: -100700, threadId: 3 }, { chunks: [{ html: '<b>unclosed and <i>crossed</b></i>', plain: 'unclosed and crossed' }] });
    const attempts = server.calls.filter((call) => call.method === 'sendMessage').map((call) => call.params);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({ parse_mode: 'HTML', message_thread_id: 3 });
    expect(attempts[1]).toEqual({ chat_id: -100700, text: 'unclosed and crossed', message_thread_id: 3, link_preview_options: { is_disabled: true } });
  });

  it('sends the rest of an answer to the supergroup a group became while it was on its way, from the message refused', async () => {
    const before = server.sent(-1001234567891).length;
    server.injectFault({ method: 'sendMessage', errorCode: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', migrateToChatId: -1001234567891 });
    await sendReply(api, { chatId: -4101, replyToMessageId: 12 }, 'the answer');
    expect(server.sent(-1001234567891).slice(before)).toEqual([{ chat_id: -1001234567891, text: 'the answer', parse_mode: 'HTML', link_preview_options: { is_disabled: true } }]);
  });

  it('answers a member who deleted their message while the bot was working, without the reply to it', async () => {
    server.deleteMessage(-100_704, 55);
    await sendReply(api, { chatId: -100_704, replyToMessageId: 55 }, 'the answer');
    expect(server.sent(-100_704)).toEqual([expect.objectContaining({ text: 'the answer' })]);
  });

  it('tells a chat that refuses the bot for good from a failure worth retrying', async () => {
    server.injectFault({ method: 'sendMessage', errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    await expect(sendReply(api, { chatId: 41 }, 'hello')).rejects.toThrow(RecipientGoneError);
    server.injectFault({ method: 'sendMessage', ...FLOOD_WAIT });
    await expect(sendReply(api, { chatId: 41 }, 'hello')).rejects.not.toThrow(RecipientGoneError);
  });

  it.each(['Bad Request: TOPIC_CLOSED', 'Bad Request: message thread not found', 'Bad Request: chat not found', 'Bad Request: not enough rights to send text messages to the chat', 'Bad Request: CHAT_WRITE_FORBIDDEN'])(
    'takes %j as a chat the bot can no longer write to, not a failure to retry',
    async (description) => {
      server.injectFault({ method: 'sendMessage', errorCode: 400, description });
      await expect(sendReply(api, { chatId: -100_703, threadId: 4 }, 'hello')).rejects.toThrow(RecipientGoneError);
    },
  );

  it('keeps where each link points in the plain-text fallback', () => {
    const [chunk] = renderChunks('See [the docs](https://core.telegram.org/bots/api?a=1&b=2) or https://example.com.');
    expect(chunk!.plain).toBe('See the docs (https://core.telegram.org/bots/api?a=1&b=2) or https://example.com.');
  });

  it('leaves the addresses out of a plain-text fallback they would make too long, counting as Telegram does (UTF-16)', () => {
    // 2,000 emoji are 2,000 code points but 4,000 UTF-16 units: with the address, more than Telegram takes.
    const [chunk] = renderChunks(`${'🙂'.repeat(2_000)} [link](https://example.com/${'a'.repeat(80)})`);
    expect(chunk!.plain.length).toBeLessThanOrEqual(4_096);
    expect(chunk!.plain.endsWith(' link')).toBe(true);
  });

  it('sends a code block of about 2,800 characters full of <, > and && as one message: Telegram counts the text it shows, not the HTML', async () => {
    const code = Array.from({ length: 117 }, (_, i) => `ok${String(i).padStart(3, '0')} = a < b && c > d;`).join('\n');
    expect(code.length).toBeGreaterThan(2_700);
    expect(code.length).toBeLessThan(2_900);
    await sendReply(api, { chatId: -100_702 }, `\`\`\`ts\n${code}\n\`\`\``);
    const sent = server.sent(-100_702);
    expect(sent).toEqual([expect.objectContaining({ parse_mode: 'HTML' })]);
    // Escaped, the HTML is far longer than 4096 characters; the stand-in took it, as Telegram would.
    expect(sent[0]!.text.length).toBeGreaterThan(4_096);
    expect(sent[0]!.text).toContain('ok116 = a &lt; b &amp;&amp; c &gt; d;');
  });

  it('sends a long reply with a table and code as messages Telegram accepts, replying to the first only', async () => {
    const table = ['| # | item |', '|---|---|', ...Array.from({ length: 150 }, (_, i) => `| ${i} | thing number ${i} |`)].join('\n');
    const code = ['```js', ...Array.from({ length: 200 }, (_, i) => `console.log(${i} < ${i + 1} && "x");`), '```'].join('\n');
    await sendReply(api, { chatId: -100700, replyToMessageId: 55 }, `## Inventory\n\n${table}\n\n${code}`);
    const sent = server.sent(-100700);
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.every((message) => message.parse_mode === 'HTML')).toBe(true);
    expect(server.calls.filter((call) => call.method === 'sendMessage' && call.params.reply_parameters)).toHaveLength(1);
  });
});
