import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MODEL_FAILURE_LOG_MESSAGE } from '../agent/model-failure.ts';

export interface OperationsAlarmsProps {
  /** The webhook and the worker: an error or a throttle in either is one alarm. */
  functions: IFunction[];
  /** The function behind the Function URL Telegram posts to. */
  webhook: IFunction;
  /** Where both functions log (JSON lines, agent/logger.ts). */
  logGroup: ILogGroup;
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
    // A model call that failed after its retries is logged once, and the chat told; nothing else counts it: the turn
    // itself succeeds (no Lambda error, no dead letter).
    const modelFailures = new MetricFilter(this, 'ModelFailureLines', {
      logGroup: props.logGroup,
      filterPattern: FilterPattern.stringValue('$.message', '=', MODEL_FAILURE_LOG_MESSAGE),
      metricNamespace: 'Hermes',
      metricName: 'ModelFailures',
      metricValue: '1',
    }).metric({ statistic: 'Sum', period: Duration.minutes(15) });

    this.alarms = [
      // The webhook answers what it cannot take (an unreadable secret, a bad setting, a queue that refuses) with a 500
      // for Telegram to redeliver; a handled 500 is no Lambda error, so only the URL's own count sees it. Telegram
      // retries an update several times within minutes, so one message that keeps failing crosses three, where one
      // passing refusal does not (Lambda, "Monitoring Lambda function URLs", read 2026-12-03).
      this.alarmOn(
        'WebhookServerErrors',
        props.webhook.metric('Url5xxCount', { statistic: 'Sum', period: Duration.minutes(15) }),
        { threshold: 3, description: 'The webhook answered Telegram with an error again and again: messages are not being taken (see the log group for "startup failed", "the bot is misconfigured" or "could not queue the update").' },
      ),
      this.alarmOn('ModelFailures', modelFailures, {
        threshold: 3,
        description: 'Model calls keep failing after their retries (a refused key, no balance, no access, or the provider down); users get a notice instead of an answer. The log lines "model call failed" name the status.',
      }),
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
    return this.alarmOn(id, metric, { threshold: 1, description });
  }

  private alarmOn(id: string, metric: IMetric, { threshold, description }: { threshold: number; description: string }): Alarm {
    return new Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
