import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** The webhook and the worker: an error or a throttle in either is one alarm. */
  functions: IFunction[];
  table: ITableV2;
  /** The turn queue's dead-letter queue: anything in it is an update or fire that failed every attempt. */
  deadLetters: IQueue;
  /** Direct invocations of the webhook that failed Lambda's retries: fires of schedules made before the queue. */
  failedInvocations: IQueue;
  /** Fires EventBridge Scheduler gave up handing to the turn queue, which no dead-letter queue keeps. */
  droppedFires: IMetric;
  /** When given, alarms e-mail this address through an SNS topic (the address must confirm the subscription). */
  alarmEmail?: string;
}

/** Alarms for the failures a user would otherwise only notice as a silent bot. */
export class OperationsAlarms extends Construct {
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const tableThrottles = new MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: {
        reads: props.table.metric('ReadThrottleEvents', { statistic: 'Sum', period }),
        writes: props.table.metric('WriteThrottleEvents', { statistic: 'Sum', period }),
      },
      period,
      label: 'Throttled reads and writes',
    });

    const summed = (label: string, metricOf: (fn: IFunction) => IMetric) =>
      new MathExpression({
        // A function not invoked in a period has no data point there, which would leave the sum empty: FILL counts it 0.
        expression: props.functions.map((_, index) => `FILL(f${index}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(props.functions.map((fn, index) => [`f${index}`, metricOf(fn)])),
        period,
        label,
      });
    this.alarms = [
      this.alarmOnAny('FunctionErrors', summed('Invocation errors', (fn) => fn.metricErrors({ period })), 'A Hermes function failed an invocation (see the log group).'),
      this.alarmOnAny(
        'FunctionThrottles',
        summed('Throttled invocations', (fn) => fn.metricThrottles({ period })),
        'Lambda throttled a Hermes function: the webhook (Telegram will retry; many requests to the URL?) or the worker (turns wait in the queue).',
      ),
      this.alarmOnAny('TableThrottles', tableThrottles, 'DynamoDB throttled requests to the Hermes table.'),
      this.alarmOnAny(
        'DeadLetters',
        props.deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        'An update or scheduled fire failed every attempt and is in the dead-letter queue; the chat was told.',
      ),
      this.alarmOnAny(
        'FailedDirectFires',
        props.failedInvocations.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        'A scheduled job made before the turn queue existed fired, but the turn queue refused it through every retry: the job did not run then. The failed-invocations queue keeps the fire and the error for 14 days.',
      ),
      this.alarmOnAny(
        'DroppedFires',
        props.droppedFires,
        'EventBridge Scheduler could not hand a scheduled job to the turn queue for five minutes and dropped the fire; the job did not run then (check the Scheduler role and the queue).',
      ),
    ];

    if (props.alarmEmail) {
      const topic = new Topic(this, 'Topic', { displayName: 'Hermes alarms', enforceSSL: true });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(topic));
    }
  }

  private alarmOnAny(id: string, metric: IMetric, description: string): Alarm {
    return new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
