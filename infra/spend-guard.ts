import { Stack } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface SpendGuardProps {
  /** The account's monthly cost, in USD, at which the alerts fire. */
  monthlyBudgetUsd: number;
  alarmEmail?: string;
}

/**
 * An AWS Budgets cost budget with two alerts: actual spend past 80% and forecast spend past 100% of the monthly
 * limit. Budgets measure the whole account (a budget per stack would need cost allocation tags activated by hand);
 * for an account that runs only this bot that is the bot's cost. Alerts go to an SNS topic, which the alarm e-mail
 * subscribes to when given; without it, subscribe to the topic later. The first two budgets of an account are free.
 */
export class SpendGuard extends Construct {
  readonly topic: Topic;
  readonly budget: CfnBudget;

  constructor(scope: Construct, id: string, props: SpendGuardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new Topic(this, 'Topic', { displayName: 'Hermes spend alerts', enforceSSL: true });
    // Budgets publishes as its service principal; only budgets of this account may use the topic.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('budgets.amazonaws.com')],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'budgets', region: '', resource: 'budget', resourceName: '*' }) },
        },
      }),
    );
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const subscribers = [{ subscriptionType: 'SNS', address: this.topic.topicArn }];
    const alert = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });
    this.budget = new CfnBudget(this, 'Budget', {
      budget: {
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyBudgetUsd, unit: 'USD' },
      },
      notificationsWithSubscribers: [alert('ACTUAL', 80), alert('FORECASTED', 100)],
    });
    this.budget.node.addDependency(this.topic);
  }
}
