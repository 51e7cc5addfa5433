import { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_CONCURRENCY } from '../../infra/deployment-contract.ts';
import { synthesizeHermes, type SynthesizedHermes } from './hermes-test-app.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Effect: string;
}

const logicalId = (hermes: SynthesizedHermes, element: unknown) => hermes.stack.getLogicalId(element as CfnElement);

type FunctionProperties = { Environment: { Variables: Record<string, unknown> }; ReservedConcurrentExecutions?: number };

/** The webhook (behind the URL) and the worker (the queue's consumer): one bundle, one configuration. */
function agentFunctions(hermes: SynthesizedHermes): { webhook: FunctionProperties; worker: FunctionProperties } {
  const resources = hermes.template.toJSON().Resources as Record<string, { Properties: FunctionProperties }>;
  const { fn, worker } = hermes.stack.agent;
  return { webhook: resources[logicalId(hermes, fn.node.defaultChild)]!.Properties, worker: resources[logicalId(hermes, worker.node.defaultChild)]!.Properties };
}

function agentFunction(hermes: SynthesizedHermes): FunctionProperties {
  const { webhook, worker } = agentFunctions(hermes);
  expect(webhook.Environment).toEqual(worker.Environment);
  return worker;
}

function agentStatements(hermes: SynthesizedHermes): Statement[] {
  const roleId = logicalId(hermes, hermes.stack.agent.role.node.defaultChild);
  const policies = Object.values(hermes.template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(roleId),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function statementFor(statements: Statement[], action: string): Statement {
  const found = statements.find((statement) => [statement.Action].flat().includes(action));
  if (!found) throw new Error(`no statement allows ${action}`);
  return found;
}

describe('Hermes stack (default context: DeepSeek, no alarm e-mail)', () => {
  let hermes: SynthesizedHermes;
  beforeAll(() => {
    hermes = synthesizeHermes({ allowedUsers: '111, 222' });
  });

  it('keeps state in an on-demand pk/sk table with TTL and point-in-time recovery that survives stack deletion', () => {
    hermes.template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    hermes.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      }),
    });
  });

  it('stores skills in a private, encrypted, versioned, TLS-only bucket that logs access to a separate bucket', () => {
    const skillsId = logicalId(hermes, hermes.stack.node.findChild('State').node.findChild('Skills').node.defaultChild);
    const skills = hermes.template.toJSON().Resources[skillsId];
    expect(skills.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^StateAccessLogs/) }, LogFilePrefix: 'skills/' },
      // Received files go after as many days as the session rows naming them (HERMES_SESSION_TTL_DAYS, 90 by default).
      LifecycleConfiguration: {
        Rules: [
          { NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' },
          { Prefix: 'media/', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Status: 'Enabled' },
          { Prefix: 'media/', ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
        ],
      },
    });
    expect(skills.DeletionPolicy).toBe('Retain');
    hermes.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: skillsId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('runs the webhook and the worker as arm64 functions on the newest Node.js runtime with 1 GB, the worker timeout (300 s) and the bundled handler', () => {
    hermes.template.resourceCountIs('AWS::Lambda::Function', 2);
    hermes.template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 300,
    });
  });

  it('gives the function its configuration, the turn queue as scheduler target, and no credentials, in plain env', () => {
    const env = agentFunction(hermes).Environment.Variables;
    expect(env).toMatchObject({
      HERMES_SESSION_BACKEND: 'dynamodb',
      HERMES_SESSION_TABLE: { Ref: expect.stringMatching(/^StateTable/) },
      HERMES_SKILLS_S3_BUCKET: { Ref: expect.stringMatching(/^StateSkills/) },
      HERMES_SKILLS_S3_PREFIX: 'skills/',
      HERMES_MEDIA_S3_PREFIX: 'media/',
      HERMES_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulerInvokeRole/), 'Arn'] },
      HERMES_SCHEDULER_GROUP: { Ref: expect.stringMatching(/^SchedulerGroup/) },
      HERMES_SCHEDULER_TARGET_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^TurnsQueue/), 'Arn'] },
      HERMES_TURN_QUEUE_URL: { Ref: expect.stringMatching(/^TurnsQueue/) },
      HERMES_WORKER_TIMEOUT_SECONDS: '300',
      HERMES_WORKER_MAX_RECEIVES: '3',
      HERMES_AGENTCORE_MEMORY_ID: { 'Fn::GetAtt': [expect.stringMatching(/^Memory/), 'MemoryId'] },
      HERMES_SECRETS_ARN: { Ref: expect.stringMatching(/^BotSecret/) },
      HERMES_PROVIDER: 'deepseek',
      HERMES_TIMEZONE: 'UTC',
      TELEGRAM_ALLOWED_USERS: '111,222',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(env).not.toHaveProperty('HERMES_MODEL');
    for (const forbidden of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'DEEPSEEK_API_KEY']) {
      expect(env).not.toHaveProperty(forbidden);
    }
    expect(JSON.stringify(hermes.template.toJSON())).not.toContain('{{resolve:secretsmanager');
  });

  it('writes logs to its own log group kept for a month, through a role without managed policies', () => {
    const logsId = logicalId(hermes, hermes.stack.agent.logGroup.node.defaultChild);
    hermes.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    hermes.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logsId } } });
    const roleId = logicalId(hermes, hermes.stack.agent.role.node.defaultChild);
    expect(hermes.template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    expect(statementFor(agentStatements(hermes), 'logs:PutLogEvents').Resource).toEqual({ 'Fn::GetAtt': [logsId, 'Arn'] });
  });

  it('keeps Lambda async retries, the only retry of a fire whose invocation failed (Scheduler invokes asynchronously)', () => {
    hermes.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, Qualifier: '$LATEST' });
  });

  it("keeps a direct fire that failed every retry, with its error, in a standard queue the webhook may write to, and alarms on it", () => {
    const failedId = logicalId(hermes, hermes.stack.agent.failedInvocations.node.defaultChild);
    const webhookId = logicalId(hermes, hermes.stack.agent.fn.node.defaultChild);
    hermes.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: webhookId },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failedId, 'Arn'] } } },
    });
    // Lambda sends no record to a FIFO queue.
    const failed = hermes.template.toJSON().Resources[failedId].Properties;
    expect(failed.FifoQueue).toBeUndefined();
    expect(failed).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const sendTo = agentStatements(hermes).filter((statement) => [statement.Action].flat().includes('sqs:SendMessage'));
    expect(sendTo.flatMap((statement) => [statement.Resource].flat())).toContainEqual({ 'Fn::GetAtt': [failedId, 'Arn'] });
    hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failedId, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('exposes a public Function URL for the Telegram webhook and outputs it with the secret ARN and log group', () => {
    hermes.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    hermes.template.hasOutput('FunctionUrl', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AgentFunctionFunctionUrl'), 'FunctionUrl'] } });
    hermes.template.hasOutput('SecretArn', { Value: { Ref: Match.stringLikeRegexp('^BotSecret') } });
    hermes.template.hasOutput('LogGroupName', { Value: { Ref: logicalId(hermes, hermes.stack.agent.logGroup.node.defaultChild) } });
  });

  it('creates the hermes schedule group and a scheduler role that only this account can use, to send to the turn queue (and invoke the function)', () => {
    hermes.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'hermes' });
    hermes.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': [
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:us-east-1:', { Ref: 'AWS::AccountId' }, ':schedule-group/hermes']] },
                  { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:us-east-1:', { Ref: 'AWS::AccountId' }, ':schedule/hermes/*']] },
                ],
              },
            },
          },
        ],
      },
    });
    const schedulerRoleId = logicalId(hermes, (hermes.stack.node.findChild('Scheduler').node.findChild('InvokeRole') as { node: { defaultChild: unknown } }).node.defaultChild);
    hermes.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: schedulerRoleId }],
      PolicyDocument: {
        Statement: [
          { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AgentFunction'), 'Arn'] } },
          { Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TurnsQueue'), 'Arn'] } },
        ],
      },
    });
  });

  it('generates the webhook secret in Secrets Manager, with empty slots for the user-supplied credentials', () => {
    hermes.template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const secret = Object.values(hermes.template.findResources('AWS::SecretsManager::Secret'))[0]!;
    const generate = secret.Properties.GenerateSecretString;
    expect(generate).toMatchObject({ GenerateStringKey: 'TELEGRAM_WEBHOOK_SECRET', ExcludePunctuation: true, IncludeSpace: false });
    expect(JSON.parse(generate.SecretStringTemplate)).toEqual({ TELEGRAM_BOT_TOKEN: '', DEEPSEEK_API_KEY: '' });
    expect(hermes.template.findResources('AWS::SecretsManager::RotationSchedule')).toEqual({});
  });

  it('creates AgentCore memory with a semantic strategy writing to the namespace the function searches', () => {
    hermes.template.resourceCountIs('AWS::BedrockAgentCore::Memory', 1);
    const memory = Object.values(hermes.template.findResources('AWS::BedrockAgentCore::Memory'))[0]!.Properties;
    expect(memory.Name).toMatch(/^[a-zA-Z][a-zA-Z0-9_]{0,47}$/);
    expect(memory.EventExpiryDuration).toBe(90);
    expect(memory.MemoryStrategies).toEqual([
      { SemanticMemoryStrategy: expect.objectContaining({ NamespaceTemplates: ['/users/{actorId}/facts'] }) },
    ]);
  });

  it('grants the function least-privilege access to each resource it uses', () => {
    const statements = agentStatements(hermes);
    expect(statementFor(statements, 'dynamodb:PutItem').Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^StateTable/), 'Arn'] });
    expect(statements.flatMap((s) => [s.Action].flat()).filter((action) => action.includes('*'))).toEqual([]);

    const objects = statementFor(statements, 's3:PutObject');
    expect(JSON.stringify(objects.Resource)).toContain('"/skills/*"');
    // Unconditioned on the stack's own bucket: a read of a missing key must be a 404, not a 403 (agent-permissions.ts).
    const listing = statementFor(statements, 's3:ListBucket');
    expect(listing.Condition).toBeUndefined();
    expect(listing.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^StateSkills/), 'Arn'] });
    const media = statements.filter((s) => JSON.stringify(s.Resource).includes('"/media/*"'));
    expect(media.map((s) => [s.Action].flat().sort())).toEqual([['s3:GetObject', 's3:PutObject']]);
    expect(JSON.stringify(statementFor(statements, 'transcribe:StartTranscriptionJob').Resource)).toContain(':transcription-job/hermes-*');

    const schedules = statementFor(statements, 'scheduler:CreateSchedule');
    expect([schedules.Action].flat().sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule']);
    expect(JSON.stringify(schedules.Resource)).toMatch(/":schedule\/",\{"Ref":"SchedulerGroup\w+"\},"\/\*"/);
    expect(statementFor(statements, 'scheduler:ListSchedules').Resource).toBe('*');

    const passRole = statementFor(statements, 'iam:PassRole');
    expect(passRole.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SchedulerInvokeRole/), 'Arn'] });
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });

    expect([statementFor(statements, 'dynamodb:Query').Action].flat().sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);

    const memory = statementFor(statements, 'bedrock-agentcore:RetrieveMemoryRecords');
    expect([memory.Action].flat().sort()).toEqual(
      ['BatchCreateMemoryRecords', 'CreateEvent', 'DeleteMemoryRecord', 'ListMemoryRecords', 'RetrieveMemoryRecords'].map((a) => `bedrock-agentcore:${a}`),
    );
    expect(memory.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Memory/), 'MemoryArn'] });

    expect(statementFor(statements, 'secretsmanager:GetSecretValue').Resource).toEqual({ Ref: expect.stringMatching(/^BotSecret/) });
    expect(statements.some((s) => [s.Action].flat().some((action) => action.startsWith('bedrock:')))).toBe(false);
  });

  it('alarms on function errors, function throttles, table throttles, dead letters, failed direct fires, dropped fires, webhook 500s and model failures, without a topic when no e-mail is given', () => {
    hermes.template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InvocationDroppedCount',
      Namespace: 'AWS/Scheduler',
      Dimensions: [{ Name: 'ScheduleGroup', Value: { Ref: Match.stringLikeRegexp('^SchedulerGroup') } }],
      Statistic: 'Sum',
      Threshold: 1,
    });
    hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TurnsDeadLetters'), 'QueueName'] } }],
      Threshold: 1,
    });
    // Errors and throttles of the webhook and the worker, each summed into one alarm.
    for (const metric of ['Errors', 'Throttles']) {
      hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 1,
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'FILL(f0, 0) + FILL(f1, 0)' }),
          Match.objectLike({ Id: 'f0', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: metric, Namespace: 'AWS/Lambda' }) }) }),
          Match.objectLike({ Id: 'f1', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: metric, Namespace: 'AWS/Lambda' }) }) }),
        ]),
      });
    }
    hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(reads, 0) + FILL(writes, 0)' })]),
    });
    // 500s the webhook answers itself (a bad secret or setting, a queue that refuses) are no Lambda errors: the URL counts them.
    hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Url5xxCount',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^AgentFunction') } }],
      Statistic: 'Sum',
      Period: 900,
      Threshold: 3,
    });
    // Model calls failed for good are answered with a notice, so only their log line counts them.
    hermes.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.message = "model call failed" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Hermes', MetricName: 'ModelFailures', MetricValue: '1' })],
    });
    hermes.template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelFailures', Namespace: 'Hermes', Threshold: 3, Period: 900 });
    // The only topic is the spend alerts' one, which AWS Budgets needs as a subscriber even without an e-mail.
    hermes.template.resourceCountIs('AWS::SNS::Topic', 1);
    hermes.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('caps the worker at 10 concurrent turns by default, the queue poller with it, and keeps 3 of its own for the webhook', () => {
    const { webhook, worker } = agentFunctions(hermes);
    expect(worker.ReservedConcurrentExecutions).toBe(10);
    expect(webhook.ReservedConcurrentExecutions).toBe(WEBHOOK_CONCURRENCY);
    const workerId = logicalId(hermes, hermes.stack.agent.worker.node.defaultChild);
    hermes.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionName: { Ref: workerId }, ScalingConfig: { MaximumConcurrency: 10 } });
    hermes.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    // The URL Telegram posts to is the webhook's, so requests to it never take a turn's concurrency.
    const webhookId = logicalId(hermes, hermes.stack.agent.fn.node.defaultChild);
    hermes.template.hasResourceProperties('AWS::Lambda::Url', { TargetFunctionArn: { 'Fn::GetAtt': [webhookId, 'Arn'] } });
  });

  it('alerts through AWS Budgets when the cost of the month passes 80% of 10 USD, or is forecast past it', () => {
    const topicId = logicalId(hermes, hermes.stack.node.findChild('Spend').node.findChild('Topic').node.defaultChild);
    hermes.template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 10, Unit: 'USD' } },
      NotificationsWithSubscribers: [
        { Notification: Match.objectLike({ NotificationType: 'ACTUAL', Threshold: 80 }), Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }] },
        { Notification: Match.objectLike({ NotificationType: 'FORECASTED', Threshold: 100 }), Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: topicId } }] },
      ],
    });
    hermes.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'budgets.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) }),
        ]),
      },
    });
  });
});

describe('Hermes stack (Bedrock, groups allowed, models to switch among)', () => {
  let hermes: SynthesizedHermes;
  beforeAll(() => {
    hermes = synthesizeHermes({
      provider: 'bedrock',
      model: 'amazon.nova-pro-v1:0',
      allowedUsers: '42',
      TELEGRAM_ALLOWED_CHATS: '-1001234567890,-42',
      TELEGRAM_REQUIRE_MENTION: 'false',
      HERMES_GROUP_SESSIONS_PER_USER: 'false',
      TELEGRAM_ACK: 'reaction',
      HERMES_MODELS: 'amazon.nova-pro-v1:0,us.anthropic.claude-sonnet-4-20250514-v1:0',
      HERMES_SESSION_TTL_DAYS: '30',
      TELEGRAM_BOT_USERNAME: 'ada_hermes_bot',
    });
  });

  it('gives the function the bot username npm run deploy asked Telegram for, so no cold start calls getMe', () => {
    expect(agentFunction(hermes).Environment.Variables).toMatchObject({ TELEGRAM_BOT_USERNAME: 'ada_hermes_bot' });
  });

  it('keeps received files, and the conversation events AgentCore holds, as long as the shorter session rows', () => {
    const skillsId = logicalId(hermes, hermes.stack.node.findChild('State').node.findChild('Skills').node.defaultChild);
    const rules = hermes.template.toJSON().Resources[skillsId].Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    expect(rules.find((rule) => rule.Prefix === 'media/')).toMatchObject({ ExpirationInDays: 30 });
    hermes.template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ HERMES_SESSION_TTL_DAYS: '30' }) } });
    hermes.template.hasResourceProperties('AWS::BedrockAgentCore::Memory', { EventExpiryDuration: 30 });
  });

  it.each([
    ['3', 7],
    ['400', 365],
  ])('keeps AgentCore events within the 7 to 365 days it allows, with HERMES_SESSION_TTL_DAYS=%s', (days, expected) => {
    const { template } = synthesizeHermes({ allowedUsers: '42', HERMES_SESSION_TTL_DAYS: days });
    template.hasResourceProperties('AWS::BedrockAgentCore::Memory', { EventExpiryDuration: expected });
  });

  it('passes the group rules, the acknowledgement and the model list to the function', () => {
    expect(agentFunction(hermes).Environment.Variables).toMatchObject({
      TELEGRAM_ALLOWED_CHATS: '-1001234567890,-42',
      TELEGRAM_REQUIRE_MENTION: 'false',
      HERMES_GROUP_SESSIONS_PER_USER: 'false',
      TELEGRAM_ACK: 'reaction',
      HERMES_MODELS: 'amazon.nova-pro-v1:0,us.anthropic.claude-sonnet-4-20250514-v1:0',
    });
  });

  it('allows invoking every model /model can switch to, and no other', () => {
    const resources = JSON.stringify(statementFor(agentStatements(hermes), 'bedrock:InvokeModel').Resource);
    expect(resources).toContain(':foundation-model/amazon.nova-pro-v1:0');
    expect(resources).toContain(':inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0');
    expect(resources).not.toContain('/*');
  });
});

describe('Hermes stack (Bedrock with a pinned model and an alarm e-mail)', () => {
  let hermes: SynthesizedHermes;
  beforeAll(() => {
    hermes = synthesizeHermes({
      provider: 'bedrock',
      model: 'us.anthropic.claude-sonnet-4-6-v1',
      timezone: 'Europe/Berlin',
      reasoning: 'high',
      allowedUsers: '42',
      alarmEmail: 'ops@example.com',
    });
  });

  it('passes the model choice and time zone to the function', () => {
    expect(agentFunction(hermes).Environment.Variables).toMatchObject({
      HERMES_PROVIDER: 'bedrock',
      HERMES_MODEL: 'us.anthropic.claude-sonnet-4-6-v1',
      HERMES_TIMEZONE: 'Europe/Berlin',
      HERMES_REASONING: 'high',
    });
  });

  it('allows invoking only the pinned inference profile and its foundation model', () => {
    const invoke = statementFor(agentStatements(hermes), 'bedrock:InvokeModel');
    expect([invoke.Action].flat()).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    const resources = JSON.stringify(invoke.Resource);
    expect(resources).toContain(':inference-profile/us.anthropic.claude-sonnet-4-6-v1');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-6-v1');
    expect(resources).not.toContain('/*');
  });

  it('e-mails every alarm through an SNS topic that requires TLS', () => {
    hermes.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const topicId = logicalId(hermes, hermes.stack.node.findChild('Alarms').node.findChild('Topic').node.defaultChild);
    const alarms = Object.values(hermes.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    hermes.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('Hermes stack: the turn queue', () => {
  let hermes: SynthesizedHermes;
  beforeAll(() => {
    hermes = synthesizeHermes({ allowedUsers: '1', workerTimeoutSeconds: '600' });
  });

  it('is an encrypted, TLS-only SQS FIFO queue with content-based deduplication (a Scheduler FIFO target needs it) and a FIFO dead-letter queue after 3 receives', () => {
    const queues = hermes.template.findResources('AWS::SQS::Queue');
    const main = Object.entries(queues).find(([id]) => id.startsWith('TurnsQueue'))![1].Properties;
    const dlqId = Object.keys(queues).find((id) => id.startsWith('TurnsDeadLetters'))!;
    expect(main).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: true,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 630,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(queues[dlqId]!.Properties).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 14 * 86_400 });
    for (const id of Object.keys(queues)) {
      hermes.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    }
  });

  it('feeds the function one record at a time with partial batch failures, and times the function to the worker limit', () => {
    hermes.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TurnsQueue'), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    hermes.template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 600, Environment: { Variables: Match.objectLike({ HERMES_WORKER_TIMEOUT_SECONDS: '600' }) } });
  });

  it('lets the function send to the queue and its failed-invocations record, consume the queue, and nothing else of SQS', () => {
    const statements = agentStatements(hermes);
    const sendTo = statements.filter((statement) => [statement.Action].flat().includes('sqs:SendMessage')).flatMap((statement) => [statement.Resource].flat());
    const queues = [...new Set(sendTo.map((resource) => (resource as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]))].sort();
    expect(queues).toEqual([expect.stringMatching(/^AgentFailedInvocations/), expect.stringMatching(/^TurnsQueue/)]);
    const receive = statementFor(statements, 'sqs:ReceiveMessage');
    expect([receive.Action].flat()).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(receive.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TurnsQueue/), 'Arn'] });
  });
});
