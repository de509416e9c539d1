import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Grant, type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type ILayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOCK_FILE, PROJECT_ROOT } from './project.ts';

/** Settings every scenario passes through to its functions; what makes a sandbox safe to teach with. */
export interface WorkbookFunctionOptions {
  /**
   * Reserved concurrency of each function: a cap on how many instances run at once, so a runaway
   * loop (a recursive trigger, a flood of requests) cannot run up a bill. It also reserves that
   * much of the account's concurrency quota, which must keep 100 unreserved.
   * @default 2
   */
  readonly reservedConcurrency?: number;
  /**
   * How long each function's logs are kept.
   * @default RetentionDays.ONE_WEEK
   */
  readonly logRetention?: RetentionDays;
}

export interface WorkbookFunctionProps extends WorkbookFunctionOptions {
  /** Path of the handler's TypeScript file; its export `handler` is the entry point. */
  readonly entry: string;
  /** A description shown in the Lambda console. */
  readonly description: string;
  /**
   * Environment variables of the function.
   * @default - none
   */
  readonly environment?: Record<string, string>;
  /**
   * Memory in MB (CPU scales with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * How long an invocation may run.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Layers, e.g. the sharp layer.
   * @default - none
   */
  readonly layers?: ILayerVersion[];
  /**
   * Modules left out of the bundle because the runtime or a layer provides them. The AWS SDK v3
   * (`@aws-sdk/*`) is always left out: Lambda's Node.js runtimes ship it.
   * @default - only the AWS SDK
   */
  readonly externalModules?: string[];
}

const MAX_RESERVED_CONCURRENCY = 100;

/**
 * A scenario's Lambda function as the workbook deploys it: bundled from TypeScript by the local
 * esbuild (no Docker), on the newest Node.js runtime, with its own log group and retention, a
 * reserved-concurrency cap, and an execution role that starts with nothing but writing its logs —
 * scenarios grant the rest, resource by resource.
 */
export class WorkbookFunction extends Construct {
  /** Lambda's newest Node.js runtime in this aws-cdk-lib. */
  static readonly RUNTIME = Runtime.NODEJS_24_X;

  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** The layers the function is deployed with (the only ones a learner may keep on it). */
  readonly layers: readonly ILayerVersion[];

  constructor(scope: Construct, id: string, props: WorkbookFunctionProps) {
    super(scope, id);
    const reservedConcurrency = props.reservedConcurrency ?? 2;
    if (
      !Number.isInteger(reservedConcurrency) ||
      reservedConcurrency < 1 ||
      reservedConcurrency > MAX_RESERVED_CONCURRENCY
    ) {
      throw new Error(
        `${this.node.path}: reservedConcurrency must be an integer from 1 to ${MAX_RESERVED_CONCURRENCY}, got ${reservedConcurrency}`,
      );
    }
    const memorySize = props.memorySize ?? 256;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new Error(`${this.node.path}: memorySize must be an integer from 128 to 10240 (MB), got ${memorySize}`);
    }

    this.layers = props.layers ?? [];
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // No AWSLambdaBasicExecutionRole (it allows logs on every log group): only this function's group.
    this.role = new Role(this, 'ExecutionRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grants.write(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: WorkbookFunction.RUNTIME,
      // x86_64 because the sharp layer carries sharp's linux-x64 binary.
      architecture: Architecture.X86_64,
      role: this.role,
      logGroup: this.logGroup,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: reservedConcurrency,
      layers: props.layers,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling: {
        forceDockerBundling: false, // the local esbuild from node_modules; no Docker needed
        // ES modules as index.mjs: ESM whatever package.json says around it (the project's says
        // "module"), and Lambda resolves ESM imports from layers on Node.js 18 and later.
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // For bundled CommonJS dependencies that call require().
        banner:
          "import { createRequire as __workbookCreateRequire } from 'node:module'; const require = __workbookCreateRequire(import.meta.url);",
        target: 'node24',
        minify: false, // learners read the deployed code in the console
        sourceMap: true,
        sourcesContent: false,
        logLevel: LogLevel.ERROR,
        externalModules: ['@aws-sdk/*', ...(props.externalModules ?? [])],
      },
    });
  }

  /**
   * Lets `grantee` (a learner) run, inspect, redeploy and read the logs of this function, and read
   * what the workbench's configuration view shows of it: its resource-based policy (GetPolicy), its
   * execution role's policies — and change its memory, timeout and
   * environment variables (UpdateFunctionConfiguration, see the instructors' page for why).
   */
  grantLearnerAccess(grantee: IGrantable): void {
    this.function.grantInvoke(grantee);
    Grant.addToPrincipal({
      grantee,
      actions: [
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:GetPolicy',
        'lambda:UpdateFunctionCode',
      ],
      resourceArns: [this.function.functionArn],
    });
    // IAM has no condition key for memory, timeout or variables; it has them for what else the call
    // could change. Layers: only the function's own (ForAllValues holds when the request names none).
    // VPC: none (the keys are absent unless the request attaches the function to a VPC). A new Role
    // would need iam:PassRole, which the learner role has not. (Lambda's Service Authorization
    // Reference, UpdateFunctionConfiguration: lambda:Layer, lambda:VpcIds, lambda:SubnetIds,
    // lambda:SecurityGroupIds.)
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:UpdateFunctionConfiguration'],
        resources: [this.function.functionArn],
        conditions: {
          ...(this.layers.length > 0
            ? { 'ForAllValues:StringEquals': { 'lambda:Layer': this.layers.map((layer) => layer.layerVersionArn) } }
            : {}),
          Null: {
            ...(this.layers.length > 0 ? {} : { 'lambda:Layer': 'true' }),
            'lambda:VpcIds': 'true',
            'lambda:SubnetIds': 'true',
            'lambda:SecurityGroupIds': 'true',
          },
        },
      }),
    );
    // The execution role's policies, as the configuration view lists them (inline only: see above).
    Grant.addToPrincipal({
      grantee,
      actions: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
      resourceArns: [this.role.roleArn],
    });
    this.logGroup.grants.actions(grantee, ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents']);
  }
}
