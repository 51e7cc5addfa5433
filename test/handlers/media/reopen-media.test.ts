import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../agent/config.ts';
import { FileMediaStore } from '../../../agent/local/file-media-store.ts';
import { reopenMedia } from '../../../handlers/media/reopen-media.ts';
import { MediaError } from '../../../handlers/media/media-error.ts';
import { NotFoundError } from '../../../tools/errors.ts';
import { makeTempDir } from '../../stand-ins/temp-dir.ts';

const media = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'media', name)));
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('reopening a stored file for the chat\'s model', () => {
  let home: Awaited<ReturnType<typeof makeTempDir>>;
  const configFor = (env: Record<string, string>) => loadConfig({ HERMES_HOME: home.path, DEEPSEEK_API_KEY: 'sk-test', ...env });

  beforeAll(async () => {
    home = await makeTempDir('hermes-reopen-');
    const store = new FileMediaStore(join(home.path, 'media'));
    await store.put('77/AgADpdf.pdf', media('meeting-notes.pdf'), 'application/pdf');
    await store.put('77/AQADm1.png', media('red-square.png'), 'image/png');
    await store.put('77/AgADtxt.txt', media('shopping.txt'), 'text/plain; charset=utf-8');
    await store.put('77/AgADdocx.docx', media('packing-list.docx'), DOCX);
    await store.put('77/AgADvoice.ogg', media('voice-reminder.ogg'), 'audio/ogg');
    await store.put('77/AgADreport.pdf', media('annual-report.pdf'), 'application/pdf');
    await store.put('77/AgADemoji.txt', new TextEncoder().encode(`a${'😀'.repeat(100)}`), 'text/plain; charset=utf-8');
  });
  afterAll(() => home.remove());

  it('gives Bedrock Claude a PDF and a Word file as themselves, or the PDF as text when asked for text only', async () => {
    const claude = configFor({ HERMES_PROVIDER: 'bedrock' });
    expect(await reopenMedia(claude, '77/AgADpdf.pdf')).toEqual({ kind: 'file', data: media('meeting-notes.pdf'), mediaType: 'application/pdf', pdfPages: 2 });
    expect(await reopenMedia(claude, '77/AgADdocx.docx')).toEqual({ kind: 'file', data: media('packing-list.docx'), mediaType: DOCX });
    const asText = await reopenMedia(claude, '77/AgADpdf.pdf', { textOnly: true });
    expect(asText.kind === 'text' && asText.text).toContain('Ada writes the release notes.');
    await expect(reopenMedia(claude, '77/AgADdocx.docx', { textOnly: true })).rejects.toThrow(MediaError);
  });

  it('gives Claude a PDF as its text when its pages and those the turn carries already pass the 100 it reads in a request', async () => {
    const claude = configFor({ HERMES_PROVIDER: 'bedrock', HERMES_DOCUMENT_MAX_PAGES: '120' });
    expect(await reopenMedia(claude, '77/AgADreport.pdf', { pdfPagesShown: 40 })).toMatchObject({ kind: 'file', pdfPages: 60 });
    const past = await reopenMedia(claude, '77/AgADreport.pdf', { pdfPagesShown: 41 });
    expect(past.kind === 'text' && past.text).toMatch(/Annual report, page 60/);
    // Nova has no such limit.
    expect(await reopenMedia(configFor({ HERMES_PROVIDER: 'bedrock', HERMES_MODEL: 'amazon.nova-pro-v1:0', HERMES_DOCUMENT_MAX_PAGES: '120' }), '77/AgADreport.pdf', { pdfPagesShown: 90 })).toMatchObject({ kind: 'file' });
  });

  it('gives DeepSeek the text of a PDF and a text file, an image when its model sees, and says what it cannot read', async () => {
    const flash = configFor({ HERMES_MODEL: 'deepseek-flash' });
    const pdf = await reopenMedia(flash, '77/AgADpdf.pdf');
    expect(pdf.kind === 'text' && pdf.text).toMatch(/--- page 1 ---\nMeeting notes/);
    expect(await reopenMedia(flash, '77/AgADtxt.txt')).toEqual({ kind: 'text', text: new TextDecoder().decode(media('shopping.txt')) });
    expect(await reopenMedia(flash, '77/AQADm1.png')).toMatchObject({ kind: 'file', mediaType: 'image/png' });
    await expect(reopenMedia(configFor({ HERMES_MODEL: 'deepseek-v4-pro' }), '77/AQADm1.png')).rejects.toThrow('The model this chat uses cannot see images');
    await expect(reopenMedia(flash, '77/AgADdocx.docx')).rejects.toThrow('cannot read Word or Excel files');
    await expect(reopenMedia(flash, '77/AgADvoice.ogg')).rejects.toThrow(/transcript/);
    await expect(reopenMedia(flash, '77/AgADgone.png')).rejects.toThrow(NotFoundError);
  });

  it('reads a long text file up to the limit at a whole character, never half an emoji', async () => {
    const opened = await reopenMedia(configFor({ HERMES_DOCUMENT_MAX_CHARS: '100' }), '77/AgADemoji.txt');
    expect(opened.kind === 'text' && opened.text).toMatch(/^a(😀){49}\n\[… 102 more characters not read\]$/);
  });
});
