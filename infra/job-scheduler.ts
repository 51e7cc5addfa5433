import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';

const SCHEDULE_GROUP = 'hermes';

/**
 * The group the agent creates its cron schedules in, and the role EventBridge Scheduler assumes to fire them.
 * The schedules themselves are created at runtime by the function, not by this stack.
 */
export class JobScheduler extends Construct {
  readonly group: CfnScheduleGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.group = new CfnScheduleGroup(this, 'Group', { name: SCHEDULE_GROUP });
    this.role = new Role(this, 'InvokeRole', {
      description: 'Assumed by EventBridge Scheduler to invoke the Hermes function when a job fires.',
      // Confused-deputy guard: only this account's schedules in the hermes group may use the role. The Scheduler
      // guide ("Confused deputy prevention in EventBridge Scheduler", read 2026-12-01) recommends aws:SourceArn
      // with aws:SourceAccount and names the schedule group as the source; the group's schedules are allowed too,
      // so the role works whichever of the two ARNs a fire carries, and nothing outside the group matches.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': [
              stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: SCHEDULE_GROUP }),
              stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${SCHEDULE_GROUP}/*` }),
            ],
          },
        },
      }),
    });
  }

  /** The group's name as a token, so the function is created after the group. */
  get groupName(): string {
    return this.group.ref;
  }

  /** ARN pattern of every schedule in the group; schedules get runtime names, hence the wildcard. */
  get scheduleArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.groupName}/*` });
  }

  /**
   * Fires the scheduler dropped after its retry policy ran out (AWS/Scheduler InvocationDroppedCount, by schedule
   * group, as aws-cdk-lib's ScheduleGroup.metricDropped names it).
   */
  metricDroppedFires(period: Duration): Metric {
    return new Metric({ namespace: 'AWS/Scheduler', metricName: 'InvocationDroppedCount', dimensionsMap: { ScheduleGroup: this.groupName }, statistic: 'Sum', period });
  }

  /** Fires go onto the turn queue (SQS FIFO target), behind the messages of the chat they answer in. */
  allowSend(queue: IQueue): void {
    queue.grantSendMessages(this.role);
  }

  /** Exactly the unqualified function ARN: schedules created before the turn queue still invoke the function. */
  allowInvoke(fn: IFunction): void {
    this.role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }));
  }
}
