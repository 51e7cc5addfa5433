import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AgentFunction } from './agent-function.ts';
import { AgentMemory } from './agent-memory.ts';
import { grantAgentPermissions } from './agent-permissions.ts';
import { BotSecret } from './bot-secret.ts';
import { JobScheduler } from './job-scheduler.ts';
import { OperationsAlarms } from './operations-alarms.ts';
import { DEFAULT_MONTHLY_BUDGET_USD, type HermesSettings } from './settings.ts';
import { SpendGuard } from './spend-guard.ts';
import { DEFAULT_RESERVED_CONCURRENCY, OUTPUT_NAMES, UNRESERVED_WORKER_CONCURRENCY } from './deployment-contract.ts';
import { HermesState } from './state-construct.ts';
import { MAX_RECEIVES, TurnQueue } from './turn-queue.ts';

export interface HermesStackProps extends StackProps {
  settings: HermesSettings;
}

const SKILLS_PREFIX = 'skills/';
const MEDIA_PREFIX = 'media/';

/** The whole serverless bot: its functions (webhook and worker) plus the state, schedules, memory and secret they use. */
export class HermesStack extends Stack {
  readonly agent: AgentFunction;

  constructor(scope: Construct, id: string, props: HermesStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const state = new HermesState(this, 'State', { mediaPrefix: MEDIA_PREFIX, mediaRetentionDays: settings.sessionTtlDays });
    const { secret } = new BotSecret(this, 'BotSecret');
    const { memory } = new AgentMemory(this, 'Memory', { conversationDays: settings.sessionTtlDays });
    const scheduler = new JobScheduler(this, 'Scheduler');
    const workerTimeout = Duration.seconds(settings.workerTimeoutSeconds);
    const turns = new TurnQueue(this, 'Turns', { workerTimeout });

    this.agent = new AgentFunction(this, 'Agent', {
      timeout: workerTimeout,
      environment: {
        HERMES_PROVIDER: settings.provider,
        ...(settings.model ? { HERMES_MODEL: settings.model } : {}),
        HERMES_TIMEZONE: settings.timezone,
        ...(settings.reasoning ? { HERMES_REASONING: settings.reasoning } : {}),
        HERMES_SESSION_BACKEND: 'dynamodb',
        HERMES_SESSION_TABLE: state.table.tableName,
        HERMES_SKILLS_S3_BUCKET: state.skillsBucket.bucketName,
        HERMES_SKILLS_S3_PREFIX: SKILLS_PREFIX,
        HERMES_MEDIA_S3_PREFIX: MEDIA_PREFIX,
        HERMES_SCHEDULER_ROLE_ARN: scheduler.role.roleArn,
        HERMES_SCHEDULER_GROUP: scheduler.groupName,
        // Schedules fire onto the turn queue, so a fire runs in order with its chat and is retried like a message.
        HERMES_SCHEDULER_TARGET_ARN: turns.queue.queueArn,
        HERMES_TURN_QUEUE_URL: turns.queue.queueUrl,
        HERMES_WORKER_TIMEOUT_SECONDS: String(settings.workerTimeoutSeconds),
        HERMES_WORKER_MAX_RECEIVES: String(MAX_RECEIVES),
        HERMES_AGENTCORE_MEMORY_ID: memory.attrMemoryId,
        HERMES_SECRETS_ARN: secret.secretArn,
        TELEGRAM_ALLOWED_USERS: settings.allowedUsers,
        ...settings.functionEnv,
      },
      ...reservedConcurrencyOf(settings),
    });

    scheduler.allowInvoke(this.agent.fn);
    scheduler.allowSend(turns.queue);
    turns.queue.grantSendMessages(this.agent.role);
    turns.feed(this.agent.worker, workerConcurrencyOf(settings));
    grantAgentPermissions(this.agent.role, {
      table: state.table,
      skillsBucket: state.skillsBucket,
      skillsPrefix: SKILLS_PREFIX,
      mediaPrefix: MEDIA_PREFIX,
      scheduler,
      memory,
      secret,
      settings,
    });

    new OperationsAlarms(this, 'Alarms', {
      functions: [this.agent.fn, this.agent.worker],
      webhook: this.agent.fn,
      logGroup: this.agent.logGroup,
      table: state.table,
      deadLetters: turns.deadLetters,
      failedInvocations: this.agent.failedInvocations,
      droppedFires: scheduler.metricDroppedFires(Duration.minutes(5)),
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    new SpendGuard(this, 'Spend', {
      monthlyBudgetUsd: settings.monthlyBudgetUsd ?? DEFAULT_MONTHLY_BUDGET_USD,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    new CfnOutput(this, OUTPUT_NAMES.functionUrl, { value: this.agent.url.url, description: 'Telegram webhook target.' });
    new CfnOutput(this, OUTPUT_NAMES.secretArn, { value: secret.secretArn, description: 'Bot token, webhook secret and model key (JSON).' });
    new CfnOutput(this, OUTPUT_NAMES.logGroupName, { value: this.agent.logGroup.logGroupName, description: 'aws logs tail <this> --follow' });

    if (settings.allowedUsers === '') {
      Annotations.of(this).addWarningV2(
        'hermes:no-allowed-users',
        'Context "allowedUsers" is empty, so the bot will answer nobody. Deploy with npm run deploy and TELEGRAM_ALLOWED_USERS set.',
      );
    }
  }
}

/**
 * The queue's poller does not know the worker's reserved concurrency: past it, its invocations are throttled, and
 * every throttle counts as a receive, so a turn could reach the dead-letter queue without ever running. Its own
 * maximum, the reservation (settings keep it at 2 or more, the poller's minimum), keeps it within ("Configuring
 * maximum concurrency for Amazon SQS event sources", Lambda Developer Guide, checked 2026-12-02). With nothing
 * reserved, the account's own quota is the limit, which is 10 on a new account: the poller keeps within it too.
 */
function workerConcurrencyOf(settings: HermesSettings): { maxConcurrency: number } {
  const reserved = settings.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY;
  return { maxConcurrency: reserved === 'none' ? UNRESERVED_WORKER_CONCURRENCY : reserved };
}

function reservedConcurrencyOf(settings: HermesSettings): { reservedConcurrency?: number } {
  const reserved = settings.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY;
  return reserved === 'none' ? {} : { reservedConcurrency: reserved };
}
