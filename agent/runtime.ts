import { join, resolve } from 'node:path';
import type { LanguageModel } from 'ai';
import type { Config } from './config.ts';
import { ConfigError } from '../tools/errors.ts';
import { FileMemoryStore } from './local/file-memory-store.ts';
import { FileSessionStore } from './local/file-session-store.ts';
import { FileSkillStore } from './local/file-skill-store.ts';
import { FileUsageStore } from './local/file-usage-store.ts';
import { LocalScheduler } from './local/local-scheduler.ts';
import { MemoryAlbumRoster } from './local/memory-album-roster.ts';
import { MemoryDedupStore } from './local/memory-dedup-store.ts';
import type { Logger } from './logger.ts';
import { createModel } from './model.ts';
import type { AlbumRoster } from './ports/album-roster.ts';
import type { DedupStore } from './ports/dedup-store.ts';
import type { Locks } from '../tools/ports/locks.ts';
import { ClaimLocks } from '../tools/claim-locks.ts';
import { LockedScheduler } from '../tools/locked-scheduler.ts';
import type { MemoryStore } from '../tools/ports/memory-store.ts';
import type { Scheduler } from '../tools/ports/scheduler.ts';
import type { SessionStore } from './ports/session-store.ts';
import type { SkillStore } from '../tools/ports/skill-store.ts';
import type { UsageStore } from './ports/usage-store.ts';
import { SkillLibrary } from '../tools/skill-library.ts';
import { TERMINAL_USER_ID } from './terminal-user.ts';

/** Everything a turn needs, wired once per process (a Lambda container or `npm start`). */
export interface Runtime {
  config: Config;
  model: LanguageModel;
  sessions: SessionStore;
  skills: SkillLibrary;
  scheduler: Scheduler;
  memory: MemoryStore;
  dedup: DedupStore;
  /** On the dedup store: tools' check-then-write changes one at a time, across instances. */
  locks: Locks;
  /** The messages of each album, so that one turn answers an album however its messages are run. */
  albums: AlbumRoster;
  usage: UsageStore;
  log: Logger;
  /** Present in local mode: the in-process scheduler the caller starts. */
  localScheduler?: LocalScheduler;
}

export interface RuntimeOptions {
  log: Logger;
  /** The ARN EventBridge Scheduler invokes; on Lambda this is the function's own ARN. */
  schedulerTargetArn?: string;
  /** On Lambda nothing may live on local disk, so every local adapter choice becomes a config error. */
  requireCloudState?: boolean;
  model?: LanguageModel;
}

/**
 * Chooses each adapter from the environment: DynamoDB/S3/EventBridge/AgentCore when their variables are set,
 * files under HERMES_HOME otherwise. Cloud adapters are imported only when chosen, to keep cold start small.
 */
export async function createRuntime(config: Config, options: RuntimeOptions): Promise<Runtime> {
  const home = resolve(config.home);
  const [sessionParts, skillStore, schedulerParts, memory, model] = await Promise.all([
    sessionAndDedup(config, home, options),
    skillStoreFor(config, home, options),
    schedulerFor(config, home, options),
    memoryFor(config, home, options),
    options.model ?? createModel(config),
  ]);
  const locks = new ClaimLocks(sessionParts.dedup);
  return {
    config,
    model,
    ...sessionParts,
    locks,
    skills: new SkillLibrary(skillStore, { disabled: config.disabledSkills }),
    ...schedulerParts,
    scheduler: new LockedScheduler(schedulerParts.scheduler, locks),
    memory,
    log: options.log,
  };
}

function requireCloud(options: RuntimeOptions, variable: string, what: string): void {
  if (options.requireCloudState) {
    throw new ConfigError(variable, `must be set on Lambda: ${what} cannot live on the function's local disk.`);
  }
}

type SessionParts = Pick<Runtime, 'sessions' | 'dedup' | 'albums' | 'usage'>;

async function sessionAndDedup(config: Config, home: string, options: RuntimeOptions): Promise<SessionParts> {
  if (config.sessions.backend === 'dynamodb') {
    const [{ createDocumentClient }, { DynamoDbSessionStore }, { DynamoDbDedupStore }, { DynamoDbAlbumRoster }, { DynamoDbUsageStore }] = await Promise.all([
      import('./aws/aws-clients.ts'),
      import('./aws/dynamodb-session-store.ts'),
      import('./aws/dynamodb-dedup-store.ts'),
      import('./aws/dynamodb-album-roster.ts'),
      import('./aws/dynamodb-usage-store.ts'),
    ]);
    const doc = createDocumentClient();
    return {
      sessions: new DynamoDbSessionStore(doc, { tableName: config.sessions.table, ttlDays: config.sessions.ttlDays }),
      dedup: new DynamoDbDedupStore(doc, config.sessions.table),
      albums: new DynamoDbAlbumRoster(doc, config.sessions.table),
      usage: new DynamoDbUsageStore(doc, config.sessions.table),
    };
  }
  requireCloud(options, 'HERMES_SESSION_BACKEND', 'chat history (set it to dynamodb)');
  return {
    sessions: new FileSessionStore(join(home, 'sessions'), { log: options.log }),
    dedup: new MemoryDedupStore(),
    albums: new MemoryAlbumRoster(),
    usage: new FileUsageStore(join(home, 'usage')),
  };
}

async function skillStoreFor(config: Config, home: string, options: RuntimeOptions): Promise<SkillStore> {
  if (config.skills.bucket) {
    const [{ createS3Client }, { S3SkillStore }] = await Promise.all([import('./aws/aws-clients.ts'), import('./aws/s3-skill-store.ts')]);
    return new S3SkillStore(createS3Client(config.s3ForcePathStyle), config.skills.bucket, config.skills.prefix);
  }
  requireCloud(options, 'HERMES_SKILLS_S3_BUCKET', 'skills');
  return new FileSkillStore(join(home, 'skills'));
}

async function schedulerFor(
  config: Config,
  home: string,
  options: RuntimeOptions,
): Promise<{ scheduler: Scheduler; localScheduler?: LocalScheduler }> {
  const { roleArn, group } = config.scheduler;
  if (roleArn) {
    const targetArn = config.scheduler.targetArn ?? options.schedulerTargetArn;
    if (!targetArn) {
      throw new ConfigError('HERMES_SCHEDULER_TARGET_ARN', 'is needed with HERMES_SCHEDULER_ROLE_ARN outside Lambda (the function ARN to invoke).');
    }
    const [{ SchedulerClient }, { EventBridgeScheduler }] = await Promise.all([
      import('@aws-sdk/client-scheduler'),
      import('./aws/eventbridge-scheduler.ts'),
    ]);
    return { scheduler: new EventBridgeScheduler({ client: new SchedulerClient({}), group, roleArn, targetArn, timezone: config.timezone }) };
  }
  requireCloud(options, 'HERMES_SCHEDULER_ROLE_ARN', 'scheduled jobs');
  const local = new LocalScheduler(home, config.timezone);
  return { scheduler: local, localScheduler: local };
}

async function memoryFor(config: Config, home: string, options: RuntimeOptions): Promise<MemoryStore> {
  const memoryId = config.memory.agentCoreMemoryId;
  if (memoryId) {
    const [{ BedrockAgentCoreClient }, { AgentCoreMemoryStore }] = await Promise.all([
      import('@aws-sdk/client-bedrock-agentcore'),
      import('./aws/agentcore-memory-store.ts'),
    ]);
    return new AgentCoreMemoryStore({ client: new BedrockAgentCoreClient({}), memoryId });
  }
  requireCloud(options, 'HERMES_AGENTCORE_MEMORY_ID', 'long-term memory');
  const owner = config.telegram.allowedUsers?.[0];
  return new FileMemoryStore(join(home, 'memories'), { owners: [TERMINAL_USER_ID, ...(owner ? [owner] : [])], log: options.log, timezone: config.timezone });
}
