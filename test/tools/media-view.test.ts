import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../tools/errors.ts';
import { createTools } from '../../tools/index.ts';
import type { MediaLibrary, ReopenedMedia } from '../../tools/ports/media-library.ts';
import type { ToolDeps } from '../../tools/tool-context.ts';
import { call, CHAT, makeToolHarness, type ToolHarness } from './harness.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Files of the chat by key, as a media store holds them after conversion. */
function libraryOf(files: Record<string, ReopenedMedia>): MediaLibrary {
  return {
    reopen: async (key) => {
      const file = files[key];
      if (!file) throw new NotFoundError(`media:${key} is not stored any more; ask the user to send it again.`);
      return file;
    },
  };
}

describe('media_view', () => {
  let h: ToolHarness;
  beforeEach(async () => {
    h = await makeToolHarness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const media = libraryOf({
    [`${CHAT.chatId}/AQADm1.png`]: { kind: 'file', data: PNG, mediaType: 'image/png' },
    [`${CHAT.chatId}/AgADtxt.txt`]: { kind: 'text', text: 'eggs, milk, bread' },
    '2002/AQADother.png': { kind: 'file', data: PNG, mediaType: 'image/png' },
  });
  const view = (key: string, deps: ToolDeps = { ...h.deps, media }) => call(createTools(deps, h.ctx).media_view, { key });

  it('reads a text file of this chat back as its content, with or without the media: prefix', async () => {
    expect(await view(`media:${CHAT.chatId}/AgADtxt.txt`)).toEqual({ success: true, key: `${CHAT.chatId}/AgADtxt.txt`, content: 'eggs, milk, bread' });
    expect(await view(`${CHAT.chatId}/AgADtxt.txt`)).toMatchObject({ success: true, content: 'eggs, milk, bread' });
  });

  it('shows an image to the model as a file part of the tool result', async () => {
    const tool = createTools({ ...h.deps, media }, h.ctx).media_view;
    const output = await call(tool, { key: `media:${CHAT.chatId}/AQADm1.png` });
    expect(await tool.toModelOutput!({ toolCallId: 't1', input: { key: 'x' }, output: output as never })).toEqual({
      type: 'content',
      value: [
        { type: 'text', text: `media:${CHAT.chatId}/AQADm1.png (image/png) is attached.` },
        { type: 'file', data: { type: 'data', data: PNG }, mediaType: 'image/png' },
      ],
    });
  });

  it('refuses files of another chat, paths and malformed keys before reading anything', async () => {
    expect(await view('media:2002/AQADother.png')).toEqual({ success: false, error: 'That file was sent in another chat; only files of this chat can be opened.' });
    for (const key of [`${CHAT.chatId}/../2002/AQADother.png`, '../etc/passwd', `${CHAT.chatId}/sub/AQADm1.png`, 'AQADm1.png', `${CHAT.chatId}/AQADm1`]) {
      expect(await view(key)).toEqual({ success: false, error: expect.stringMatching(/is not a media key/) });
    }
  });

  it('says so when the file is gone, or when no files are at hand (a scheduled fire)', async () => {
    expect(await view(`media:${CHAT.chatId}/AQADgone.png`)).toEqual({ success: false, error: `media:${CHAT.chatId}/AQADgone.png is not stored any more; ask the user to send it again.` });
    expect(await view(`media:${CHAT.chatId}/AQADm1.png`, h.deps)).toEqual({ success: false, error: expect.stringMatching(/cannot be opened here/) });
  });

  it('opens at most five documents as files in one turn (Bedrock\'s limit per message): the sixth comes back as text', async () => {
    const asked: Array<boolean | undefined> = [];
    const documents: MediaLibrary = {
      reopen: async (_key, options) => {
        asked.push(options?.textOnly);
        return options?.textOnly ? { kind: 'text', text: 'page text' } : { kind: 'file', data: new Uint8Array([37, 80, 68, 70]), mediaType: 'application/pdf' };
      },
    };
    const tool = createTools({ ...h.deps, media: documents }, h.ctx).media_view;
    const results = [];
    for (let index = 0; index < 6; index++) results.push(await call(tool, { key: `media:${CHAT.chatId}/AgADdoc${index}.pdf` }));
    expect(asked).toEqual([false, false, false, false, false, true]);
    expect(results.at(-1)).toEqual({ success: true, key: `${CHAT.chatId}/AgADdoc5.pdf`, content: 'page text' });
    // A new turn has new tools, and the count starts again.
    await call(createTools({ ...h.deps, media: documents }, h.ctx).media_view, { key: `media:${CHAT.chatId}/AgADdoc6.pdf` });
    expect(asked.at(-1)).toBe(false);
    // Documents the user's message carries count too: Bedrock takes five in a request, and each request repeats it.
    const afterFour = createTools({ ...h.deps, media: documents }, { ...h.ctx, attached: { documents: 4, images: 0 } }).media_view;
    for (let index = 0; index < 2; index++) await call(afterFour, { key: `media:${CHAT.chatId}/AgADdoc${index}.pdf` });
    expect(asked.slice(-2)).toEqual([false, true]);
  });

  it('tells the library the PDF pages the turn carries already: the message\'s own and those opened before', async () => {
    const shownBefore: Array<number | undefined> = [];
    const reports: MediaLibrary = {
      reopen: async (_key, options) => {
        shownBefore.push(options?.pdfPagesShown);
        return { kind: 'file', data: new Uint8Array([37, 80, 68, 70]), mediaType: 'application/pdf', pdfPages: 30 };
      },
    };
    const tool = createTools({ ...h.deps, media: reports }, { ...h.ctx, attached: { documents: 1, images: 0, pdfPages: 25 } }).media_view;
    for (let index = 0; index < 3; index++) await call(tool, { key: `media:${CHAT.chatId}/AgADreport${index}.pdf` });
    expect(shownBefore).toEqual([25, 55, 85]);
  });

  it("keeps a turn's files within the bytes one request may carry: past them an image is refused and a document comes back as text", async () => {
    const MB = 1024 * 1024;
    const library: MediaLibrary = {
      reopen: async (key, options) => {
        if (options?.textOnly) return { kind: 'text', text: 'the report, as text' };
        return key.endsWith('.png') ? { kind: 'file', data: new Uint8Array(3 * MB), mediaType: 'image/png' } : { kind: 'file', data: new Uint8Array(3 * MB), mediaType: 'application/pdf' };
      },
    };
    // The user's message carries 10 MB of files already, and the provider takes 16 MB in a request.
    const tool = createTools({ ...h.deps, media: library }, { ...h.ctx, attached: { documents: 0, images: 3, bytes: 10 * MB, bytesLimit: 16 * MB } }).media_view;
    expect(await call(tool, { key: `media:${CHAT.chatId}/AQADa.png` })).toMatchObject({ success: true, attached: 'image/png' });
    expect(await call(tool, { key: `media:${CHAT.chatId}/AQADb.png` })).toMatchObject({ success: true, attached: 'image/png' });
    expect(await call(tool, { key: `media:${CHAT.chatId}/AQADc.png` })).toEqual({ success: false, error: expect.stringMatching(/^Opening it would put more than the 16 MB of files one request may carry/) });
    expect(await call(tool, { key: `media:${CHAT.chatId}/AgADreport.pdf` })).toEqual({ success: true, key: `${CHAT.chatId}/AgADreport.pdf`, content: 'the report, as text' });
  });

  it('refuses a 21st image in one turn', async () => {
    const tool = createTools({ ...h.deps, media }, h.ctx).media_view;
    for (let index = 0; index < 20; index++) expect(await call(tool, { key: `media:${CHAT.chatId}/AQADm1.png` })).toMatchObject({ success: true });
    expect(await call(tool, { key: `media:${CHAT.chatId}/AQADm1.png` })).toEqual({ success: false, error: '20 images are the most I can look at in one answer.' });
  });
});
