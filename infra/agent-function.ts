import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, FunctionUrl, FunctionUrlAuthType, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_WORKING_DIR, bundleHandler, LAMBDA_HANDLER, LAMBDA_NODE_OPTIONS } from './handler-bundle.ts';

export interface AgentFunctionProps {
  /** Plain configuration only: credentials reach the function through the secret named in HERMES_SECRETS_ARN. */
  environment: Record<string, string>;
  /**
   * Caps how many turns run at once, so a flood of updates or fires cannot run up an unbounded model and Lambda
   * bill; excess invocations are throttled and retried by Telegram and EventBridge Scheduler. Undefined: no cap.
   */
  reservedConcurrency?: number;
}

/** The single Lambda function behind the bot, its execution role, log group and public Function URL. */
export class AgentFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly role: Role;
  readonly url: FunctionUrl;
  readonly logGroup: LogGroup;

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

    this.fn = new LambdaFunction(this, 'Function', {
      code: handlerCode(),
      handler: LAMBDA_HANDLER,
      // cdk-nag L1 requires the newest Node.js runtime this aws-cdk-lib knows.
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 1024,
      // One agent turn is several model calls and tool runs; Telegram's webhook and the cron fire both wait for it.
      timeout: Duration.seconds(90),
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: LAMBDA_NODE_OPTIONS, ...props.environment },
      // EventBridge Scheduler invokes Lambda asynchronously, so its retry policy covers only handing the event to
      // Lambda (Lambda developer guide, "Invoke a Lambda function on a schedule", read 2026-12-01). A fire whose
      // invocation fails (a cold start that cannot load its secrets, a crash) is retried by Lambda's async retries
      // alone; the handler dedups fires by job and slot, so a retry never runs a fire twice. A turn that fails
      // inside the fire tells its chat instead of failing the invocation. The webhook is synchronous and unaffected.
      retryAttempts: 2,
      ...(props.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
    });

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
