import { AwsFault, AwsRestJsonServer, type AwsReply, type RecordedRequest } from './aws-rest-json-server.ts';
import { scheduleExpressionProblem } from './scheduler-expression-rules.ts';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export type SchedulerOperation = 'CreateSchedule' | 'GetSchedule' | 'UpdateSchedule' | 'DeleteSchedule' | 'ListSchedules';

/** A schedule as GetSchedule returns it; dates are epoch seconds, as restJson1 sends them. */
export interface StoredSchedule {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
    SqsParameters?: { MessageGroupId?: string };
  };
  ActionAfterCompletion: 'NONE' | 'DELETE';
  StartDate?: number;
  EndDate?: number;
  KmsKeyArn?: string;
  CreationDate: number;
  LastModificationDate: number;
}

type Definition = Omit<StoredSchedule, 'CreationDate' | 'LastModificationDate'>;

export interface FakeSchedulerOptions {
  /** Schedule groups besides `default`. */
  groups?: string[];
  /** Answers at most this many schedules per ListSchedules page (the service may return fewer than MaxResults). */
  pageLimit?: number;
}

/**
 * EventBridge Scheduler's schedule API (restJson1, routes as @aws-sdk/client-scheduler serializes them), with the
 * service's input validation and error shapes, state in memory, and every request recorded.
 */
export class FakeScheduler {
  private readonly http = new AwsRestJsonServer((request, segments) => this.handle(request, segments));
  private readonly groups = new Map<string, Map<string, StoredSchedule>>([['default', new Map()]]);
  private readonly pageLimit: number;

  constructor(options: FakeSchedulerOptions = {}) {
    for (const group of options.groups ?? []) this.groups.set(group, new Map());
    this.pageLimit = options.pageLimit ?? 100;
  }

  get endpoint(): string {
    return this.http.endpoint;
  }

  get requests(): RecordedRequest[] {
    return this.http.requests;
  }

  requestsOf(operation: SchedulerOperation): RecordedRequest[] {
    return this.requests.filter((request) => operationOf(request) === operation);
  }

  schedule(name: string, group = 'default'): StoredSchedule | undefined {
    const stored = this.groups.get(group)?.get(name);
    return stored && structuredClone(stored);
  }

  /**
   * When the service first invokes the schedule's target ("Schedule types", EventBridge Scheduler User Guide): a rate
   * schedule at its StartDate, or at once (its creation) without one; a one-time schedule at its at() time (read in
   * UTC, as the adapter writes it). Cron schedules are not modelled.
   */
  firstInvocation(name: string, group = 'default'): Date | undefined {
    const stored = this.groups.get(group)?.get(name);
    if (!stored) return undefined;
    if (stored.ScheduleExpression.startsWith('rate(')) return new Date((stored.StartDate ?? stored.CreationDate) * 1000);
    const at = /^at\((.+)\)$/.exec(stored.ScheduleExpression);
    return at ? new Date(`${at[1]}Z`) : undefined;
  }

  names(group = 'default'): string[] {
    return [...(this.groups.get(group)?.keys() ?? [])].sort();
  }

  start(): Promise<void> {
    return this.http.start();
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private handle(request: RecordedRequest, segments: string[]): AwsReply {
    switch (operationOf(request)) {
      case 'ListSchedules':
        return this.list(request.query);
      case 'CreateSchedule':
        return this.create(segments[1]!, request.body);
      case 'GetSchedule':
        return this.get(segments[1]!, request.query.groupName);
      case 'UpdateSchedule':
        return this.update(segments[1]!, request.body);
      case 'DeleteSchedule':
        return this.remove(segments[1]!, request.query.groupName);
      default:
        throw new AwsFault(404, 'UnknownOperationException', { Message: `No operation at ${request.method} ${request.path}` });
    }
  }

  private create(name: string, body: unknown): AwsReply {
    const definition = validDefinition(name, body);
    const group = this.group(definition.GroupName);
    if (group.has(name)) throw conflict(`Schedule ${name} already exists.`);
    const now = Date.now() / 1000;
    group.set(name, { ...definition, CreationDate: now, LastModificationDate: now });
    return { status: 200, body: { ScheduleArn: definition.Arn } };
  }

  private get(name: string, groupName = 'default'): AwsReply {
    return { status: 200, body: this.existing(name, groupName) };
  }

  /** UpdateSchedule replaces the whole definition: whatever the request leaves out is reset to its default. */
  private update(name: string, body: unknown): AwsReply {
    const definition = validDefinition(name, body);
    const current = this.existing(name, definition.GroupName);
    this.group(definition.GroupName).set(name, { ...definition, CreationDate: current.CreationDate, LastModificationDate: Date.now() / 1000 });
    return { status: 200, body: { ScheduleArn: definition.Arn } };
  }

  private remove(name: string, groupName = 'default'): AwsReply {
    this.existing(name, groupName);
    this.group(groupName).delete(name);
    return { status: 200, body: {} };
  }

  private list(query: Record<string, string>): AwsReply {
    const { ScheduleGroup: groupName, NamePrefix: prefix, State: state, NextToken: token, MaxResults: maxResults } = query;
    if (prefix !== undefined && !NAME.test(prefix)) throw validation('NamePrefix must be 1-64 characters of [0-9a-zA-Z-_.].');
    if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED') throw validation('State must be ENABLED or DISABLED.');
    const size = maxResults === undefined ? this.pageLimit : Number(maxResults);
    if (!Number.isInteger(size) || size < 1 || size > 100) throw validation('MaxResults must be between 1 and 100.');
    const groups = groupName === undefined ? [...this.groups.values()] : [this.group(groupName)];
    const matches = groups
      .flatMap((group) => [...group.values()])
      .filter((schedule) => (prefix === undefined || schedule.Name.startsWith(prefix)) && (state === undefined || schedule.State === state))
      .sort((a, b) => `${a.GroupName}/${a.Name}`.localeCompare(`${b.GroupName}/${b.Name}`));
    const start = token === undefined ? 0 : Number(token);
    if (!Number.isInteger(start) || start < 0 || start > matches.length) throw validation('NextToken is invalid.');
    const end = start + Math.min(size, this.pageLimit);
    const page = matches.slice(start, end).map((schedule) => ({
      Arn: schedule.Arn,
      Name: schedule.Name,
      GroupName: schedule.GroupName,
      State: schedule.State,
      CreationDate: schedule.CreationDate,
      LastModificationDate: schedule.LastModificationDate,
      Target: { Arn: schedule.Target.Arn },
    }));
    return { status: 200, body: { Schedules: page, ...(end < matches.length ? { NextToken: String(end) } : {}) } };
  }

  private group(name: string): Map<string, StoredSchedule> {
    const group = this.groups.get(name);
    if (!group) throw notFound(`Schedule group ${name} does not exist.`);
    return group;
  }

  private existing(name: string, groupName: string): StoredSchedule {
    assertName(name, 'Name');
    const schedule = this.group(groupName).get(name);
    if (!schedule) throw notFound(`Schedule ${name} does not exist.`);
    return structuredClone(schedule);
  }
}

function operationOf(request: RecordedRequest): SchedulerOperation | undefined {
  const segments = request.path.split('/').filter(Boolean);
  if (segments[0] !== 'schedules' || segments.length > 2) return undefined;
  if (segments.length === 1) return request.method === 'GET' ? 'ListSchedules' : undefined;
  const byMethod: Record<string, SchedulerOperation> = {
    POST: 'CreateSchedule',
    GET: 'GetSchedule',
    PUT: 'UpdateSchedule',
    DELETE: 'DeleteSchedule',
  };
  return byMethod[request.method];
}

/** The checks the service applies to CreateSchedule and UpdateSchedule bodies. */
function validDefinition(name: string, body: unknown): Definition {
  assertName(name, 'Name');
  const input = record(body, 'request body');
  const groupName = optionalString(input.GroupName, 'GroupName') ?? 'default';
  assertName(groupName, 'GroupName');

  const expression = requiredString(input.ScheduleExpression, 'ScheduleExpression');
  if (expression.length > 256) throw validation('ScheduleExpression must be at most 256 characters.');
  const expressionProblem = scheduleExpressionProblem(expression);
  if (expressionProblem) throw validation(`Invalid Schedule Expression ${expression}: ${expressionProblem}.`);

  const timezone = optionalString(input.ScheduleExpressionTimezone, 'ScheduleExpressionTimezone');
  if (timezone !== undefined && (timezone.length > 50 || !isTimeZone(timezone))) throw validation(`Invalid ScheduleExpressionTimezone ${timezone}.`);

  const window = record(input.FlexibleTimeWindow, 'FlexibleTimeWindow');
  const mode = oneOf(window.Mode, 'FlexibleTimeWindow.Mode', { allowed: ['OFF', 'FLEXIBLE'] as const });
  const maximumWindow = optionalInteger(window.MaximumWindowInMinutes, 'FlexibleTimeWindow.MaximumWindowInMinutes', { min: 1, max: 1440 });
  if (mode === 'FLEXIBLE' && maximumWindow === undefined) throw validation('MaximumWindowInMinutes is required when Mode is FLEXIBLE.');

  const target = validTarget(input.Target);
  const description = optionalString(input.Description, 'Description');
  if (description !== undefined && description.length > 512) throw validation('Description must be at most 512 characters.');
  const clientToken = optionalString(input.ClientToken, 'ClientToken');
  if (clientToken !== undefined && (clientToken.length < 1 || clientToken.length > 64)) throw validation('ClientToken must be 1-64 characters.');

  return {
    Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${groupName}/${name}`,
    Name: name,
    GroupName: groupName,
    ScheduleExpression: expression,
    ...(timezone !== undefined ? { ScheduleExpressionTimezone: timezone } : {}),
    ...(description !== undefined ? { Description: description } : {}),
    State: oneOf(input.State, 'State', { allowed: ['ENABLED', 'DISABLED'] as const, fallback: 'ENABLED' }),
    FlexibleTimeWindow: { Mode: mode, ...(maximumWindow !== undefined ? { MaximumWindowInMinutes: maximumWindow } : {}) },
    Target: target,
    ActionAfterCompletion: oneOf(input.ActionAfterCompletion, 'ActionAfterCompletion', { allowed: ['NONE', 'DELETE'] as const, fallback: 'NONE' }),
    ...(typeof input.StartDate === 'number' ? { StartDate: input.StartDate } : {}),
    ...(typeof input.EndDate === 'number' ? { EndDate: input.EndDate } : {}),
    ...(typeof input.KmsKeyArn === 'string' ? { KmsKeyArn: input.KmsKeyArn } : {}),
  };
}

function validTarget(value: unknown): StoredSchedule['Target'] {
  const target = record(value, 'Target');
  const arn = requiredString(target.Arn, 'Target.Arn');
  if (arn.length > 1600) throw validation('Target.Arn must be at most 1600 characters.');
  const roleArn = requiredString(target.RoleArn, 'Target.RoleArn');
  if (!ROLE_ARN.test(roleArn)) throw validation(`Target.RoleArn ${roleArn} is not a valid IAM role ARN.`);
  const input = optionalString(target.Input, 'Target.Input');
  if (input !== undefined && input.length < 1) throw validation('Target.Input must not be empty.');
  // Templated Lambda targets need well-formed JSON input.
  if (input !== undefined && arn.startsWith('arn:aws:lambda:') && !isJson(input)) {
    throw validation('Target.Input must be well-formed JSON for a Lambda target.');
  }
  // SqsParameters belong to SQS targets, and a FIFO queue needs a message group (1-128 characters).
  const sqs = target.SqsParameters === undefined ? undefined : record(target.SqsParameters, 'Target.SqsParameters');
  const isSqs = arn.split(':')[2] === 'sqs';
  if (sqs && !isSqs) throw validation('SqsParameters can only be set for an Amazon SQS target.');
  const groupId = sqs === undefined ? undefined : optionalString(sqs.MessageGroupId, 'SqsParameters.MessageGroupId');
  if (groupId !== undefined && (groupId.length < 1 || groupId.length > 128)) throw validation('SqsParameters.MessageGroupId must be 1-128 characters.');
  if (isSqs && arn.endsWith('.fifo') && groupId === undefined) throw validation('MessageGroupId is required for a FIFO queue target.');
  const retry = target.RetryPolicy === undefined ? undefined : record(target.RetryPolicy, 'Target.RetryPolicy');
  const retryPolicy = retry && {
    MaximumRetryAttempts: optionalInteger(retry.MaximumRetryAttempts, 'RetryPolicy.MaximumRetryAttempts', { min: 0, max: 185 }),
    MaximumEventAgeInSeconds: optionalInteger(retry.MaximumEventAgeInSeconds, 'RetryPolicy.MaximumEventAgeInSeconds', { min: 60, max: 86_400 }),
  };
  return { ...target, Arn: arn, RoleArn: roleArn, ...(retryPolicy ? { RetryPolicy: retryPolicy } : {}) };
}

function assertName(name: string, field: string): void {
  if (!NAME.test(name)) throw validation(`${field} must be 1-64 characters of [0-9a-zA-Z-_.], got "${name}".`);
}

function record(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) throw validation(`${field} is required.`);
  if (typeof value !== 'object' || Array.isArray(value)) throw validation(`${field} must be an object.`);
  return value as Record<string, unknown>;
}

function requiredString(value: unknown, field: string): string {
  if (value === undefined) throw validation(`${field} is required.`);
  const text = optionalString(value, field)!;
  if (text.length < 1) throw validation(`${field} must not be empty.`);
  return text;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw validation(`${field} must be a string.`);
  return value;
}

function optionalInteger(value: unknown, field: string, { min, max }: { min: number; max: number }): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw validation(`${field} must be an integer from ${min} to ${max}.`);
  }
  return value as number;
}

function oneOf<const T extends string>(value: unknown, field: string, { allowed, fallback }: { allowed: readonly T[]; fallback?: T }): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!allowed.includes(value as T)) throw validation(`${field} must be one of ${allowed.join(', ')}.`);
  return value as T;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function validation(message: string): AwsFault {
  return new AwsFault(400, 'ValidationException', { Message: message });
}

function notFound(message: string): AwsFault {
  return new AwsFault(404, 'ResourceNotFoundException', { Message: message });
}

function conflict(message: string): AwsFault {
  return new AwsFault(409, 'ConflictException', { Message: message });
}
