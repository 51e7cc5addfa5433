import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ProviderRules } from './provider-rules.ts';

const withDocument = (document: Record<string, unknown>, inToolResult = false) => ({
  messages: [
    {
      role: 'user',
      content: inToolResult ? [{ toolResult: { toolUseId: 'tu1', content: [{ document }] } }] : [{ document }, { text: 'summarize' }],
    },
  ],
});
const pdf = { format: 'pdf', name: 'document-1', source: { bytes: 'JVBERi0=' } };

it('refuses Converse documents as Bedrock does: a format it does not list, or a name with characters it does not allow', () => {
  const rules = new ProviderRules();
  const check = (body: unknown) => rules.check('/model/m/converse', body as Record<string, unknown>);
  expect(check(withDocument(pdf))).toBeUndefined();
  expect(check(withDocument({ ...pdf, name: 'Meeting notes (v2) [final]' }))).toBeUndefined();
  expect(check(withDocument({ ...pdf, format: 'docx' }, true))).toBeUndefined();
  expect(check(withDocument({ ...pdf, format: 'rtf' }))?.status).toBe(400);
  for (const name of ['meeting-notes.pdf', 'two  spaces', '', 'x'.repeat(201), 'notes/1']) {
    expect(check(withDocument({ ...pdf, name }))?.status).toBe(400);
    expect(check(withDocument({ ...pdf, name }, true))?.status).toBe(400);
  }
});

it('refuses a Converse message past Bedrock\'s media limits: six documents, a document without text beside it, an image over 3.75 MB', () => {
  const rules = new ProviderRules();
  const check = (content: unknown[]) => rules.check('/model/m/converse', { messages: [{ role: 'user', content }] });
  const documents = (count: number) => Array.from({ length: count }, (_, index) => ({ document: { ...pdf, name: `document-${index + 1}` } }));
  expect(check([...documents(5), { text: 'summarize' }])).toBeUndefined();
  expect(check([...documents(6), { text: 'summarize' }])?.status).toBe(400);
  expect(check(documents(1))?.status).toBe(400);
  expect(check([{ toolResult: { toolUseId: 'tu1', content: documents(6) } }])?.status).toBe(400);
  const across = (first: number, second: number) =>
    rules.check('/model/m/converse', {
      messages: [
        { role: 'user', content: [...documents(first), { text: 'summarize' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tu1', name: 'media_view', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tu1', content: documents(second) } }] },
      ],
    });
  expect(across(3, 2)).toBeUndefined();
  expect(across(4, 2)?.status).toBe(400);
  const image = (bytes: number) => ({ image: { format: 'png', source: { bytes: 'A'.repeat(Math.ceil((bytes * 4) / 3)) } } });
  expect(check([image(3_000_000), { text: 'what is this?' }])).toBeUndefined();
  expect(check([image(4_000_000), { text: 'what is this?' }])?.status).toBe(400);
  const png = (name: string) => ({ image: { format: 'png', source: { bytes: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', name)).toString('base64') } } });
  expect(check([png('red-square.png'), { text: 'what is this?' }])).toBeUndefined();
  expect(check([png('tall-strip.png'), { text: 'what is this?' }])).toMatchObject({ status: 400, body: { message: expect.stringMatching(/8000/) } });
});

it("refuses a Claude request whose PDFs have more than 100 pages together, as Bedrock's API restrictions say", () => {
  const rules = new ProviderRules();
  const report = { ...pdf, source: { bytes: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', 'annual-report.pdf')).toString('base64') } };
  const reports = (count: number) => Array.from({ length: count }, (_, index) => ({ document: { ...report, name: `document-${index + 1}` } }));
  const check = (model: string, count: number) => rules.check(`/model/${model}/converse`, { messages: [{ role: 'user', content: [...reports(count), { text: 'compare' }] }] });
  expect(check('us.anthropic.claude-sonnet-5-5', 1)).toBeUndefined();
  expect(check('us.anthropic.claude-sonnet-5-5', 2)).toMatchObject({ status: 400, body: { message: 'A maximum of 100 PDF pages may be provided.' } });
  expect(check('amazon.nova-pro-v1:0', 2)).toBeUndefined();
});

it('refuses images DeepSeek does not take: any image for a text model, and a format other than JPEG, PNG, GIF or WebP', () => {
  const rules = new ProviderRules();
  const png = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media', 'red-square.png')).toString('base64');
  const ask = (model: string, url: string) =>
    rules.check('/chat/completions', { model, thinking: { type: 'disabled' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url } }] }] });
  expect(ask('deepseek-flash', `data:image/png;base64,${png}`)).toBeUndefined();
  expect(ask('deepseek-v4-pro', `data:image/png;base64,${png}`)?.status).toBe(400);
  expect(ask('deepseek-flash', `data:image/heic;base64,${Buffer.from('....ftypheic').toString('base64')}`)?.status).toBe(400);
});

it('holds Claude Sonnet 5.5 to its thinking settings: no "disabled", and "between_tools" only up to effort high', () => {
  const rules = new ProviderRules();
  const sonnet55 = '/model/us.anthropic.claude-sonnet-5-5/converse';
  const ask = (path: string, fields: Record<string, unknown>) => rules.check(path, { additionalModelRequestFields: fields, messages: [{ role: 'user', content: [{ text: 'hi' }] }] });
  expect(ask(sonnet55, { thinking: { type: 'disabled' } })?.status).toBe(400);
  expect(ask(sonnet55, { thinking: { type: 'between_tools' }, output_config: { effort: 'max' } })?.status).toBe(400);
  expect(ask(sonnet55, { thinking: { type: 'between_tools' }, output_config: { effort: 'low' } })).toBeUndefined();
  expect(ask('/model/us.anthropic.claude-opus-5-5/converse', { thinking: { type: 'disabled' } })?.status).toBe(400);
  expect(ask('/model/us.anthropic.claude-sonnet-5/converse', { thinking: { type: 'disabled' } })).toBeUndefined();
});

it('refuses a thinking block sent back after what came before it changed (preserved thinking), but not a moved cache point', () => {
  const rules = new ProviderRules();
  const path = '/model/us.anthropic.claude-sonnet-5-5/converse';
  const question = { role: 'user', content: [{ text: 'I am vegetarian' }] };
  const first = { system: [{ text: 'Memory: (none)' }, { cachePoint: { type: 'default' } }], messages: [question] };
  const reasoning = { reasoningContent: { reasoningText: { text: 'save it', signature: 'sig-pt' } } };
  rules.observe(path, { output: { message: { role: 'assistant', content: [reasoning, { text: 'Noted.' }] } }, stopReason: 'end_turn' }, first);
  const next = (system: unknown[], questionContent: unknown[] = question.content) => ({
    system,
    messages: [{ role: 'user', content: questionContent }, { role: 'assistant', content: [reasoning, { text: 'Noted.' }] }, { role: 'user', content: [{ text: 'and now?' }] }],
  });
  expect(rules.check(path, next([{ text: 'Memory: (none)' }]))).toBeUndefined();
  expect(rules.check(path, next([{ text: 'Memory: (none)' }], [...question.content, { cachePoint: { type: 'default' } }]))).toBeUndefined();
  const forged = { reasoningContent: { reasoningText: { text: 'save it', signature: 'never-issued' } } };
  expect(rules.check(path, { messages: [question, { role: 'assistant', content: [forged, { text: 'Noted.' }] }, { role: 'user', content: [{ text: 'and now?' }] }] })?.status).toBe(400);
  const changed = rules.check(path, next([{ text: 'Memory: Is vegetarian.' }]));
  expect(changed?.status).toBe(400);
  expect(JSON.stringify(changed?.body)).toContain('bound to a different conversation');
});

it("refuses a request body past the provider's size: 32 MB for Claude on Bedrock, 48 MiB for DeepSeek", () => {
  const rules = new ProviderRules();
  // Ten 3 MB images as base64 text: 40 MB.
  const images = Array.from({ length: 10 }, () => ({ image: { format: 'jpeg', source: { bytes: 'A'.repeat(4_000_000) } } }));
  const claude = '/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/converse';
  expect(rules.check(claude, { messages: [{ role: 'user', content: [...images.slice(0, 5), { text: 'which is sharpest?' }] }] })).toBeUndefined();
  expect(rules.check(claude, { messages: [{ role: 'user', content: [...images, { text: 'which is sharpest?' }] }] })?.status).toBe(413);
  const dataUrl = (bytes: number) => ({ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${'A'.repeat(bytes)}` } });
  const deepseek = (urls: number) => ({ model: 'deepseek-flash', messages: [{ role: 'user', content: Array.from({ length: urls }, () => dataUrl(5_000_000)) }] });
  expect(rules.check('/chat/completions', deepseek(11))?.status).toBe(413);
});

it("refuses a cache TTL Bedrock does not offer: an hour on Nova or Claude before 4.5, anything but 5m or 1h, a later point outliving an earlier one", () => {
  const rules = new ProviderRules();
  const ask = (model: string, system: unknown[], last: unknown[] = []) =>
    rules.check(`/model/${model}/converse`, { system, messages: [{ role: 'user', content: [{ text: 'hi' }, ...last] }] });
  const point = (ttl?: string) => ({ cachePoint: { type: 'default', ...(ttl ? { ttl } : {}) } });
  expect(ask('us.anthropic.claude-sonnet-5-5', [{ text: 's' }, point('1h')], [point('1h')])).toBeUndefined();
  expect(ask('us.anthropic.claude-haiku-4-5-20251001-v1:0', [{ text: 's' }, point('1h')])).toBeUndefined();
  expect(ask('amazon.nova-pro-v1:0', [{ text: 's' }, point('1h')])?.status).toBe(400);
  expect(ask('us.anthropic.claude-sonnet-4-20250514-v1:0', [{ text: 's' }, point('1h')])?.status).toBe(400);
  expect(ask('amazon.nova-pro-v1:0', [{ text: 's' }, point()], [point('5m')])).toBeUndefined();
  expect(ask('us.anthropic.claude-sonnet-5-5', [{ text: 's' }, point('30m')])?.status).toBe(400);
  expect(ask('us.anthropic.claude-sonnet-5-5', [{ text: 's' }, point('5m')], [point('1h')])?.status).toBe(400);
});
