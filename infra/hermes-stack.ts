import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AgentFunction } from './agent-function.ts';
import { AgentMemory } from './agent-memory.ts';
import { grantAgentPermissions } from './agent-permissions.ts';
import { BotSecret } from './bot-secret.ts';
import { JobScheduler } from './job-scheduler.ts';
import { OperationsAlarms } from './operations-alarms.ts';
import { DEFAULT_MONTHLY_BUDGET_USD, DEFAULT_RESERVED_CONCURRENCY, type HermesSettings } from './settings.ts';
import { SpendGuard } from './spend-guard.ts';
import { OUTPUT_NAMES } from './deployment-contract.ts';
import { HermesState } from './state-construct.ts';

export interface HermesStackProps extends StackProps {
  settings: HermesSettings;
}

const SKILLS_PREFIX = 'skills/';

/** The whole serverless bot: one function plus the state, schedules, memory and secret it works with. */
export class HermesStack extends Stack {
  readonly agent: AgentFunction;

  constructor(scope: Construct, id: string, props: HermesStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const state = new HermesState(this, 'State');
    const { secret } = new BotSecret(this, 'BotSecret');
    const { memory } = new AgentMemory(this, 'Memory');
    const scheduler = new JobScheduler(this, 'Scheduler');

    // HERMES_SCHEDULER_TARGET_ARN is left out on purpose: the function's own ARN would be a circular reference,
    // so the function targets context.invokedFunctionArn instead.
    this.agent = new AgentFunction(this, 'Agent', {
      environment: {
        HERMES_PROVIDER: settings.provider,
        ...(settings.model ? { HERMES_MODEL: settings.model } : {}),
        HERMES_TIMEZONE: settings.timezone,
        ...(settings.reasoning ? { HERMES_REASONING: settings.reasoning } : {}),
        HERMES_SESSION_BACKEND: 'dynamodb',
        HERMES_SESSION_TABLE: state.table.tableName,
        HERMES_SKILLS_S3_BUCKET: state.skillsBucket.bucketName,
        HERMES_SKILLS_S3_PREFIX: SKILLS_PREFIX,
        HERMES_SCHEDULER_ROLE_ARN: scheduler.role.roleArn,
        HERMES_SCHEDULER_GROUP: scheduler.groupName,
        HERMES_AGENTCORE_MEMORY_ID: memory.attrMemoryId,
        HERMES_SECRETS_ARN: secret.secretArn,
        TELEGRAM_ALLOWED_USERS: settings.allowedUsers,
        ...settings.functionEnv,
      },
      ...reservedConcurrencyOf(settings),
    });

    scheduler.allowInvoke(this.agent.fn);
    grantAgentPermissions(this.agent.role, {
      table: state.table,
      skillsBucket: state.skillsBucket,
      skillsPrefix: SKILLS_PREFIX,
      scheduler,
      memory,
      secret,
      settings,
    });

    new OperationsAlarms(this, 'Alarms', {
      fn: this.agent.fn,
      table: state.table,
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

function reservedConcurrencyOf(settings: HermesSettings): { reservedConcurrency?: number } {
  const reserved = settings.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY;
  return reserved === 'none' ? {} : { reservedConcurrency: reserved };
}
