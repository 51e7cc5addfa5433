import type { Runtime } from '../agent/runtime.ts';
import { conversationKey, isSharedConversation } from '../agent/session-key.ts';
import { mediaStoreFor } from '../handlers/media/media-store-for.ts';
import type { StateExpectation } from './scenario-schema.ts';

type Expectations<K extends keyof StateExpectation> = NonNullable<StateExpectation[K]>;

/**
 * Reads the state a step left behind through the app's own ports, so the check sees what the next invocation
 * would see, whichever service holds it.
 */
export async function checkState(runtime: Runtime, expected: StateExpectation = {}): Promise<string[]> {
  const results = await Promise.all([
    checkJobs(runtime, expected.jobs ?? []),
    checkSkills(runtime, expected.skills ?? []),
    checkMemory(runtime, expected.memory ?? []),
    checkSessions(runtime, expected.sessions ?? []),
    checkMedia(runtime, expected.media ?? []),
  ]);
  return results.flat();
}

async function checkJobs(runtime: Runtime, expectations: Expectations<'jobs'>): Promise<string[]> {
  const failures: string[] = [];
  for (const { chatId, threadId, list } of expectations) {
    const where = `jobs of chat ${chatId}${threadId !== undefined ? ` topic ${threadId}` : ''}`;
    const jobs = await runtime.scheduler.list(chatId, threadId);
    if (jobs.length !== list.length) {
      failures.push(`${where}: expected ${list.length}, found ${jobs.length} (${jobs.map((job) => job.name).join(', ') || 'none'})`);
      continue;
    }
    list.forEach((want, index) => {
      const job = jobs[index]!;
      const actual = {
        name: job.name,
        kind: job.schedule.kind,
        display: job.schedule.display,
        repeat: job.repeat ?? null,
        completedRuns: job.completedRuns,
        state: job.state,
        skills: job.skills ?? [],
      };
      for (const [field, value] of Object.entries(want)) {
        const got = actual[field as keyof typeof actual];
        if (JSON.stringify(got) !== JSON.stringify(value)) failures.push(`${where}[${index}].${field}: expected ${JSON.stringify(value)}, found ${JSON.stringify(got)}`);
      }
    });
  }
  return failures;
}

async function checkSkills(runtime: Runtime, expectations: Expectations<'skills'>): Promise<string[]> {
  const failures: string[] = [];
  for (const { path, content, contains, absent } of expectations) {
    const actual = await runtime.skills.store.readFile(path);
    if (absent) {
      if (actual !== undefined) failures.push(`skill file ${path} exists but should not`);
      continue;
    }
    if (actual === undefined) {
      failures.push(`skill file ${path} does not exist`);
      continue;
    }
    if (content !== undefined && actual !== content) failures.push(`skill file ${path} is ${JSON.stringify(actual)}, expected ${JSON.stringify(content)}`);
    for (const needle of contains ?? []) if (!actual.includes(needle)) failures.push(`skill file ${path} lacks ${JSON.stringify(needle)}`);
  }
  return failures;
}

async function checkMemory(runtime: Runtime, expectations: Expectations<'memory'>): Promise<string[]> {
  const failures: string[] = [];
  for (const { userId, target, entries } of expectations) {
    const actual = (await runtime.memory.list(userId, target)).map((entry) => entry.text);
    if (JSON.stringify(actual) !== JSON.stringify(entries)) {
      failures.push(`${target} notebook of user ${userId} is ${JSON.stringify(actual)}, expected ${JSON.stringify(entries)}`);
    }
  }
  return failures;
}

async function checkSessions(runtime: Runtime, expectations: Expectations<'sessions'>): Promise<string[]> {
  const failures: string[] = [];
  for (const { chatId, threadId, userId, turns, roles, contains, lacks } of expectations) {
    const place = { chatId, group: chatId < 0, ...(threadId !== undefined ? { threadId } : {}), ...(userId !== undefined ? { userId } : {}) };
    // Without the member, such a check would read a conversation the bot never writes, and pass whatever it did.
    if (place.group && userId === undefined && !isSharedConversation(place, runtime.config.telegram.sessionScope)) {
      failures.push(`session check of group ${chatId} names no userId, but each member has a conversation of their own there`);
      continue;
    }
    const key = conversationKey(place, runtime.config.telegram.sessionScope);
    const window = await runtime.sessions.loadWindow(key, runtime.config.windowTurns);
    const messages = window.turns.flatMap((turn) => turn.messages);
    const text = JSON.stringify(messages);
    if (turns !== undefined && window.turns.length !== turns) failures.push(`session ${key} has ${window.turns.length} turns, expected ${turns}`);
    const actualRoles = messages.map((message) => message.role);
    if (roles && JSON.stringify(actualRoles) !== JSON.stringify(roles)) {
      failures.push(`session ${key} roles are ${JSON.stringify(actualRoles)}, expected ${JSON.stringify(roles)}`);
    }
    for (const needle of contains ?? []) if (!text.includes(needle)) failures.push(`session ${key} lacks ${JSON.stringify(needle)}`);
    for (const needle of lacks ?? []) if (text.includes(needle)) failures.push(`session ${key} still holds ${JSON.stringify(needle)}`);
  }
  return failures;
}

async function checkMedia(runtime: Runtime, keys: Expectations<'media'>): Promise<string[]> {
  if (keys.length === 0) return [];
  const store = await mediaStoreFor(runtime.config);
  const kept = await Promise.all(keys.map(async (key) => ((await store.get(key)) === undefined ? [`received file ${key} is not in the media store`] : [])));
  return kept.flat();
}
