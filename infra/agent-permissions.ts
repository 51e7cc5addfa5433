import { Stack } from 'aws-cdk-lib';
import type { CfnMemory } from 'aws-cdk-lib/aws-bedrockagentcore';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { bedrockModelArns } from './bedrock-model-arns.ts';
import type { JobScheduler } from './job-scheduler.ts';
import type { HermesSettings } from './settings.ts';
import { acknowledgeWildcardResource } from './wildcard-acknowledgement.ts';

export interface AgentPermissionTargets {
  table: ITableV2;
  skillsBucket: IBucket;
  skillsPrefix: string;
  /** Files users send (photos, documents, voice notes), kept in the skills bucket under their own prefix. */
  mediaPrefix: string;
  scheduler: JobScheduler;
  memory: CfnMemory;
  secret: ISecret;
  settings: HermesSettings;
}

/** Everything the agent function may do, each grant limited to the one resource (or prefix) it works on. */
export function grantAgentPermissions(role: Role, targets: AgentPermissionTargets): void {
  const allow = (actions: string[], resources: string[]) => role.addToPolicy(new PolicyStatement({ actions, resources }));

  // The item calls the adapters make, and no others; the table has no indexes or streams.
  allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [targets.table.tableArn]);

  grantSkillsPrefix(role, targets.skillsBucket, targets.skillsPrefix);
  grantMediaPrefix(role, targets.skillsBucket, targets.mediaPrefix);
  // Without s3:ListBucket, S3 answers a read of a missing key with 403 AccessDenied instead of 404 NoSuchKey (GetObject
  // and HeadObject, "Permissions", S3 API Reference, read 2026-12-02), and the stores take 404 for "absent": a skill
  // file that does not exist, a received file the lifecycle rule removed. A ListBucket limited by an s3:prefix
  // condition does not count, as a GetObject request carries no prefix. The bucket is the stack's own and holds
  // only these two prefixes, so listing it shows nothing more.
  allow(['s3:ListBucket'], [targets.skillsBucket.bucketArn]);
  grantTranscribe(role);
  grantScheduler(role, targets.scheduler);

  allow(
    ['bedrock-agentcore:CreateEvent', 'bedrock-agentcore:RetrieveMemoryRecords', 'bedrock-agentcore:ListMemoryRecords', 'bedrock-agentcore:BatchCreateMemoryRecords', 'bedrock-agentcore:DeleteMemoryRecord'],
    [targets.memory.attrMemoryArn],
  );

  targets.secret.grantRead(role);

  if (targets.settings.provider === 'bedrock') grantBedrock(role, targets.settings.model, targets.settings.functionEnv?.HERMES_MODELS?.split(',').map((id) => id.trim()) ?? []);
}

function grantSkillsPrefix(role: Role, bucket: IBucket, prefix: string): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [objects] }));
  acknowledgeWildcardResource(role, objects, `Skill files have names chosen at runtime; access is confined to the ${prefix} prefix of the skills bucket.`);
}

function grantMediaPrefix(role: Role, bucket: IBucket, prefix: string): void {
  const objects = bucket.arnForObjects(`${prefix}*`);
  role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [objects] }));
  acknowledgeWildcardResource(role, objects, `Received files are named by chat and Telegram file id at runtime; access is confined to the ${prefix} prefix.`);
}

/** Voice notes: batch jobs named hermes-<chat>-<file>; Transcribe reads the media with this role's s3:GetObject. */
function grantTranscribe(role: Role): void {
  const jobs = Stack.of(role).formatArn({ service: 'transcribe', resource: 'transcription-job', resourceName: 'hermes-*' });
  role.addToPolicy(new PolicyStatement({ actions: ['transcribe:StartTranscriptionJob', 'transcribe:GetTranscriptionJob'], resources: [jobs] }));
  acknowledgeWildcardResource(role, jobs, 'Transcription jobs are named after each voice note at runtime; the pattern is confined to hermes- jobs.');
}

function grantScheduler(role: Role, scheduler: JobScheduler): void {
  const schedules = scheduler.scheduleArnPattern;
  role.addToPolicy(
    new PolicyStatement({
      actions: ['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
      resources: [schedules],
    }),
  );
  acknowledgeWildcardResource(role, schedules, 'Cron jobs are schedules named at runtime; the pattern is confined to the hermes schedule group.');

  // ListSchedules supports no resource-level permissions; the function always filters by its group.
  role.addToPolicy(new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }));
  acknowledgeWildcardResource(role, '*', 'scheduler:ListSchedules cannot be scoped to a resource (IAM supports only "*" for it); it only lists, it reveals no payloads.');

  role.addToPolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [scheduler.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }),
  );
}

/** Converse and ConverseStream are authorised by the InvokeModel actions; there is no separate Converse action. */
function grantBedrock(role: Role, model: string | undefined, switchable: string[]): void {
  // The default model, and every model /model can switch a chat to.
  const resources = [...new Set([model, ...switchable].flatMap((id) => bedrockModelArns(Stack.of(role), id)))];
  role.addToPolicy(new PolicyStatement({ actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resources }));
  for (const arn of resources.filter((resource) => resource.includes('*'))) {
    acknowledgeWildcardResource(role, arn, 'A cross-region inference profile routes to the same foundation model in any of its regions.');
  }
}
