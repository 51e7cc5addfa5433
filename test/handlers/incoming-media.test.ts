import { readFileSync } from 'node:fs';
import { TIME_STAMP_PREFIX } from '../../agent/turn-rendering.ts';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { telegramSessionKey } from '../../agent/session-key.ts';
import { handler } from '../../handlers/lambda.ts';
import { resetLambdaApp } from '../../handlers/lambda-app.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';
import { FakeTranscribe } from '../stand-ins/transcribe-server.ts';
import { jsonReply, startLocalHttpServer, type LocalHttpServer, type LocalRequest } from '../stand-ins/local-http-server.ts';
import { startDynalite, type DynaliteHarness } from '../stand-ins/dynalite.ts';
import { functionUrlEvent, lambdaContext } from '../stand-ins/lambda-events.ts';
import { bedrockConverse, deepseekCompletion, deepseekThinkingText } from '../stand-ins/provider-wire.ts';
import { FILE_NOT_KEPT_NOTE } from '../../agent/turn-size.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { startS3rver, type S3rverHarness } from '../stand-ins/s3rver.ts';
import { storedTurns } from '../stand-ins/stored-turns.ts';
import { albumUpdates } from '../stand-ins/telegram-updates.ts';
import { lambdaEnv, stubEnvs } from '../stand-ins/lambda-env.ts';

const updates = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'telegram', 'updates.json'), 'utf8')) as Record<string, { update_id: number; message: Record<string, unknown> }>;
const media = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', name));
const SECRET = 'webhook_secret-789';
/** What OpenAI's transcriptions take ("file", Create transcription, API reference, read 2026-12-02). */
const OPENAI_AUDIO_FORMATS = ['flac', 'mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'ogg', 'wav', 'webm'];
const TOKEN = '123456:MEDIA-test-token';

const chatReply = (text: string) => ({
  response: deepseekThinkingText(text),
});

type ChatMessage = { role: string; content: string | Array<{ type: string; text?: string; image_url?: { url: string } }> };
const userMessages = (model: ReplayModelServer) => (model.requests.at(-1)!.body as { messages: ChatMessage[] }).messages.filter((m) => m.role === 'user');
const contentText = (message: ChatMessage) =>
  (typeof message.content === 'string' ? message.content : message.content.map((part) => part.text ?? '').join('\n')).replace(TIME_STAMP_PREFIX, '');

describe('photos, documents and files through the Lambda handler', () => {
  let dynamo: DynaliteHarness;
  let s3: S3rverHarness;
  let api: FakeBotApi;
  let model: ReplayModelServer;
  let transcribe: FakeTranscribe;
  let nextUpdateId = 5000;
  let nextChat = 9100;

  /** The named fixture update, with a fresh update_id, in a chat of its own, with its fields changed by `patch`. */
  const post = async (name: string, patch: Record<string, unknown> = {}) => {
    const fixture = updates[name]!;
    const chatId = nextChat++;
    const update = { update_id: nextUpdateId++, message: { ...fixture.message, chat: { id: chatId, type: 'private', first_name: 'Ada' }, ...patch } };
    const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())) as { statusCode: number };
    expect(result.statusCode).toBe(200);
    return chatId;
  };
  /** Runs `test` with the function redeployed under `name=value`, then as it was. */
  const withSetting = async (name: string, value: string, test: () => Promise<void>) => {
    vi.stubEnv(name, value);
    resetLambdaApp();
    try {
      await test();
    } finally {
      vi.stubEnv(name, '');
    }
  };
  const useModel = (modelId: string) => {
    vi.stubEnv('HERMES_MODEL', modelId);
    resetLambdaApp();
  };

  beforeAll(async () => {
    [dynamo, s3, api, model] = await Promise.all([startDynalite(), startS3rver(), new FakeBotApi().start(), new ReplayModelServer().start()]);
    transcribe = await new FakeTranscribe(async (bucket, key) => {
      const object = await s3.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      return object?.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
    }).start();
    stubEnvs(
      {
        ...lambdaEnv({ dynamoEndpoint: dynamo.endpoint, table: dynamo.tableName, s3Endpoint: s3.endpoint, bucket: s3.bucket, botApiRoot: api.apiRoot, modelUrl: model.url }),
        AWS_ENDPOINT_URL_TRANSCRIBE: transcribe.endpoint,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_BOT_USERNAME: 'hermes_test_bot',
        TELEGRAM_WEBHOOK_SECRET: SECRET,
        DEEPSEEK_API_KEY: 'sk-media-test',
      },
      vi.stubEnv,
    );
    api.hostFile('AgACAgIAAxkBAAIB9WdSmall', media('red-square.png'), { filePath: 'photos/file_1.jpg', fileUniqueId: 'AQADs1' });
    api.hostFile('AgACAgIAAxkBAAIB9WdMedium', media('red-square.png'), { filePath: 'photos/file_2.jpg', fileUniqueId: 'AQADm1' });
    api.hostFile('AgACAgIAAxkBAAIB9WdLarge', media('red-square.png'), { filePath: 'photos/file_3.jpg', fileUniqueId: 'AQADl1', size: 9_400_000 });
    api.hostFile('BQACAgIAAxkBAAIB-pdf', media('meeting-notes.pdf'), { filePath: 'documents/file_4.pdf', fileUniqueId: 'AgADpdf' });
    api.hostFile('BQACAgIAAxkBAAIB-txt', media('shopping.txt'), { filePath: 'documents/file_5.txt', fileUniqueId: 'AgADtxt' });
    api.hostFile('BQACAgIAAxkBAAIB-docx', media('packing-list.docx'), { filePath: 'documents/file_9.docx', fileUniqueId: 'AgADdocx' });
    api.hostFile('AwACAgIAAxkBAAIB-voice', media('voice-reminder.ogg'), { filePath: 'voice/file_8.oga', fileUniqueId: 'AgADvoice' });
    api.hostFile('DQACAgIAAxkBAAIB-vnote', media('video-note.mp4'), { filePath: 'video_notes/file_14.mp4', fileUniqueId: 'AgADvnote' });
    api.hostFile('BQACAgIAAxkBAAIB-huge', media('shopping.txt'), { filePath: 'documents/file_6.zip', size: 25 * 1024 * 1024 });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    resetLambdaApp();
    await Promise.all([dynamo.close(), s3.close(), api.close(), model.close(), transcribe.close()]);
  });

  beforeEach(() => {
    api.calls.length = 0;
    api.downloads.length = 0;
    model.requests.length = 0;
    useModel('deepseek-flash');
  });

  afterEach(() => {
    expect(model.remaining).toBe(0);
  });

  it('sends the largest photo size within the limit to an image-capable model, with the caption, and stores it in S3 by reference', async () => {
    model.enqueue([chatReply('The square is red.')]);
    const chatId = await post('photo_with_caption');
    expect(api.calls.filter((call) => call.method === 'getFile').map((call) => call.params.file_id)).toEqual(['AgACAgIAAxkBAAIB9WdMedium']);
    const [user] = userMessages(model);
    const parts = user!.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    expect(parts.find((part) => part.type === 'image_url')!.image_url!.url).toBe(`data:image/png;base64,${media('red-square.png').toString('base64')}`);
    expect(contentText(user!)).toContain('What colour is the square in this picture?');
    expect(api.sent(chatId).map((m) => m.text)).toEqual(['The square is red.']);

    const object = await s3.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `media/${chatId}/AQADm1.png` }));
    expect(Buffer.from(await object.Body!.transformToByteArray())).toEqual(media('red-square.png'));
    expect(object.ContentType).toBe('image/png');
    const stored = JSON.stringify(await storedTurns(dynamo.doc, dynamo.tableName, telegramSessionKey(chatId)));
    expect(stored).toContain(`media:${chatId}/AQADm1.png`);
    expect(stored).not.toContain(media('red-square.png').toString('base64'));
  });

  it('a later turn still knows the photo by its reference, without resending the bytes', async () => {
    model.enqueue([chatReply('Red.'), chatReply('It was a red square.')]);
    const chatId = await post('photo_with_caption');
    const follow = { update_id: nextUpdateId++, message: { message_id: 9, from: { id: 77, is_bot: false, first_name: 'Ada' }, chat: { id: chatId, type: 'private', first_name: 'Ada' }, date: 1764620100, text: 'What did I send you?' } };
    await handler(functionUrlEvent({ body: JSON.stringify(follow), secret: SECRET }), lambdaContext());
    const history = JSON.stringify(model.requests.at(-1)!.body);
    expect(history).toContain(`media:${chatId}/AQADm1.png`);
    expect(history).not.toContain('image_url');
  });

  it('attaches an earlier photo again when the user replies to it', async () => {
    model.enqueue([chatReply('Still red.')]);
    const photo = updates.photo_with_caption!.message;
    const chatId = await post('photo_with_caption', { photo: undefined, caption: undefined, text: 'and now, what colour?', reply_to_message: { ...photo, chat: { id: nextChat, type: 'private', first_name: 'Ada' } } });
    const [user] = userMessages(model);
    const parts = user!.content as Array<{ type: string; image_url?: { url: string } }>;
    expect(parts.filter((part) => part.type === 'image_url')).toHaveLength(1);
    expect(contentText(user!)).toMatch(/replies to a photo sent earlier.*\nand now, what colour\?/s);
    expect(api.sent(chatId).map((m) => m.text)).toEqual(['Still red.']);
  });

  it('tells the user plainly when the model cannot see images and still answers the caption', async () => {
    useModel('deepseek-v4-pro');
    model.enqueue([chatReply('I cannot tell the colour without seeing it.')]);
    const chatId = await post('photo_with_caption');
    expect(api.calls.filter((call) => call.method === 'getFile')).toEqual([]);
    expect(JSON.stringify(model.requests[0]!.body)).not.toContain('image_url');
    expect(contentText(userMessages(model).at(-1)!)).toContain('What colour is the square in this picture?');
    expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/^I can't see images with the current model \(deepseek-v4-pro\).*\n\nI cannot tell the colour/s)]);
  });

  it('answers a captionless photo without the model when the model cannot see images', async () => {
    useModel('deepseek-v4-pro');
    const chatId = await post('photo_with_caption', { caption: undefined });
    expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/can't see images/)]);
    expect(model.requests).toEqual([]);
  });

  it("refuses a file whose message gave no size by the size getFile reports, before downloading it", async () => {
    await withSetting('HERMES_MEDIA_MAX_BYTES', '1000', async () => {
      api.hostFile('BQACAgIAAxkBAAIB-nosize-big', media('meeting-notes.pdf'), { filePath: 'documents/file_15.pdf', fileUniqueId: 'AgADnosizebig' });
      model.enqueue([{ response: deepseekCompletion({ content: 'I could not open it.' }) }]);
      const document = { file_name: 'scans.pdf', mime_type: 'application/pdf', file_id: 'BQACAgIAAxkBAAIB-nosize-big', file_unique_id: 'AgADnosizebig' };
      const chatId = await post('document_pdf', { document, caption: 'what is in it?' });
      expect(api.sent(chatId).map((m) => m.text).join('\n')).toMatch(/That file "scans\.pdf" is 2 KB; I can read files up to 1 KB\./);
      expect(api.downloads.some((path) => path.endsWith('documents/file_15.pdf'))).toBe(false);
    });
  });

  it('refuses a file no one gave a size for once its bytes run over the limit', async () => {
    await withSetting('HERMES_MEDIA_MAX_BYTES', '1000', async () => {
      api.hostFile('BQACAgIAAxkBAAIB-nosize', media('meeting-notes.pdf'), { filePath: 'documents/file_16.pdf', size: null, fileUniqueId: 'AgADnosize' });
      model.enqueue([{ response: deepseekCompletion({ content: 'I could not read it.' }) }]);
      const document = { file_name: 'notes.pdf', mime_type: 'application/pdf', file_id: 'BQACAgIAAxkBAAIB-nosize', file_unique_id: 'AgADnosize' };
      const chatId = await post('document_pdf', { document, caption: 'summarize it' });
      expect(api.sent(chatId).map((m) => m.text).join('\n')).toMatch(/That file "notes\.pdf" is 2 KB; I can read files up to 1 KB\./);
    });
  });

  it('refuses a photo whose every size is over the image limit, saying so', async () => {
    await withSetting('HERMES_IMAGE_MAX_BYTES', '1000', async () => {
      const chatId = await post('photo_with_caption', { caption: undefined });
      expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/^That photo is 2 KB; I can read up to 1 KB\.$/)]);
      expect(api.downloads).toEqual([]);
    });
  });

  describe('on Bedrock (Claude)', () => {
    const converseReply = (text: string) => ({
      response: { output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: { latencyMs: 100 } },
    });
    type ConverseBlock = { text?: string; image?: { format: string; source: { bytes: string } }; document?: { format: string; name: string; source: { bytes: string } } };
    const lastUserBlocks = () => {
      const body = model.requests.at(-1)!.body as { messages: Array<{ role: string; content: ConverseBlock[] }> };
      return body.messages.filter((m) => m.role === 'user').at(-1)!.content;
    };

    beforeEach(() => {
      vi.stubEnv('HERMES_PROVIDER', 'bedrock');
      vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', model.url);
      useModel('us.anthropic.claude-sonnet-4-20250514-v1:0');
    });
    afterEach(() => {
      vi.stubEnv('HERMES_PROVIDER', '');
      vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', '');
    });

    it('sends a PDF as a Converse document block', async () => {
      model.enqueue([converseReply('Version 2 ships Friday.')]);
      const chatId = await post('document_pdf');
      const blocks = lastUserBlocks();
      expect(blocks.find((block) => block.document)!.document).toEqual({ format: 'pdf', name: 'document-1', source: { bytes: media('meeting-notes.pdf').toString('base64') } });
      expect(blocks.map((block) => block.text ?? '').join('\n')).toMatch(/PDF "meeting-notes.pdf" attached \(2 pages\)[\s\S]*summarize/);
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['Version 2 ships Friday.']);
    });

    it('sends a photo as a Converse image block', async () => {
      model.enqueue([converseReply('Red.')]);
      await post('photo_with_caption');
      expect(lastUserBlocks().find((block) => block.image)!.image).toEqual({ format: 'png', source: { bytes: media('red-square.png').toString('base64') } });
    });

    it('asks for photos of a scanned PDF, whose pages Claude would not see through Converse, and still answers the caption', async () => {
      api.hostFile('BQACAgIAAxkBAAIB-scan', media('scanned-page.pdf'), { filePath: 'documents/file_13.pdf', fileUniqueId: 'AgADscan' });
      model.enqueue([converseReply('Could you send photos of the pages?')]);
      const document = { file_name: 'contract.pdf', mime_type: 'application/pdf', file_id: 'BQACAgIAAxkBAAIB-scan', file_unique_id: 'AgADscan', file_size: media('scanned-page.pdf').length };
      const chatId = await post('document_pdf', { document, caption: 'what does it say?' });
      expect(lastUserBlocks().some((block) => block.document)).toBe(false);
      expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/^That PDF has no text I can read; it may be scanned pages\. Send the pages as photos instead\.\n\nCould you send photos/)]);
    });

    it('tells the user an image sent as a file is larger than Bedrock takes, and still answers the caption', async () => {
      api.hostFile('BQACAgIAAxkBAAIB-tall', media('tall-strip.png'), { filePath: 'documents/file_11.png', fileUniqueId: 'AgADtall' });
      model.enqueue([converseReply('Send me a shorter part of the page.')]);
      const document = { file_name: 'screenshot.png', mime_type: 'image/png', file_id: 'BQACAgIAAxkBAAIB-tall', file_unique_id: 'AgADtall', file_size: media('tall-strip.png').length };
      const chatId = await post('document_docx', { document, caption: 'what does this page say?' });
      expect(lastUserBlocks().some((block) => block.image)).toBe(false);
      expect(api.sent(chatId).map((m) => m.text)).toEqual([
        expect.stringMatching(/^That image is 120 × 9000 pixels; the model takes at most 8000 on a side\. Send it as a photo.*\n\nSend me a shorter part of the page\.$/s),
      ]);
      expect(model.failures).toEqual([]);
    });

    it('tells the user an image file larger than the model takes can go as a photo, without downloading it', async () => {
      model.enqueue([converseReply('I will wait for the photo.')]);
      const document = { file_name: 'IMG_2041.jpg', mime_type: 'image/jpeg', file_id: 'BQACAgIAAxkBAAIB-big', file_unique_id: 'AgADbig', file_size: 5_000_000 };
      const chatId = await post('document_docx', { document, caption: 'what is in this?' });
      expect(api.sent(chatId).map((m) => m.text)).toEqual([
        expect.stringMatching(/^That image file is 4\.8 MB; the model takes images up to 3\.6 MB\. Send it as a photo instead \(Telegram shrinks it\)\.\n\nI will wait for the photo\.$/),
      ]);
      expect(api.downloads).toEqual([]);
    });

    it('sends a Word document as a Converse document block, with its caption', async () => {
      model.enqueue([converseReply('Passport, charger and sandals.')]);
      const chatId = await post('document_docx');
      const blocks = lastUserBlocks();
      expect(blocks.find((block) => block.document)!.document).toEqual({ format: 'docx', name: 'document-1', source: { bytes: media('packing-list.docx').toString('base64') } });
      expect(blocks.map((block) => block.text ?? '').join('\n')).toMatch(/Word document "packing-list.docx" attached, kept as media:\d+\/AgADdocx.docx[\s\S]*what should I pack\?/);
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['Passport, charger and sandals.']);
    });

    it('reads five documents of an album and tells the user about the sixth: Bedrock takes five in one message', async () => {
      const chatId = nextChat++;
      const fixture = updates.document_pdf!;
      const album = Array.from({ length: 6 }, (_, index) => {
        const fileId = `BQACAgIAAxkBAAIB-pdf-album-${index}`;
        api.hostFile(fileId, media('meeting-notes.pdf'), { filePath: `documents/album_${index}.pdf`, fileUniqueId: `AgADalbum${index}` });
        const document = { ...(fixture.message.document as Record<string, unknown>), file_id: fileId, file_unique_id: `AgADalbum${index}` };
        return {
          update_id: nextUpdateId++,
          message: { ...fixture.message, message_id: 900 + index, chat: { id: chatId, type: 'private', first_name: 'Ada' }, media_group_id: '13867207293917500', document, caption: index === 0 ? 'compare these' : undefined },
        };
      });
      model.enqueue([converseReply('They are the same notes, six times.')]);
      await Promise.all(album.map((update) => handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())));
      expect(model.requests).toHaveLength(1);
      const blocks = lastUserBlocks();
      expect(blocks.filter((block) => block.document)).toHaveLength(5);
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['I can read up to 5 documents in one message; please send the others in another message.\n\nThey are the same notes, six times.']);
    });

    it('sends the PDFs of an album past the 100 pages Claude reads in one request as their text', async () => {
      vi.stubEnv('HERMES_DOCUMENT_MAX_PAGES', '120');
      resetLambdaApp();
      try {
        const chatId = nextChat++;
        const fixture = updates.document_pdf!;
        const album = Array.from({ length: 2 }, (_, index) => {
          const fileId = `BQACAgIAAxkBAAIB-report-${index}`;
          api.hostFile(fileId, media('annual-report.pdf'), { filePath: `documents/report_${index}.pdf`, fileUniqueId: `AgADreport${index}` });
          const document = { ...(fixture.message.document as Record<string, unknown>), file_name: `report-${2025 + index}.pdf`, file_id: fileId, file_unique_id: `AgADreport${index}`, file_size: media('annual-report.pdf').length };
          return {
            update_id: nextUpdateId++,
            message: { ...fixture.message, message_id: 950 + index, chat: { id: chatId, type: 'private', first_name: 'Ada' }, media_group_id: '13867207293917511', document, caption: index === 0 ? 'compare the two years' : undefined },
          };
        });
        model.enqueue([converseReply('Both years grew in every region.')]);
        await Promise.all(album.map((update) => handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())));
        const blocks = lastUserBlocks();
        expect(blocks.filter((block) => block.document).map((block) => block.document!.source.bytes)).toEqual([media('annual-report.pdf').toString('base64')]);
        expect(blocks.map((block) => block.text ?? '').join('\n')).toMatch(/<document name="report-2026.pdf">[\s\S]*Annual report, page 60/);
        expect(api.sent(chatId).map((m) => m.text)).toEqual(['Both years grew in every region.']);
      } finally {
        vi.stubEnv('HERMES_DOCUMENT_MAX_PAGES', '');
      }
    });

    it('opens a PDF sent earlier as its text when, with the PDF of the message, it would pass the 100 pages Claude reads', async () => {
      vi.stubEnv('HERMES_DOCUMENT_MAX_PAGES', '120');
      resetLambdaApp();
      try {
        const chatId = nextChat++;
        const fixture = updates.document_pdf!;
        const reportUpdate = (year: number, caption: string) => {
          const fileId = `BQACAgIAAxkBAAIB-year-${year}`;
          api.hostFile(fileId, media('annual-report.pdf'), { filePath: `documents/year_${year}.pdf`, fileUniqueId: `AgADyear${year}` });
          const document = { ...(fixture.message.document as Record<string, unknown>), file_name: `report-${year}.pdf`, file_id: fileId, file_unique_id: `AgADyear${year}`, file_size: media('annual-report.pdf').length };
          return { update_id: nextUpdateId++, message: { ...fixture.message, message_id: nextUpdateId, chat: { id: chatId, type: 'private', first_name: 'Ada' }, document, caption } };
        };
        model.enqueue([converseReply('Noted, the 2025 report.')]);
        await handler(functionUrlEvent({ body: JSON.stringify(reportUpdate(2025, 'last year')), secret: SECRET }), lambdaContext());
        model.enqueue([
          {
            response: bedrockConverse({
              reasoning: { text: 'Compare with the report sent before.', signature: 'c2lnbmF0dXJlLW9mLXRoZS1yZWFzb25pbmc=' },
              toolUses: [{ toolUseId: 'tooluse_view_2', name: 'media_view', input: { key: `media:${chatId}/AgADyear2025.pdf` } }],
            }),
          },
          converseReply('Both years grew.'),
        ]);
        await handler(functionUrlEvent({ body: JSON.stringify(reportUpdate(2026, 'compare with the one I sent before')), secret: SECRET }), lambdaContext());
        const results = lastUserBlocks() as Array<{ toolResult?: { toolUseId: string; content: Array<ConverseBlock & { json?: { content?: string } }> } }>;
        const result = results.find((block) => block.toolResult)!.toolResult!;
        expect(result.content.some((block) => block.document)).toBe(false);
        expect(JSON.stringify(result.content)).toContain('Annual report, page 60');
        expect(api.sent(chatId).at(-1)!.text).toBe('Both years grew.');
      } finally {
        vi.stubEnv('HERMES_DOCUMENT_MAX_PAGES', '');
      }
    });

    it('opens a PDF sent earlier again as a document block of the tool result', async () => {
      model.enqueue([converseReply('Version 2 ships Friday.')]);
      const chatId = await post('document_pdf');
      model.enqueue([
        {
          response: bedrockConverse({
            reasoning: { text: 'The answer is in the PDF itself.', signature: 'c2lnbmF0dXJlLW9mLXRoZS1yZWFzb25pbmc=' },
            toolUses: [{ toolUseId: 'tooluse_view_1', name: 'media_view', input: { key: `media:${chatId}/AgADpdf.pdf` } }],
          }),
        },
        converseReply('Ada writes them.'),
      ]);
      const update = { update_id: nextUpdateId++, message: { message_id: nextUpdateId, from: { id: 77, is_bot: false, first_name: 'Ada' }, chat: { id: chatId, type: 'private', first_name: 'Ada' }, date: Math.floor(Date.now() / 1000), text: 'Who writes the release notes?' } };
      await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext());
      const results = lastUserBlocks() as Array<{ toolResult?: { toolUseId: string; content: ConverseBlock[] } }>;
      const result = results.find((block) => block.toolResult)!.toolResult!;
      expect(result.content.find((block) => block.document)!.document).toMatchObject({ format: 'pdf', source: { bytes: media('meeting-notes.pdf').toString('base64') } });
      expect(api.sent(chatId).at(-1)!.text).toBe('Ada writes them.');
    });
  });

  it('answers an album of photos in one turn, with its caption, when its messages run side by side (one invocation each)', async () => {
    model.enqueue([chatReply('One red square, one blue square.')]);
    const chatId = nextChat++;
    api.hostFile('AgACAgIAAxkBAAIB-blue', media('blue-square.png'), { filePath: 'photos/file_7.jpg', fileUniqueId: 'AQADblue' });
    const album = albumUpdates(
      [
        { fileId: 'AgACAgIAAxkBAAIB9WdMedium', fileUniqueId: 'AQADm1', caption: 'Which colours are these?' },
        { fileId: 'AgACAgIAAxkBAAIB-blue', fileUniqueId: 'AQADblue' },
      ],
      { chatId, firstUpdateId: nextUpdateId },
    );
    nextUpdateId += album.length;
    const results = await Promise.all(album.map((update) => handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext()) as Promise<{ statusCode: number }>));
    expect(results.map((result) => result.statusCode)).toEqual([200, 200]);
    expect(model.requests).toHaveLength(1);
    const [user] = userMessages(model);
    const images = (user!.content as Array<{ type: string; image_url?: { url: string } }>).filter((part) => part.type === 'image_url').map((part) => part.image_url!.url);
    expect(images).toEqual([media('red-square.png'), media('blue-square.png')].map((bytes) => `data:image/png;base64,${bytes.toString('base64')}`));
    expect(contentText(user!)).toContain('Which colours are these?');
    expect(api.sent(chatId).map((m) => m.text)).toEqual(['One red square, one blue square.']);
  });

  describe('voice notes', () => {
    const REMINDER = 'Remind me to water the plants in ten minutes';

    it('are transcribed by Amazon Transcribe from S3 and answered as if typed, echoing what was heard', async () => {
      transcribe.hears(REMINDER);
      model.enqueue([chatReply('I will remind you at 10:40.')]);
      const chatId = await post('voice');
      const start = transcribe.calls.find((call) => call.target === 'Transcribe.StartTranscriptionJob')!.body;
      expect(start).toEqual({
        TranscriptionJobName: `hermes-${chatId}-AgADvoice.ogg`,
        Media: { MediaFileUri: `s3://${s3.bucket}/media/${chatId}/AgADvoice.ogg` },
        MediaFormat: 'ogg',
        IdentifyLanguage: true,
      });
      expect(contentText(userMessages(model).at(-1)!)).toBe(`[Voice note, 2 s, kept as media:${chatId}/AgADvoice.ogg. Transcript, to be answered as if typed:]\n${REMINDER}`);
      expect(api.sent(chatId).map((m) => m.text)).toEqual([`🎤 “${REMINDER}”\n\nI will remind you at 10:40.`]);
      // "typing…" shows while the note is fetched and transcribed.
      expect(api.calls.some((call) => call.method === 'sendChatAction' && call.params.chat_id === chatId)).toBe(true);
    });

    it('echo the words exactly as heard, though they look like Markdown', async () => {
      transcribe.hears('What is 5*3 and 2*4?');
      model.enqueue([chatReply('15 and 8.')]);
      const chatId = await post('voice');
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['🎤 “What is 5*3 and 2*4?”\n\n15 and 8.']);
    });

    it('answer a long recording, though its transcript is longer than a typed message may be', async () => {
      const speech = 'and then we talked about the garden '.repeat(500);
      expect(speech.length).toBeGreaterThan(16_000);
      transcribe.hears(speech);
      model.enqueue([chatReply('A long talk about the garden.')]);
      const chatId = await post('voice');
      expect(contentText(userMessages(model).at(-1)!)).toContain(speech.trim());
      expect(api.sent(chatId).at(-1)!.text).toMatch(/A long talk about the garden\.$/);
    });

    it('are transcribed when shared as a file too, as a voice memo from the phone\'s recorder is', async () => {
      api.hostFile('BQACAgIAAxkBAAIB-memo', media('voice-reminder.ogg'), { filePath: 'documents/file_12.opus', fileUniqueId: 'AgADmemo' });
      transcribe.hears(REMINDER);
      model.enqueue([chatReply('I will remind you at 10:40.')]);
      const document = { file_name: 'memo.opus', mime_type: 'audio/ogg', file_id: 'BQACAgIAAxkBAAIB-memo', file_unique_id: 'AgADmemo', file_size: media('voice-reminder.ogg').length };
      const chatId = await post('document_docx', { document, caption: undefined });
      // Telegram gives a file no duration: the recording's own header does.
      expect(contentText(userMessages(model).at(-1)!)).toMatch(/^\[Audio, 4 s, kept as media:\d+\/AgADmemo\.ogg\. Transcript, to be answered as if typed:\]\nRemind me/);
      expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/I will remind you at 10:40\.$/)]);
    });

    it('refuse a recording shared as a file that is longer than the limit, by its own header, before transcribing it', async () => {
      vi.stubEnv('HERMES_VOICE_MAX_SECONDS', '2');
      resetLambdaApp();
      try {
        api.hostFile('BQACAgIAAxkBAAIB-long', media('voice-reminder.ogg'), { filePath: 'documents/file_13.opus', fileUniqueId: 'AgADlong' });
        const document = { file_name: 'memo.opus', mime_type: 'audio/ogg', file_id: 'BQACAgIAAxkBAAIB-long', file_unique_id: 'AgADlong', file_size: media('voice-reminder.ogg').length };
        const jobsBefore = transcribe.calls.length;
        const chatId = await post('document_docx', { document, caption: undefined });
        expect(api.sent(chatId).map((m) => m.text)).toEqual(['That file "memo.opus" is 4 s long; I transcribe up to 2 s.']);
        expect(transcribe.calls.length).toBe(jobsBefore);
        expect(model.requests).toEqual([]);
      } finally {
        vi.stubEnv('HERMES_VOICE_MAX_SECONDS', '');
      }
    });

    it('replied to later give the model their words as context, without echoing them or asking for an answer to them again', async () => {
      transcribe.hears(REMINDER);
      model.enqueue([chatReply('You asked me to remind you to water the plants.')]);
      const voice = updates.voice!.message;
      const chatId = await post('voice', { voice: undefined, text: 'what did I ask here?', reply_to_message: { ...voice, chat: { id: nextChat, type: 'private', first_name: 'Ada' } } });
      const text = contentText(userMessages(model).at(-1)!);
      expect(text).toMatch(/The voice note replied to, 2 s, kept as media:\d+\/AgADvoice\.ogg\. Its transcript, for reference:\]\nRemind me to water the plants/);
      expect(text).not.toMatch(/as if typed/);
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['You asked me to remind you to water the plants.']);
    });

    it('say so when nothing could be made out', async () => {
      transcribe.hears('');
      const chatId = await post('voice');
      expect(api.sent(chatId).map((m) => m.text)).toEqual(["I couldn't make out any words in that voice note."]);
      expect(model.requests).toEqual([]);
    });

    it('stop waiting for a transcription still running when the turn must answer, and say so', async () => {
      transcribe.pollsUntilDone = 1_000_000;
      try {
        const chatId = nextChat++;
        const update = { update_id: nextUpdateId++, message: { ...updates.voice!.message, chat: { id: chatId, type: 'private', first_name: 'Ada' } } };
        // 27 s left: the answer is due in 22 s, and files get until 20 s before that.
        const started = Date.now();
        const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext(27_000))) as { statusCode: number };
        expect(result.statusCode).toBe(200);
        expect(Date.now() - started).toBeLessThan(10_000);
        expect(api.sent(chatId).map((m) => m.text)).toEqual(['Transcribing that voice note took longer than I can wait. Please send a shorter one, or type your message.']);
        expect(model.requests).toEqual([]);
      } finally {
        transcribe.pollsUntilDone = 2;
      }
    });

    it('refuse one longer than the limit before downloading it', async () => {
      vi.stubEnv('HERMES_VOICE_MAX_SECONDS', '60');
      resetLambdaApp();
      try {
        const chatId = await post('voice', { voice: { duration: 754, mime_type: 'audio/ogg', file_id: 'AwACAgIAAxkBAAIB-voice', file_unique_id: 'AgADvoice', file_size: 9000 } });
        expect(api.sent(chatId).map((m) => m.text)).toEqual(['That voice note is 12 min 34 s long; I transcribe up to 1 min.']);
        expect(api.downloads).toEqual([]);
      } finally {
        vi.stubEnv('HERMES_VOICE_MAX_SECONDS', '');
      }
    });

    describe('in a video message (a round video)', () => {
      const DENTIST = 'Remind me to call the dentist tomorrow at nine';

      it('are transcribed from the MP4 as it is and answered as if typed', async () => {
        transcribe.hears(DENTIST);
        model.enqueue([chatReply('I will remind you tomorrow at 9:00.')]);
        const chatId = await post('video_note');
        const start = transcribe.calls.findLast((call) => call.target === 'Transcribe.StartTranscriptionJob')!.body;
        expect(start).toMatchObject({ Media: { MediaFileUri: `s3://${s3.bucket}/media/${chatId}/AgADvnote.mp4` }, MediaFormat: 'mp4' });
        expect(contentText(userMessages(model).at(-1)!)).toBe(`[Video message, 3 s, kept as media:${chatId}/AgADvnote.mp4. What was said in it, to be answered as if typed:]\n${DENTIST}`);
        expect(api.sent(chatId).map((m) => m.text)).toEqual([`🎤 “${DENTIST}”\n\nI will remind you tomorrow at 9:00.`]);
      });

      it('replied to later give the model what was said in them', async () => {
        transcribe.hears(DENTIST);
        model.enqueue([chatReply('You asked me to remind you to call the dentist.')]);
        const videoNote = updates.video_note!.message;
        const chatId = await post('video_note', { video_note: undefined, text: 'what did I say here?', reply_to_message: { ...videoNote, chat: { id: nextChat, type: 'private', first_name: 'Ada' } } });
        expect(contentText(userMessages(model).at(-1)!)).toMatch(/The video message replied to, 3 s, kept as media:\d+\/AgADvnote\.mp4\. Its transcript, for reference:\]\nRemind me to call the dentist/);
        expect(api.sent(chatId).map((m) => m.text)).toEqual(['You asked me to remind you to call the dentist.']);
      });

      it('say that videos cannot be watched when nothing is said in them', async () => {
        transcribe.hears('');
        const chatId = await post('video_note');
        expect(api.sent(chatId).map((m) => m.text)).toEqual(["I can't watch videos, and I couldn't make out any words in that video message."]);
        expect(model.requests).toEqual([]);
      });

      it('say that videos cannot be watched when no transcription service is configured', async () => {
        vi.stubEnv('HERMES_TRANSCRIBE', 'off');
        resetLambdaApp();
        try {
          const chatId = await post('video_note');
          expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/^I can't watch videos, and no speech-to-text service is set up/)]);
          expect(api.downloads).toEqual([]);
          expect(model.requests).toEqual([]);
        } finally {
          vi.stubEnv('HERMES_TRANSCRIBE', '');
        }
      });
    });

    it('say what to set when no transcription service is configured', async () => {
      vi.stubEnv('HERMES_TRANSCRIBE', 'off');
      resetLambdaApp();
      try {
        const chatId = await post('voice');
        expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/no speech-to-text service is set up.*OPENAI_API_KEY/)]);
        expect(model.requests).toEqual([]);
      } finally {
        vi.stubEnv('HERMES_TRANSCRIBE', '');
      }
    });

    describe('through the AI SDK transcription API (OpenAI)', () => {
      let openai: LocalHttpServer;
      const received: LocalRequest[] = [];
      beforeAll(async () => {
        openai = await startLocalHttpServer((req) => {
          received.push(req);
          if (req.method !== 'POST' || req.url !== '/audio/transcriptions') return jsonReply(404, { error: { message: 'not found' } });
          if (req.headers.authorization !== 'Bearer sk-openai-test') return jsonReply(401, { error: { message: 'Incorrect API key provided' } });
          if (!String(req.headers['content-type']).startsWith('multipart/form-data; boundary=')) return jsonReply(400, { error: { message: 'expected multipart/form-data' } });
          const extension = /name="file"; filename="[^"]*\.(\w+)"/.exec(String(req.body))?.[1];
          if (!extension || !OPENAI_AUDIO_FORMATS.includes(extension)) {
            return jsonReply(400, { error: { message: `Invalid file format. Supported formats: ${JSON.stringify(OPENAI_AUDIO_FORMATS)}`, type: 'invalid_request_error', param: 'file', code: 'unsupported_format' } });
          }
          return jsonReply(200, { text: REMINDER });
        });
      });
      afterAll(() => openai.close());

      const withOpenAi = async (check: () => Promise<void>) => {
        vi.stubEnv('HERMES_TRANSCRIBE', 'openai');
        vi.stubEnv('OPENAI_API_KEY', 'sk-openai-test');
        vi.stubEnv('OPENAI_BASE_URL', openai.url);
        resetLambdaApp();
        try {
          await check();
        } finally {
          vi.stubEnv('HERMES_TRANSCRIBE', '');
          vi.stubEnv('OPENAI_API_KEY', '');
          vi.stubEnv('OPENAI_BASE_URL', '');
        }
      };

      it('transcribes a video message as the MP4 it is', () =>
        withOpenAi(async () => {
          model.enqueue([chatReply('Reminder set.')]);
          const chatId = await post('video_note');
          expect(received.at(-1)!.body).toMatch(/name="file"; filename="audio\.m4a"\r\nContent-Type: audio\/mp4\r\n\r\n\0\0\0 ftyp/);
          expect(api.sent(chatId).map((m) => m.text)).toEqual([`🎤 “${REMINDER}”\n\nReminder set.`]);
        }));

      it("sends Hermes' voice key to STT_OPENAI_BASE_URL, never to OPENAI_BASE_URL (often the main model's provider)", async () => {
        vi.stubEnv('HERMES_TRANSCRIBE', 'openai');
        vi.stubEnv('VOICE_TOOLS_OPENAI_KEY', 'sk-openai-test');
        vi.stubEnv('STT_OPENAI_BASE_URL', openai.url);
        // Nothing listens there: a request sent to it would fail the transcription.
        vi.stubEnv('OPENAI_BASE_URL', 'http://127.0.0.1:9/v1');
        resetLambdaApp();
        try {
          model.enqueue([chatReply('Reminder set.')]);
          const chatId = await post('voice');
          expect(api.sent(chatId).map((m) => m.text)).toEqual([`🎤 “${REMINDER}”\n\nReminder set.`]);
        } finally {
          vi.stubEnv('HERMES_TRANSCRIBE', '');
          vi.stubEnv('VOICE_TOOLS_OPENAI_KEY', '');
          vi.stubEnv('STT_OPENAI_BASE_URL', '');
          vi.stubEnv('OPENAI_BASE_URL', '');
        }
      });

      it('transcribes with the configured model and answers the words', async () => {
        vi.stubEnv('HERMES_TRANSCRIBE', 'openai');
        vi.stubEnv('OPENAI_API_KEY', 'sk-openai-test');
        vi.stubEnv('OPENAI_BASE_URL', openai.url);
        resetLambdaApp();
        try {
          model.enqueue([chatReply('Reminder set.')]);
          const chatId = await post('voice');
          const form = received.at(-1)!.body;
          expect(form).toMatch(/name="model"\r\n\r\ngpt-4o-mini-transcribe\r\n/);
          expect(form).toMatch(/name="file"; filename="audio\.ogg"\r\nContent-Type: audio\/ogg\r\n\r\nOggS/);
          expect(api.sent(chatId).map((m) => m.text)).toEqual([`🎤 “${REMINDER}”\n\nReminder set.`]);
        } finally {
          vi.stubEnv('HERMES_TRANSCRIBE', '');
          vi.stubEnv('OPENAI_API_KEY', '');
          vi.stubEnv('OPENAI_BASE_URL', '');
        }
      });
    });
  });

  it('reads a text file into the model input', async () => {
    model.enqueue([chatReply('Oat milk, eggs and basil.')]);
    await post('document_text');
    const text = contentText(userMessages(model).at(-1)!);
    expect(text).toContain('<document name="shopping.txt">');
    expect(text).toContain('- 6 eggs');
  });

  it('reads a long text file up to HERMES_DOCUMENT_MAX_CHARS at a whole character, never half an emoji', async () => {
    await withSetting('HERMES_DOCUMENT_MAX_CHARS', '100', async () => {
      const content = Buffer.from(`a${'😀'.repeat(100)}`, 'utf8');
      api.hostFile('BQACAgIAAxkBAAIB-emoji', content, { filePath: 'documents/emoji.txt', fileUniqueId: 'AgADemoji' });
      model.enqueue([chatReply('Lots of smiles.')]);
      await post('document_text', { document: { file_name: 'emoji.txt', mime_type: 'text/plain', file_id: 'BQACAgIAAxkBAAIB-emoji', file_unique_id: 'AgADemoji', file_size: content.length } });
      const text = contentText(userMessages(model).at(-1)!);
      expect(text).toContain(`a${'😀'.repeat(49)}\n</document>`);
      expect(text.isWellFormed()).toBe(true);
    });
  });

  it.each([
    ['prices-cp1252.csv', 'text/csv', 'Café crème;3,50 €'],
    ['notes-utf16.txt', 'text/plain', 'Grüße aus Köln'],
  ])('reads %s, text not in UTF-8 as Excel on Windows saves it', async (name, mimeType, expected) => {
    const fileId = `BQACAgIAAxkBAAIB-${name}`;
    api.hostFile(fileId, media(name), { filePath: `documents/${name}`, fileUniqueId: `AgAD${name.replace(/\W/g, '')}` });
    model.enqueue([chatReply('Read it.')]);
    const chatId = await post('document_text', { document: { file_name: name, mime_type: mimeType, file_id: fileId, file_unique_id: `AgAD${name.replace(/\W/g, '')}`, file_size: media(name).length } });
    expect(contentText(userMessages(model).at(-1)!)).toContain(expected);
    // Kept as the UTF-8 it is labelled, so media_view reads the same text later.
    const stored = await s3.s3.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `media/${chatId}/AgAD${name.replace(/\W/g, '')}.txt` }));
    expect(new TextDecoder('utf-8', { fatal: true }).decode(await stored.Body!.transformToByteArray())).toContain(expected);
  });

  it('gives DeepSeek the text of a PDF, page by page, with the caption', async () => {
    model.enqueue([chatReply('Version 2 ships on Friday; Ada writes the notes.')]);
    await post('document_pdf');
    const text = contentText(userMessages(model).at(-1)!);
    expect(text).toMatch(/PDF "meeting-notes.pdf" attached \(2 pages\)/);
    expect(text).toMatch(/--- page 1 ---\nMeeting notes, 1 December 2026\nDecision: ship version 2 on Friday\./);
    expect(text).toContain('Ada writes the release notes.');
    expect(text).toMatch(/summarize\n\n<document name="meeting-notes.pdf">/);
  });

  it('stops a download that stalls when the turn must answer, tells the user, and still answers the caption', async () => {
    api.hostFile('BQACAgIAAxkBAAIB-stall', media('shopping.txt'), { filePath: 'documents/file_10.txt', fileUniqueId: 'AgADstall', stallAfterBytes: 5 });
    model.enqueue([chatReply('Send it again when you have a better connection.')]);
    const chatId = nextChat++;
    const fixture = updates.document_text!;
    const document = { ...(fixture.message.document as Record<string, unknown>), file_id: 'BQACAgIAAxkBAAIB-stall', file_unique_id: 'AgADstall' };
    const update = { update_id: nextUpdateId++, message: { ...fixture.message, chat: { id: chatId, type: 'private', first_name: 'Ada' }, document, caption: 'what is on it?' } };
    const started = Date.now();
    // 27 s left: the answer is due in 22 s, and files get until 20 s before that.
    const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext(27_000))) as { statusCode: number };
    expect(result.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(contentText(userMessages(model).at(-1)!)).toMatch(/could not be used: Downloading that file "shopping.txt" from Telegram took longer than I can wait[\s\S]*what is on it\?/);
    expect(api.sent(chatId).map((m) => m.text)).toEqual([
      'Downloading that file "shopping.txt" from Telegram took longer than I can wait. Please send it again, or a smaller one.\n\nSend it again when you have a better connection.',
    ]);
  });

  describe('files opened again in a later turn (media_view)', () => {
    /** A plain text message in a chat that already exists. */
    const ask = async (chatId: number, text: string) => {
      const update = { update_id: nextUpdateId++, message: { message_id: nextUpdateId, from: { id: 77, is_bot: false, first_name: 'Ada' }, chat: { id: chatId, type: 'private', first_name: 'Ada' }, date: Math.floor(Date.now() / 1000), text } };
      const result = (await handler(functionUrlEvent({ body: JSON.stringify(update), secret: SECRET }), lambdaContext())) as { statusCode: number };
      expect(result.statusCode).toBe(200);
    };
    const viewCall = (key: string) => deepseekCompletion({ reasoning: 'The question needs the file itself; its note alone does not say.', toolCalls: [{ id: 'call_view_1', name: 'media_view', arguments: { key } }] });
    const toolMessage = () =>
      (model.requests.at(-1)!.body as { messages: Array<{ role: string; content: unknown }> }).messages.find((message) => message.role === 'tool')!;

    it('shows a photo sent earlier to the model again, and stores the turn without its bytes', async () => {
      model.enqueue([chatReply('The square is red.')]);
      const chatId = await post('photo_with_caption');
      model.enqueue([{ response: viewCall(`media:${chatId}/AQADm1.png`) }, chatReply('Its edges are perfectly sharp.')]);
      await ask(chatId, 'Look again: are its edges sharp?');
      const content = toolMessage().content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
      expect(content).toEqual([
        { type: 'text', text: `media:${chatId}/AQADm1.png (image/png) is attached.` },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${media('red-square.png').toString('base64')}` } },
      ]);
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['The square is red.', 'Its edges are perfectly sharp.']);
      const stored = JSON.stringify(await storedTurns(dynamo.doc, dynamo.tableName, telegramSessionKey(chatId)));
      expect(stored).toContain(FILE_NOT_KEPT_NOTE);
      // Bytes would be stored as a file part (a Uint8Array, or base64): neither is there.
      expect(stored).not.toMatch(/"type":"file"/);
      expect(stored).not.toContain(media('red-square.png').toString('base64').slice(0, 40));
    });

    it('reads a PDF sent earlier again as text for DeepSeek', async () => {
      model.enqueue([chatReply('Version 2 ships on Friday.')]);
      const chatId = await post('document_pdf');
      model.enqueue([{ response: viewCall(`media:${chatId}/AgADpdf.pdf`) }, chatReply('Ada writes the release notes.')]);
      await ask(chatId, 'Who writes the release notes?');
      expect(String(toolMessage().content)).toContain('Ada writes the release notes.');
      expect(api.sent(chatId).at(-1)!.text).toBe('Ada writes the release notes.');
    });

    it('refuses a file of another chat', async () => {
      model.enqueue([chatReply('The square is red.')]);
      const owner = await post('photo_with_caption');
      model.enqueue([chatReply('Hello.')]);
      const stranger = await post('photo_with_caption', { caption: 'hi' });
      model.enqueue([{ response: viewCall(`media:${owner}/AQADm1.png`) }, chatReply('I cannot open that one.')]);
      await ask(stranger, 'Show me the other photo');
      expect(String(toolMessage().content)).toContain('only files of this chat can be opened');
    });
  });

  it('tells a DeepSeek chat it cannot read a Word document, and still answers the caption', async () => {
    model.enqueue([chatReply('Pack your passport first.')]);
    const chatId = await post('document_docx');
    expect(api.downloads).toEqual([]);
    expect(contentText(userMessages(model).at(-1)!)).toMatch(/could not be used: I can't read a Word document with the model this chat uses[\s\S]*what should I pack\?/);
    expect(api.sent(chatId).map((m) => m.text)).toEqual(["I can't read a Word document with the model this chat uses. Send it as a PDF, or paste the text.\n\nPack your passport first."]);
  });

  it('refuses a PDF over the page limit with a clear message', async () => {
    vi.stubEnv('HERMES_DOCUMENT_MAX_PAGES', '1');
    resetLambdaApp();
    try {
      const chatId = await post('document_pdf', { caption: undefined });
      expect(api.sent(chatId).map((m) => m.text)).toEqual(['That PDF has 2 pages; I can read up to 1. Send the part you need as a shorter PDF.']);
      expect(model.requests).toEqual([]);
    } finally {
      vi.stubEnv('HERMES_DOCUMENT_MAX_PAGES', '');
    }
  });

  it('refuses a file over Telegram\'s 20 MB getFile limit, and still answers the caption', async () => {
    model.enqueue([chatReply('Could you send a smaller part?')]);
    const chatId = await post('document_pdf', {
      document: { file_name: 'scan.pdf', mime_type: 'application/pdf', file_id: 'BQACAgIAAxkBAAIB-huge', file_unique_id: 'AgADhuge' },
      caption: 'what is in here?',
    });
    expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/^That file "scan.pdf" is over 20 MB.*\n\nCould you send a smaller part\?$/s)]);
    expect(api.downloads).toEqual([]);
  });

  it('names a refused file exactly as it is called, though its name looks like Markdown', async () => {
    model.enqueue([chatReply('Paste the part you need.')]);
    const chatId = await post('document_text', {
      document: { file_name: '__init__.py', mime_type: 'text/x-python', file_id: 'BQACAgIAAxkBAAIB-huge', file_unique_id: 'AgADhugepy' },
      caption: 'what does it import?',
    });
    expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/^That file "__init__\.py" is over 20 MB.*\n\nPaste the part you need\.$/s)]);
  });

  it('says which files it reads when sent one it cannot', async () => {
    const chatId = await post('document_pdf', {
      document: { file_name: 'photo.heic', mime_type: 'image/heic', file_id: 'x', file_unique_id: 'y', file_size: 1000 },
      caption: undefined,
    });
    expect(api.sent(chatId).map((m) => m.text)).toEqual([expect.stringMatching(/can't read that kind of image \(image\/heic\) as a file\. Send it as a photo instead/)]);
    const other = await post('document_pdf', {
      document: { file_name: 'archive.zip', mime_type: 'application/zip', file_id: 'x', file_unique_id: 'z', file_size: 1000 },
      caption: undefined,
    });
    expect(api.sent(other).map((m) => m.text)).toEqual([expect.stringMatching(/can't read that kind of file \(application\/zip\).*PDFs, text files/)]);
  });
});
