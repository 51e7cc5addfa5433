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
