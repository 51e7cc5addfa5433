import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface HermesStateProps {
  /** Where received files are kept in the skills bucket. */
  mediaPrefix: string;
  /** Days a received file is kept; the stored turns that name it expire after as many days. */
  mediaRetentionDays: number;
}

/**
 * Where the agent keeps state between invocations: sessions, dedup claims and album rosters in one table; skills and
 * received files in S3 (jobs live in EventBridge Scheduler).
 */
export class HermesState extends Construct {
  readonly table: TableV2;
  readonly skillsBucket: Bucket;

  constructor(scope: Construct, id: string, props: HermesStateProps) {
    super(scope, id);
    // Lets S3 deliver access logs through a bucket policy, so the log bucket can keep ACLs disabled.
    // Set here rather than in cdk.json so that tests, which do not read cdk.json, build the same buckets.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // A stray `delete-table` (console, CLI, another stack) must not take every conversation with it.
      deletionProtection: true,
      // Conversations outlive a `cdk destroy`; deleting them is a deliberate manual step.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Not logged itself: logging into itself would loop (cdk-nag S1 accepts a log destination as it is).
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.skillsBucket = new Bucket(this, 'Skills', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Skills are rewritten by the agent itself; versions let a bad edit be rolled back.
      versioned: true,
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(90) },
        // Received files are not edited, so their versions are not worth keeping; they go with the turns naming them.
        { prefix: props.mediaPrefix, expiration: Duration.days(props.mediaRetentionDays), noncurrentVersionExpiration: Duration.days(1) },
        // S3 allows no delete-marker cleanup in a rule with an expiration, so it has one of its own.
        { prefix: props.mediaPrefix, expiredObjectDeleteMarker: true },
      ],
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'skills/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
