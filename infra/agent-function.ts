import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, FunctionUrl, FunctionUrlAuthType, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { WEBHOOK_CONCURRENCY } from './deployment-contract.ts';
import { BUNDLE_WORKING_DIR, bundleHandler, LAMBDA_HANDLER, LAMBDA_NODE_OPTIONS } from './handler-bundle.ts';

export interface AgentFunctionProps {
  /** Plain configuration only: credentials reach the function through the secret named in HERMES_SECRETS_ARN. */
  environment: Record<string, string>;
  /**
   * Caps how many turns the worker runs at once, so a flood of updates or fires cannot run up an unbounded model
   * and Lambda bill; the queue holds the rest. Undefined: no cap, and no reservation for the webhook either.
   */
  reservedConcurrency?: number;
  /** How long one invocation may run: a webhook ack takes milliseconds, a worker turn up to this. */
  timeout: Duration;
}


/**
 * The Lambda functions behind the bot, one bundle in two: the webhook behind the public Function URL, and the
 * worker that runs the queued turns. Apart, each has concurrency of its own, so requests to the URL, however many,
 * never throttle a turn into the dead-letter queue (a throttled poll counts as a receive). They share the role, the
 * log group and the configuration. The webhook keeps the construct id of the single function before it, so its URL,
 * which Telegram's webhook points at, stays the same; schedules made before the queue still invoke it directly, and
 * it hands their fires to the queue.
 */
export class AgentFunction extends Construct {
  /** The webhook, behind the Function URL. */
  readonly fn: LambdaFunction;
  /** The turn queue's consumer. */
  readonly worker: LambdaFunction;
  readonly role: Role;
  readonly url: FunctionUrl;
  readonly logGroup: LogGroup;
  /**
   * Where a direct invocation that failed Lambda's retries is kept, with its error: the fire of a schedule made
   * before the queue existed, which the queue refused. A standard queue, as Lambda sends no record to a FIFO one.
   */
  readonly failedInvocations: Queue;

  constructor(scope: Construct, id: string, props: AgentFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // A role of our own instead of the AWSLambdaBasicExecutionRole managed policy, which may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Hermes agent function execution role.',
    });
    this.logGroup.grantWrite(this.role);

    const code = handlerCode();
    const common = {
      code,
      handler: LAMBDA_HANDLER,
      // cdk-nag L1 requires the newest Node.js runtime this aws-cdk-lib knows.
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      // The worker's turn is several model calls and tool runs. The webhook only enqueues (updates, and the fires of
      // schedules made before the queue existed, which still invoke it directly).
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: LAMBDA_NODE_OPTIONS, ...props.environment },
      // EventBridge Scheduler invokes Lambda asynchronously, so its retry policy covers only handing the event to
      // Lambda (Lambda developer guide, "Invoke a Lambda function on a schedule", read 2026-12-01). The direct fire of
      // a schedule made before the queue existed is only handed to the queue; an invocation that fails (a cold start
      // that cannot load its secrets, the queue refusing the fire) is retried by Lambda's async retries alone, and after
      // the second it goes to `failedInvocations`. Once queued, it is deduplicated by job and slot and retried like any
      // turn. Telegram's requests are synchronous and unaffected.
      retryAttempts: 2,
    };
    const reserved = props.reservedConcurrency !== undefined;
    // Lambda sends records of failed asynchronous invocations to a standard queue only ("Capturing records of Lambda
    // asynchronous invocations", Lambda developer guide, read 2026-12-02); the record carries the fire and the error.
    this.failedInvocations = new Queue(this, 'FailedInvocations', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedInvocations).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "It is a dead-letter queue: the webhook's on-failure destination for asynchronous invocations, which cdk-nag does not count as one.",
    });
    this.fn = new LambdaFunction(this, 'Function', {
      ...common,
      onFailure: new SqsDestination(this.failedInvocations),
      ...(reserved ? { reservedConcurrentExecutions: WEBHOOK_CONCURRENCY } : {}),
    });
    this.worker = new LambdaFunction(this, 'Worker', { ...common, ...(reserved ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}) });

    // Public on purpose: Telegram cannot sign requests with SigV4. The handler rejects every request whose
    // X-Telegram-Bot-Api-Secret-Token header does not match the generated webhook secret.
    this.url = this.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
  }
}

/**
 * Bundled here with the local esbuild, never in Docker: NodejsFunction cannot split code into chunks, because it
 * always writes one output file. The asset is hashed by its output, so an unchanged bundle deploys no change.
 */
function handlerCode(): Code {
  return Code.fromAsset(BUNDLE_WORKING_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the API but never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('local-esbuild'),
      local: {
        tryBundle(outputDir) {
          bundleHandler(outputDir);
          return true;
        },
      },
    },
  });
}
