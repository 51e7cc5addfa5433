import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJobFire } from '../../agent/cron-runner.ts';
import { runTurn } from '../../agent/agent-loop.ts';
import { makeLocalRuntime } from '../helpers/local-runtime.ts';
import { toolCallModel } from './helpers/tool-call-model.ts';

const chat = { chatId: 61, userId: '61' };

describe('finding 5: raw error text never reaches the model or the chat', () => {
  it('hands the model a failing store error without the absolute HERMES_HOME path', async () => {
    const { runtime, home, cleanup } = await makeLocalRuntime();
    try {
      // A file where the jobs directory should be: every job read fails with an error naming the full path.
      await writeFile(join(home, 'cron'), 'not a directory');
      const model = toolCallModel(() => [{ toolName: 'cronjob', input: { action: 'list' } }], 'The jobs are unavailable.');
      runtime.model = model.model;
      const answers: string[] = [];
      await runTurn(runtime, { sessionKey: 'tg:61', userId: '61', delivery: chat, text: 'which jobs?', receivedAt: Date.now(), deliver: async (text) => void answers.push(text) });

      expect(model.toolResults).toHaveLength(1);
      const seen = JSON.stringify(model.toolResults);
      expect(seen).toMatch(/"success":false/);
      expect(seen).not.toContain(home);
      expect(seen).toContain('[path]');
      expect(answers).toEqual(['The jobs are unavailable.']);
    } finally {
      await cleanup();
    }
  });

  it('tells the chat a job failed without the path or ARN in the error', async () => {
    const { runtime, home, cleanup } = await makeLocalRuntime();
    try {
      const job = await runtime.scheduler.create({ name: 'report', prompt: 'x', schedule: { kind: 'interval', minutes: 60, display: 'every 1h' }, delivery: chat });
      runtime.sessions.loadWindow = async () => {
        throw new Error(`EACCES: permission denied, open '${home}/sessions/x.json' (arn:aws:dynamodb:us-east-1:123456789012:table/hermes)`);
      };
      const delivered: string[] = [];
      const result = await runJobFire(runtime, { fire: { source: 'hermes.cron', job, scheduledTime: '2026-11-22T10:00:00Z' }, deliver: async (_to, text) => void delivered.push(text) });

      expect(result.status).toBe('failed');
      // Only a model failure is told in its own words; a store's error stays in the log.
      expect(delivered).toEqual(['⚠️ Scheduled task "report" failed: something it needed (storage or Telegram) failed; the details are in the log.\nIt was to do: x\nIts next runs stay scheduled.']);
    } finally {
      await cleanup();
    }
  });
});
