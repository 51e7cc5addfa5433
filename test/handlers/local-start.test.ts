import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOME_LOCK_FILE } from '../../agent/local/home-lock.ts';
import { ALLOWED_UPDATES } from '../../handlers/allowed-updates.ts';
import { menuCommands } from '../../handlers/commands/command-list.ts';
import { FakeBotApi } from '../stand-ins/bot-api-server.ts';
import { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'models');

/** Runs `npm start`'s entry exactly as the script does, with a clean environment. */
function start(env: Record<string, string>, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'handlers', 'local.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm start', () => {
  let server: ReplayModelServer | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await server?.close();
    await cleanup?.();
  });

  it('registers the command menu when it serves the bot by long polling, and asks for the updates it handles', async () => {
    const api = await new FakeBotApi().start();
    // What another program using this token last asked for, which Telegram keeps unless asked for others.
    api.allowedUpdates = ['message'];
    const home = await makeTempDir('hermes-start-');
    cleanup = async () => {
      await api.close();
      await home.remove();
    };
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'handlers', 'local.ts')], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DEEPSEEK_API_KEY: 'sk-test',
        HERMES_HOME: home.path,
        TELEGRAM_BOT_TOKEN: '123456:START-test-token',
        TELEGRAM_ALLOWED_USERS: '77',
        TELEGRAM_API_ROOT: api.apiRoot,
      },
    });
    const closed = new Promise((resolve) => child.on('close', resolve));
    try {
      await api.waitFor(() => api.calls.some((call) => call.method === 'getUpdates'), 20_000);
      expect(api.calls.find((call) => call.method === 'setMyCommands')?.params).toEqual({ commands: menuCommands() });
      // Only what it handles, as the webhook does: no other kind of update is fetched for nothing.
      expect(api.allowedUpdates).toEqual([...ALLOWED_UPDATES]);
    } finally {
      child.kill('SIGTERM');
      await closed;
    }
  });

  it('names TELEGRAM_BOT_TOKEN when Telegram refuses the token, and says where Telegram could not be reached', async () => {
    const api = await new FakeBotApi().start();
    const home = await makeTempDir('hermes-start-');
    cleanup = async () => {
      await api.close();
      await home.remove();
    };
    const env = { DEEPSEEK_API_KEY: 'sk-test', HERMES_HOME: home.path, TELEGRAM_BOT_TOKEN: '123456:WRONG-token', TELEGRAM_ALLOWED_USERS: '77' };
    api.injectFault({ method: 'getMe', errorCode: 401, description: 'Unauthorized' });
    const refused = await start({ ...env, TELEGRAM_API_ROOT: api.apiRoot }, '');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('hermes: TELEGRAM_BOT_TOKEN: was refused by Telegram (Unauthorized). Copy the token from @BotFather again.\n');

    const closedPort = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await start({ ...env, TELEGRAM_API_ROOT: closedPort }, '');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^hermes: Could not reach Telegram at ${closedPort}: .*Check the network and TELEGRAM_API_ROOT\\.\\n$`));
  });

  it('says which variable to set and exits non-zero without a model key', async () => {
    const result = await start({}, '');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/DEEPSEEK_API_KEY/);
  });

  it('says what to set and exits when Bedrock is chosen and no AWS credentials are found', async () => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    const result = await start({ HERMES_PROVIDER: 'bedrock', HOME: home.path, HERMES_HOME: home.path }, '');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hermes: HERMES_PROVIDER=bedrock needs AWS credentials, and none were found .*AWS_PROFILE/);
  });

  it('names the variable when the config is invalid', async () => {
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_PROVIDER: 'openai' }, '');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/HERMES_PROVIDER/);
  });

  it('names HERMES_HOME and exits when it is a file, before any message is lost to it', async () => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    const file = join(home.path, 'not-a-folder');
    await writeFile(file, 'x');
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_HOME: file }, 'hello\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hermes: HERMES_HOME: .*not-a-folder is a file, not a folder\./);
  });

  it('refuses to start on a HERMES_HOME another npm start is using, naming its process, and leaves its lock', async () => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    // This test's own process stands in for the other npm start.
    await writeFile(join(home.path, HOME_LOCK_FILE), `${process.pid}\n${Math.round(Date.now() - uptime() * 1000)}\n`);
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_HOME: home.path }, 'hello\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^hermes: HERMES_HOME: .* is in use by another npm start \\(process ${process.pid}\\)`));
    expect((await readFile(join(home.path, HOME_LOCK_FILE), 'utf8')).split('\n')[0]).toBe(String(process.pid));
  });

  it("reads the time zone of classic Hermes' config.yaml under HERMES_HOME, and stops on one that is no zone", async () => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    await writeFile(join(home.path, 'config.yaml'), 'model:\n  default: x\ntimezone: Mars/Olympus_Mons\n');
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_HOME: home.path }, 'hello\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hermes: HERMES_TIMEZONE: is not set, and HERMES_HOME\/config\.yaml names an unknown IANA time zone "Mars\/Olympus_Mons"/);
  });

  it('names the file that stands where a folder above HERMES_HOME should be', async () => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    const file = join(home.path, 'a-file');
    await writeFile(file, 'x');
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_HOME: join(file, 'hermes') }, 'hello\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hermes: HERMES_HOME: .*a-file\/hermes cannot be made: .*a-file is a file, not a folder\./);
  });

  it.each(['sessions', 'logs'])('names HERMES_HOME and exits when its %s folder is a file, instead of failing every message', async (folder) => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    await writeFile(join(home.path, folder), 'x');
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_HOME: home.path }, 'hello\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^hermes: HERMES_HOME: .*${folder} is a file, but Hermes keeps its ${folder} there in a folder\\.`));
  });

  it('names AWS_REGION at start when an AWS back end is chosen and no region is found', async () => {
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    const result = await start({ DEEPSEEK_API_KEY: 'k', HERMES_HOME: home.path, HOME: home.path, HERMES_SESSION_BACKEND: 'dynamodb' }, 'hello\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hermes: AWS_REGION: is needed for the AWS back ends this start uses \(HERMES_SESSION_BACKEND=dynamodb\)/);
  });

  it('chats in the terminal without a bot token, storing state under HERMES_HOME', async () => {
    server = await ReplayModelServer.fromFiles(join(fixtures, 'deepseek-cron-create.json'));
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    const result = await start(
      { DEEPSEEK_API_KEY: 'sk-test', DEEPSEEK_BASE_URL: server.url, HERMES_HOME: home.path },
      'remind me to stretch in 30 minutes\n/exit\n',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Done — I'll remind you to **stretch** in 30 minutes.");
    expect(server.failures).toEqual([]);
    const jobs = JSON.parse(await readFile(join(home.path, 'cron', 'hermes-serverless-jobs.json'), 'utf8')) as Array<{ name: string }>;
    expect(jobs.map((job) => job.name)).toEqual(['stretch']);
    // The folder is free for the next start.
    await expect(readFile(join(home.path, HOME_LOCK_FILE), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('keeps log lines out of the terminal chat, in HERMES_HOME/logs/hermes.log', async () => {
    server = await new ReplayModelServer().enqueue([{ status: 500, response: { error: { message: 'upstream exploded', type: 'server_error' } } }]).start();
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    const result = await start({ DEEPSEEK_API_KEY: 'sk-test', DEEPSEEK_BASE_URL: server.url, HERMES_HOME: home.path, HERMES_MODEL_RETRIES: '0' }, 'hello\n/exit\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('⚠️ The model did not answer: the provider answered HTTP 500.');
    expect(result.stderr).toBe('');
    expect(await readFile(join(home.path, 'logs', 'hermes.log'), 'utf8')).toMatch(/"message":"model call failed"/);
  });

  it("takes the key from classic Hermes' HERMES_HOME/.env, over a stale one the shell exports, as Hermes does", async () => {
    server = await ReplayModelServer.fromFiles(join(fixtures, 'deepseek-cron-create.json'));
    const home = await makeTempDir('hermes-start-');
    cleanup = home.remove;
    await writeFile(join(home.path, '.env'), `\uFEFF# Hermes keys\nexport DEEPSEEK_API_KEY=sk-from-dotenv\nDEEPSEEK_BASE_URL="${server.url}"\nHERMES_HOME=/elsewhere\n`);
    const result = await start({ DEEPSEEK_API_KEY: 'sk-stale', HERMES_HOME: home.path }, 'remind me to stretch in 30 minutes\n/exit\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-from-dotenv');
    expect(JSON.parse(await readFile(join(home.path, 'cron', 'hermes-serverless-jobs.json'), 'utf8'))).toHaveLength(1);
  });
});

/** A loopback port nothing listens on: one the system just handed out and took back. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
