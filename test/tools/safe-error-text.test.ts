import { describe, expect, it } from 'vitest';
import { StoreError, ValidationError } from '../../tools/errors.ts';
import { safeErrorText } from '../../tools/safe-error-text.ts';
import { asToolResult } from '../../tools/tool-result.ts';

describe('safeErrorText', () => {
  it.each([
    ["ENOENT: no such file or directory, open '/home/ada/.hermes/skills/demo/SKILL.md'", "ENOENT: no such file or directory, open '[path]'"],
    ['EACCES: permission denied, mkdir /var/task/.hermes/memories', 'EACCES: permission denied, mkdir [path]'],
    ['failed at C:\\Users\\ada\\.hermes\\cron\\jobs.json', 'failed at [path]'],
    [
      'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/hermes-Agent/hermes is not authorized on arn:aws:scheduler:us-east-1:123456789012:schedule/hermes/x',
      'AccessDeniedException: User: [AWS resource] is not authorized on [AWS resource]',
    ],
    ['see arn:aws-cn:s3:::bucket/skills/x.md.', 'see [AWS resource]'],
    ['S3 GetObject (s3://hermes-skills-1a2b3c/media/77/AQADm1.png) failed: AccessDenied: Access Denied', 'S3 GetObject ([stored file]) failed: AccessDenied: Access Denied'],
    ["ENOENT: no such file or directory, open '.hermes/memories/77/MEMORY.md'", "ENOENT: no such file or directory, open '[path]'"],
    ["EACCES: open './.hermes/cron/hermes-serverless-jobs.json'", "EACCES: open '[path]'"],
    ["ENOENT: open '/home/ada lovelace/.hermes/skills/demo/SKILL.md'", "ENOENT: open '[path] [path]'"],
    ['SendMessage to https://sqs.us-east-1.amazonaws.com/123456789012/Turns.fifo failed', 'SendMessage to [AWS resource] failed'],
    ['getaddrinfo ENOTFOUND hermes-skills-1a2b3c.s3.eu-west-1.amazonaws.com', 'getaddrinfo ENOTFOUND [AWS resource]'],
    ['connect ETIMEDOUT dynamodb.eu-west-1.amazonaws.com:443', 'connect ETIMEDOUT [AWS resource]'],
    ['fetch failed (x.amazonaws.com)', 'fetch failed ([AWS resource])'],
    ["ENOENT: open '.hermes/sessions/tg%3A-100%3Au-1009001/turns.json'", "ENOENT: open '[path]'"],
    ["ENOENT: open '/srv/hermes/sessions/tg%3A-100%3Au501/turns.json'", "ENOENT: open '[path]'"],
    ["EACCES: open '~/.hermes/memories/77/MEMORY.md'", "EACCES: open '[path]'"],
  ])('hides %s', (raw, safe) => {
    expect(safeErrorText(raw)).toBe(safe);
  });

  it.each([
    'old_string was not found in references/notes.md. View the skill and copy the text exactly.',
    'Use "30m"/"in 2h"/"1d" (once, that far ahead), "every 30m" (repeating).',
    'The provider answered HTTP 500 at https://api.deepseek.com/chat/completions',
    'Skill "a/b" not found; 3/4 of the budget used.',
    'File ".git/config" is not part of skill "notes".',
    'Invalid skill name "../evil": it may not contain "/".',
  ])('keeps ordinary text: %s', (text) => {
    expect(safeErrorText(text)).toBe(text);
  });
});

describe('tool results', () => {
  it('never hand the model a path or an ARN, from our errors or from library ones, and log those failures whole for the owner', async () => {
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const log = { warn: (message: string, fields?: Record<string, unknown>) => void logged.push({ message, ...(fields ? { fields } : {}) }) };
    const storeFailure = new StoreError('S3 GetObject failed: AccessDenied on arn:aws:s3:::hermes-skills-123456789012/skills/a.md');
    const ours = await asToolResult(async () => {
      throw storeFailure;
    }, { tool: 'skill_view', log });
    const diskFailure = new Error("EISDIR: illegal operation on a directory, read '/srv/hermes/skills/demo'");
    const theirs = await asToolResult(async () => {
      throw diskFailure;
    }, { tool: 'skill_view', log });
    const refused = await asToolResult(async () => {
      throw new ValidationError('name may not contain "..".');
    }, { tool: 'skill_manage', log });
    expect(ours).toEqual({ success: false, error: 'S3 GetObject failed: AccessDenied on [AWS resource]' });
    expect(theirs).toEqual({ success: false, error: "The operation failed: EISDIR: illegal operation on a directory, read '[path]'" });
    expect(refused).toEqual({ success: false, error: 'name may not contain "..".' });
    expect(logged).toEqual([
      { message: 'a tool failed', fields: { tool: 'skill_view', error: storeFailure } },
      { message: 'a tool failed', fields: { tool: 'skill_view', error: diskFailure } },
    ]);
  });
});
