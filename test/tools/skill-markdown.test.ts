import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../tools/errors.ts';
import { parseSkillMarkdown } from '../../tools/skill-markdown.ts';
import { call, makeToolHarness, type ToolHarness } from './harness.ts';

const FIELDS = 'name: tea\ndescription: Brew tea.';

describe('parseSkillMarkdown finds frontmatter where Hermes\' parse_frontmatter does', () => {
  it.each([
    ['a space after the opening ---', `--- \n${FIELDS}\n---\nBoil water.\n`],
    ['a tab after the opening ---', `---\t\n${FIELDS}\n---\nBoil water.\n`],
    ['spaces after the closing ---', `---\n${FIELDS}\n---  \nBoil water.\n`],
    ['Windows line endings and a tab after both fences', `---\t\r\n${FIELDS.replace('\n', '\r\n')}\r\n---\t\r\nBoil water.\r\n`],
    ['a byte-order mark', `\uFEFF---\n${FIELDS}\n---\nBoil water.\n`],
  ])('with %s', (_, content) => {
    for (const mode of ['read', 'write'] as const) {
      expect(parseSkillMarkdown(content, mode)).toMatchObject({ name: 'tea', description: 'Brew tea.', body: 'Boil water.' + (content.includes('\r') ? '\r\n' : '\n') });
    }
  });

  it('reads a Windows checkout of a Hermes skill whose frontmatter ends in a list and quotes its values, as PyYAML does', () => {
    const lf = [
      '---',
      'name: "arxiv"',
      'description: "Search and read arXiv papers: titles, abstracts, PDFs."',
      'platforms: [linux, macos, windows]',
      'metadata:',
      '  hermes:',
      '    tags: [research, papers]',
      '    related_skills: [ocr-and-documents]',
      '---',
      'Search arXiv.',
      '',
    ].join('\n');
    for (const content of [lf, lf.replaceAll('\n', '\r\n')]) {
      for (const mode of ['read', 'write'] as const) {
        expect(parseSkillMarkdown(content, mode)).toMatchObject({
          name: 'arxiv',
          description: 'Search and read arXiv papers: titles, abstracts, PDFs.',
          frontmatter: { platforms: ['linux', 'macos', 'windows'], metadata: { hermes: { tags: ['research', 'papers'], related_skills: ['ocr-and-documents'] } } },
        });
      }
    }
  });

  it('takes the first closing line, and the blank lines after it are not instructions', () => {
    expect(parseSkillMarkdown(`---\n${FIELDS}\n---\n\n\nBoil water.\n---\nMore.\n`, 'read')).toMatchObject({ name: 'tea', body: 'Boil water.\n---\nMore.\n' });
  });

  it('reads a file whose closing --- has no line break after it as instructions only, as Hermes does', () => {
    const content = `---\n${FIELDS}\n---`;
    expect(parseSkillMarkdown(content, 'read')).toMatchObject({ name: undefined, frontmatter: {}, body: content });
    expect(() => parseSkillMarkdown(content, 'write')).toThrow(new ValidationError('SKILL.md frontmatter is not closed: end it with a "---" line, then the instructions.'));
  });
});

describe('a published SKILL.md with a space after its opening ---', () => {
  let h: ToolHarness;
  beforeEach(async () => {
    h = await makeToolHarness();
  });
  afterEach(() => h.cleanup());

  it('is listed and loaded under its frontmatter name', async () => {
    await h.skillStore.writeFile('tea-folder/SKILL.md', `--- \n${FIELDS}\n---\nBoil water.\n`);
    expect(await call(h.tools.skills_list, {})).toMatchObject({ skills: [{ name: 'tea', description: 'Brew tea.' }] });
    expect(await call(h.tools.skill_view, { name: 'tea' })).toMatchObject({ success: true, name: 'tea' });
  });
});
