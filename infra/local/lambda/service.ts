import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CognitoIdentityContext } from '../edge/types.ts';
import {
  ACCOUNT_ID,
  type Caller,
  DEFAULT_REGION,
  type RequestAuthorization,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import type { TraceBus } from '../trace/bus.ts';
import { type AsyncEvent, AsyncInvocationQueue, type AttemptOutcome } from './async-queue.ts';
import { codeSha256, describeDirectory, directorySize, extractZip } from './code.ts';
import { type InvokeOptions, type InvokeResult, type LambdaContext, notFoundMessage } from './context.ts';
import type { Destination } from './destinations.ts';
import { LambdaError } from './errors.ts';
import type { LambdaInvoker } from './invoker.ts';
import { type FunctionRef, functionArn, locateFunction } from './names.ts';
import { checkLambdaParameters } from './parameters.ts';
import { payloadText } from './payload.ts';
import { type ChainStep, MAX_RECURSIVE_INVOCATIONS, nextStep } from './recursion.ts';
import { routeOf } from './routes.ts';
import type { EnvironmentSpec } from './runtime/environment.ts';
import { EndpointForwarder } from './runtime/forwarder.ts';
import type { LogSink } from './runtime/logs.ts';
import { EnvironmentPool, type InvocationResult, ThrottledError } from './runtime/pool.ts';
import { type Isolation, resolveIsolation } from './runtime/sandbox.ts';
import { type FunctionCode, type FunctionConfiguration, type FunctionRecord, FunctionStore } from './store.ts';
import { pickWeighted, type QualifiedFunction, qualify } from './versions.ts';

/**
 * `Code: { S3Bucket: '__local__', S3Key: '/absolute/path' }` deploys a local directory in place
 * (or a local .zip file) instead of uploading a package — the local cloud's extension for the
 * template deployer and "Deploy my edit". Only the account's administrator may use it.
 */
export const LOCAL_CODE_BUCKET = '__local__';

/** Invoke's request limits (Lambda quotas): 6 MB synchronous, 1 MB asynchronous (Invoke API reference;
 * the deprecated InvokeAsync keeps 256 KB: actions/invokeAsync.ts). */
export const MAX_SYNC_PAYLOAD_BYTES = 6_291_456;
export const MAX_ASYNC_PAYLOAD_BYTES = 1_048_576;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** A spare execution environment as tests and the bench see it. */
export interface SpareEnvironment {
  readonly pid?: number;
  readonly taskRoot: string;
  readonly unassigned: boolean;
  readonly ready: boolean;
}

export interface LambdaServiceOptions {
  /** Functions persist under `<dataDir>/lambda/`; undefined keeps them in a temporary directory. */
  readonly dataDir?: string;
  readonly trace: TraceBus;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The local cloud's URL, given to functions as `AWS_ENDPOINT_URL`. */
  readonly endpoint: () => string;
  /**
   * Credentials a function gets for its execution role (the local cloud passes
   * `roleCredentialsProvider(issuer)` from infra/local/iam/credentials.ts, so a handler's calls are
   * evaluated against its role's policies). @default test/test (the administrator)
   */
  readonly credentialsFor?: (roleArn: string, functionName: string) => Credentials;
  /** Delays before the async retries; AWS waits about 1 and 2 minutes. @default [1000, 2000] */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** Idle execution environments stop after this long. @default 300000 */
  readonly idleTimeoutMs?: number;
  /** Execution environments per function at most; more invocations wait. @default 10 */
  readonly maxConcurrency?: number;
  /** Concurrent executions across the account (AWS: 1000). @default LOCAL_CLOUD_ACCOUNT_CONCURRENCY, else 1000 */
  readonly accountConcurrency?: number;
  /** Live execution environments across all functions. @default LOCAL_CLOUD_MAX_ENVIRONMENTS, else 32 */
  readonly maxEnvironments?: number;
  /**
   * Spare execution environments kept at most during a burst of cold starts (one otherwise; each
   * about 48 MiB, counted against maxEnvironments; see EnvironmentPoolOptions.maxSpares); 0 keeps
   * none. @default LOCAL_CLOUD_MAX_SPARES, else 3
   */
  readonly maxSpares?: number;
  /** How long without a cold start before the spares beyond the first are stopped. @default 30000 */
  readonly spareQuietMs?: number;
  /** node_modules providing the AWS SDK to functions. @default the project's node_modules */
  readonly nodeModulesDir?: string;
  /** Reads a deployment package from S3 (`Code.S3Bucket`/`S3Key`). @default GetObject on the local cloud */
  readonly fetchS3Object?: (bucket: string, key: string) => Promise<Uint8Array>;
  /**
   * CloudWatch Logs: every line of every invocation goes to the function's log group
   * (`LoggingConfig.LogGroup`), in a stream per execution environment. @default none (trace only)
   */
  readonly logs?: LogSink;
  /**
   * `bwrap` (the wall: bubblewrap namespaces + the permission model), `node` (Node's permission
   * model alone) or `auto` (the wall where bubblewrap works). @default LOCAL_CLOUD_SANDBOX, else 'auto'
   */
  readonly sandbox?: 'auto' | 'bwrap' | 'node';
  /**
   * Serves a connection from inside the wall on the local cloud's edge directly (its Unix socket's
   * connections); without it they are piped to the endpoint's TCP port. @default piped
   */
  readonly acceptEndpointConnection?: (socket: Socket) => void;
  /**
   * Unzipped code the account may keep (AWS's code storage quota is 75 GB of packages; locally
   * what fills the disk is the unzipped code). @default LOCAL_CLOUD_CODE_STORAGE_BYTES, else 2 GiB
   */
  readonly codeStorageBytes?: number;
  /**
   * Folders whose sub-folders `__local__` code may come from (the project's own deployer deploys
   * cdk.out assets and scenario folders; tests their fixtures). The data directory never
   * qualifies. @default [the project folder]
   */
  readonly localCodeRoots?: readonly string[];
}

const DEFAULT_NODE_MODULES = fileURLToPath(new URL('../../../node_modules/', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEFAULT_CODE_STORAGE_BYTES = Number(process.env.LOCAL_CLOUD_CODE_STORAGE_BYTES ?? 2 * 1024 ** 3);

/** True when `path` is `root` or lies inside it. */
const within = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

function decodeClientContext(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch (error) {
    throw new LambdaError(
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
      { cause: error },
    );
  }
}

/** Revisions computed, per configuration object (configurations are replaced on change, never edited). */
const revisions = new WeakMap<FunctionConfiguration, { codeDir: string; version: string; revision: string }>();

/** A change of any of these gives a version new execution environments. */
function revisionOf(target: QualifiedFunction): string {
  const cached = revisions.get(target.config);
  if (cached !== undefined && cached.codeDir === target.code.dir && cached.version === target.version)
    return cached.revision;
  const { Handler, Runtime, MemorySize, Timeout, Environment, Role, CodeSha256, EphemeralStorage, LoggingConfig } =
    target.config;
  const revision = createHash('sha256')
    .update(
      JSON.stringify([
        Handler,
        Runtime,
        MemorySize,
        Timeout,
        Environment,
        Role,
        CodeSha256,
        EphemeralStorage,
        LoggingConfig,
        target.code.dir,
        target.version,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  // A version's configuration is copied anew on every lookup: only $LATEST's own object is worth keeping.
  if (target.config === target.record.config)
    revisions.set(target.config, { codeDir: target.code.dir, version: target.version, revision });
  return revision;
}

async function defaultFetchS3Object(
  endpoint: string,
  region: string,
  bucket: string,
  key: string,
): Promise<Uint8Array> {
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  } finally {
    client.destroy();
  }
}

/**
 * The Lambda service of the local cloud: the function API (REST-JSON; routes.ts lists the
 * operations, actions/ holds one module per operation), the invoke path, and the runtime that runs
 * functions in sandboxed child processes. Asynchronous events go through async-queue.ts.
 */
export class LambdaService implements Service, LambdaInvoker, LambdaContext {
  readonly signingNames = ['lambda'] as const;
  readonly store: FunctionStore;
  readonly region: string;
  readonly trace: TraceBus;
  readonly accountConcurrency: number;
  readonly #endpoint: () => string;
  readonly #credentialsFor: (roleArn: string, functionName: string) => Credentials;
  readonly #nodeModules: string;
  readonly #fetchS3Object: (bucket: string, key: string) => Promise<Uint8Array>;
  readonly #logs: LogSink | undefined;
  readonly #pool: EnvironmentPool;
  readonly #queue: AsyncInvocationQueue;
  readonly #runtimeTmp: string;
  /** Which isolation execution environments get (the cloud's banner prints it). */
  readonly isolation: Isolation;
  readonly #forwarder: EndpointForwarder | undefined;
  readonly #dataDir: string | undefined;
  readonly #codeStorageBytes: number;
  readonly #localCodeRoots: readonly string[];
  /** Unzipped bytes of each extracted code directory (filled lazily from disk). */
  readonly #codeBytes = new Map<string, number>();
  readonly #strayLines = new Map<string, number>();
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Invocations running per function, against its reserved concurrency. */
  readonly #running = new Map<string, number>();
  readonly #routes = new WeakMap<ServiceRequest, ReturnType<typeof routeOf>>();
  /** The execution environment spec of each `$LATEST` configuration object, as last built (see #spec). */
  readonly #specs = new WeakMap<FunctionConfiguration, EnvironmentSpec>();
  #closed = false;

  constructor({
    dataDir,
    trace,
    region = DEFAULT_REGION,
    endpoint,
    credentialsFor = () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    asyncRetryDelaysMs = [1000, 2000],
    idleTimeoutMs = 300_000,
    maxConcurrency = 10,
    accountConcurrency = Number(process.env.LOCAL_CLOUD_ACCOUNT_CONCURRENCY ?? 1000),
    maxEnvironments = Number(process.env.LOCAL_CLOUD_MAX_ENVIRONMENTS ?? 32),
    maxSpares = Number(process.env.LOCAL_CLOUD_MAX_SPARES ?? 3),
    spareQuietMs,
    nodeModulesDir = DEFAULT_NODE_MODULES,
    fetchS3Object,
    logs,
    sandbox,
    acceptEndpointConnection,
    codeStorageBytes = DEFAULT_CODE_STORAGE_BYTES,
    localCodeRoots = [PROJECT_ROOT],
  }: LambdaServiceOptions) {
    this.isolation = resolveIsolation(sandbox);
    this.#dataDir = dataDir === undefined ? undefined : resolve(dataDir);
    this.#codeStorageBytes = codeStorageBytes;
    this.#localCodeRoots = localCodeRoots.map((root) => realpathSync(root));
    this.#logs = logs;
    this.trace = trace;
    this.region = region;
    this.accountConcurrency = accountConcurrency;
    this.#endpoint = endpoint;
    this.#credentialsFor = credentialsFor;
    this.#nodeModules = nodeModulesDir;
    this.#fetchS3Object =
      fetchS3Object ?? ((bucket, key) => defaultFetchS3Object(this.#endpoint(), this.region, bucket, key));
    this.store = new FunctionStore(dataDir);
    this.#runtimeTmp = mkdtempSync(join(tmpdir(), 'lambda-workbook-tmp-'));
    this.#forwarder =
      this.isolation.mode === 'bwrap'
        ? new EndpointForwarder(join(this.#runtimeTmp, 'endpoint.sock'), this.#endpoint, acceptEndpointConnection)
        : undefined;
    this.#pool = new EnvironmentPool({
      idleTimeoutMs,
      maxConcurrency,
      accountConcurrency,
      maxEnvironments,
      maxSpares,
      spareQuietMs,
      onStrayLine: (functionName, line, logStreamName) => {
        const count = (this.#strayLines.get(functionName) ?? 0) + 1;
        this.#strayLines.set(functionName, count);
        if (count > 200) return;
        this.trace.publish('lambda.log', { functionName, line, outsideInvocation: true });
        // On AWS the environment's output between invocations lands in its log stream too.
        const logGroup =
          this.store.get(functionName.split(':')[0]!)?.config.LoggingConfig?.LogGroup ?? `/aws/lambda/${functionName}`;
        this.#logs?.write(logGroup, logStreamName, line);
      },
    });
    this.#queue = new AsyncInvocationQueue({
      store: this.store,
      region: this.region,
      trace,
      retryDelaysMs: asyncRetryDelaysMs,
      attempt: (event, attempt) => this.#attemptAsync(event, attempt),
      deliver: (destination, record, functionName, roleArn) =>
        this.#deliver(destination, record, functionName, roleArn),
    });
  }

  // ------------------------------------------------------------------------------- Service

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    try {
      if (this.#closed) throw new LambdaError('ServiceException', 'The Lambda service is shutting down.');
      const { route, params } = this.#route(request);
      checkLambdaParameters(route.operation, {
        params,
        query: request.query,
        headers: request.headers,
        body: request.body,
      });
      if (route.operation === 'CreateFunction') this.#prepareEnvironments();
      return await route.action(this, {
        params,
        query: request.query,
        headers: request.headers,
        body: request.body,
        requestId: request.requestId,
        caller: request.caller,
        iamAction: route.iamAction,
      });
    } catch (error) {
      const lambdaError = LambdaError.from(error);
      if (lambdaError.code === 'ServiceException') {
        this.trace.publish(
          'lambda.error',
          { message: String((lambdaError.cause as Error | undefined)?.message ?? lambdaError.message) },
          request.requestId,
        );
      }
      return lambdaError.toResponse(request.requestId);
    }
  }

  /** The IAM action and function ARN (qualified when the request is) of a request, for the edge's policy check. */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    try {
      const { route, params } = this.#route(request);
      if (route.operation === 'ListFunctions') return { action: route.iamAction, resources: ['*'] };
      let name = params.FunctionName;
      if (route.operation === 'CreateFunction') {
        const body = JSON.parse(request.body.toString('utf8') || '{}') as { FunctionName?: unknown };
        name = typeof body.FunctionName === 'string' ? body.FunctionName : undefined;
      }
      if (name === undefined) return undefined;
      const ref = locateFunction(name, { region: this.region, qualifier: request.query.get('Qualifier') });
      return { action: route.iamAction, resources: [functionArn(this.region, ref.name, ref.qualifier)] };
    } catch {
      return undefined; // malformed requests get their error from `handle`
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.close();
    await this.#pool.close();
    await Promise.allSettled([...this.#inFlight]);
    await this.#forwarder?.close();
    this.store.close();
    rmSync(this.#runtimeTmp, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------------------- LambdaInvoker

  functionExists(functionRef: string): boolean {
    return this.#target(functionRef) !== undefined;
  }

  /** The ARN an event source mapping records for a function reference (qualified as given), if it exists. */
  resolveFunctionArn(functionRef: string): string | undefined {
    const target = this.#target(functionRef);
    return target && functionArn(this.region, target.record.config.FunctionName, target.qualifier);
  }

  invokeAsync(
    functionRef: string,
    payload: unknown,
    options: { readonly source?: string; readonly traceHeader?: string } = {},
  ): string {
    const requestId = randomUUID();
    let ref: FunctionRef;
    let text: string;
    try {
      ref = locateFunction(functionRef, { region: this.region });
      text = payloadText(payload);
      if (this.#target(functionRef) === undefined) {
        throw new LambdaError('ResourceNotFoundException', notFoundMessage(this.region, ref.name, ref.qualifier));
      }
    } catch (error) {
      this.trace.publish(
        'lambda.async.dropped',
        { functionRef, reason: (error as Error).message, source: options.source },
        requestId,
      );
      return requestId;
    }
    // The trace header of the request that caused this event (an S3 PutObject made by a handler).
    const step = nextStep(functionArn(this.region, ref.name), options.traceHeader);
    if (step.loop && (this.store.get(ref.name)?.recursiveLoop ?? 'Terminate') === 'Terminate') {
      this.#recursionStopped(ref.name, step, requestId, options.source);
      this.trace.publish(
        'lambda.async.dropped',
        { functionName: ref.name, reason: 'RecursiveInvocationDetected', source: options.source, attempts: 0 },
        requestId,
      );
      return requestId;
    }
    this.#queue.enqueue({
      requestId,
      functionName: ref.name,
      qualifier: ref.qualifier,
      payload: text,
      source: options.source,
      traceId: step.traceId,
    });
    return requestId;
  }

  /**
   * True when the resource policy of the function — or of the version or alias the reference names:
   * each has its own — lets `principal` (e.g. `s3.amazonaws.com`) invoke it.
   */
  allowsInvoke(functionRef: string, principal: string, sourceArn?: string): boolean {
    const target = this.#target(functionRef);
    if (target === undefined) return false;
    const resource = functionArn(this.region, target.record.config.FunctionName, target.qualifier);
    return target.record.policy.some((statement) => {
      const p = statement.Principal;
      const principalMatches = p === '*' || (typeof p === 'object' && (p.Service === principal || p.AWS === principal));
      const actionMatches = ['lambda:InvokeFunction', 'lambda:*', '*'].includes(statement.Action);
      const arnCondition = statement.Condition?.ArnLike?.['AWS:SourceArn'];
      const arnMatches =
        arnCondition === undefined ||
        (sourceArn !== undefined &&
          new RegExp(
            `^${arnCondition
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\?/g, '.')}$`,
          ).test(sourceArn));
      return statement.Resource === resource && principalMatches && actionMatches && arnMatches;
    });
  }

  // ------------------------------------------------------------------------------- LambdaContext

  async resolveCode(
    functionName: string,
    code: Readonly<Record<string, unknown>>,
    caller: Caller,
  ): Promise<{ code: FunctionCode; size: number; sha256: string }> {
    if (code.ImageUri !== undefined) {
      throw new LambdaError(
        'InvalidParameterValueException',
        'ImageUri (container images) is not supported by the local cloud.',
      );
    }
    if (typeof code.ZipFile === 'string') {
      return this.#storeZip(functionName, Buffer.from(code.ZipFile, 'base64'));
    }
    if (typeof code.S3Bucket === 'string' && typeof code.S3Key === 'string') {
      if (code.S3Bucket === LOCAL_CODE_BUCKET) return this.#localCode(functionName, code.S3Key, caller);
      let zip: Uint8Array;
      try {
        zip = await this.#fetchS3Object(code.S3Bucket, code.S3Key);
      } catch (error) {
        const name = (error as Error).name;
        throw new LambdaError(
          'InvalidParameterValueException',
          `Error occurred while GetObject. S3 Error Code: ${name}. S3 Error Message: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return this.#storeZip(functionName, zip);
    }
    throw new LambdaError('InvalidParameterValueException', 'Please provide a source for function code.');
  }

  retire(functionName: string): void {
    this.#pool.retire(functionName);
    const live = this.#pool.environments(functionName).map((environment) => environment.spec.codeDir);
    this.store.pruneCode(functionName, live);
  }

  /**
   * Invokes a function in-process, as the Invoke API does: `payload` is JSON text (string or
   * UTF-8 bytes) or any other value, which is serialized. A qualifier (in the reference or
   * `options.qualifier`) picks a version or alias; an alias with weights picks one of its versions.
   * Throws {@link LambdaError} for what Invoke answers with an error status (not found, payload too
   * large, not UTF-8, invalid JSON, throttled …).
   */
  async invoke(functionRef: string, payload: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.#closed) throw new LambdaError('ServiceException', 'The Lambda service is shutting down.');
    const requestId = options.requestId ?? randomUUID();
    const invocationType = options.invocationType ?? 'RequestResponse';
    const ref = locateFunction(functionRef, { region: this.region, qualifier: options.qualifier });
    const record = this.store.get(ref.name);
    if (record === undefined) {
      throw new LambdaError(
        'ResourceNotFoundException',
        notFoundMessage(this.region, ref.name, ref.qualifier ?? '$LATEST'),
      );
    }
    const target = qualify(record, this.region, ref.qualifier, (alias) => pickWeighted(alias));
    const text = payloadText(payload);
    const size = Buffer.byteLength(text);
    if (invocationType === 'Event' && size > MAX_ASYNC_PAYLOAD_BYTES) {
      throw new LambdaError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${MAX_ASYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    if (size > MAX_SYNC_PAYLOAD_BYTES) {
      throw new LambdaError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
      );
    }
    if (text.trim() !== '') {
      try {
        JSON.parse(text);
      } catch (error) {
        throw new LambdaError(
          'InvalidRequestContentException',
          `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    const clientContext = decodeClientContext(options.clientContext);
    if (invocationType === 'DryRun') return { statusCode: 204, requestId };
    // Lambda also stops loops made only of functions invoking each other, synchronously or not.
    const step = nextStep(functionArn(this.region, record.config.FunctionName), options.traceHeader);
    const stopped = step.loop && (record.recursiveLoop ?? 'Terminate') === 'Terminate';
    if (stopped) this.#recursionStopped(record.config.FunctionName, step, requestId, options.source);
    if (invocationType === 'Event') {
      // An event stopped as a loop was still accepted: the request gets 202 and the event is dropped.
      if (stopped) {
        this.trace.publish(
          'lambda.async.dropped',
          {
            functionName: record.config.FunctionName,
            reason: 'RecursiveInvocationDetected',
            source: options.source,
            attempts: 0,
          },
          requestId,
        );
        return { statusCode: 202, requestId };
      }
      // Throttling of queued events (reserved concurrency) happens in the queue, as on AWS: the request gets 202.
      this.#queue.enqueue({
        requestId,
        functionName: record.config.FunctionName,
        qualifier: ref.qualifier,
        payload: text,
        source: options.source,
        traceId: step.traceId,
      });
      return { statusCode: 202, requestId };
    }
    if (stopped) {
      throw new LambdaError(
        'RecursiveInvocationException',
        "Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation.",
      );
    }
    if (this.#throttled(record)) {
      // Recorded: test/recordings/aws/lambda-invoke-throttled-zero-reserved-concurrency.json.
      throw new LambdaError('TooManyRequestsException', 'Rate Exceeded.', {
        fields: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
      });
    }
    const result = await this.#run(target, {
      requestId,
      payload: text,
      invocationType,
      invokedArn: functionArn(this.region, record.config.FunctionName, ref.qualifier),
      clientContext,
      identity: options.identity,
      source: options.source,
      traceId: step.traceId,
    });
    const answer: { -readonly [K in keyof InvokeResult]: InvokeResult[K] } = {
      statusCode: 200,
      requestId,
      payload: result.error ? JSON.stringify(result.error) : (result.payload ?? 'null'),
      executedVersion: target.version,
    };
    if (result.error) answer.functionError = 'Unhandled';
    if (options.logType === 'Tail') answer.logResult = Buffer.from(result.logTail, 'utf8').toString('base64');
    return answer;
  }

  /** Live execution environments of a function's `$LATEST` (for tests and the workbench). */
  environments(functionRef: string): readonly {
    readonly pid?: number;
    readonly state: string;
    /** Stopped between invocations now; how many times it was. */
    readonly frozen: boolean;
    readonly freezes: number;
    /** The host folder of its code: the function's code folder, or the code slot of the spare that became it (LAMBDA_TASK_ROOT under the seat belt; /var/task inside the wall). */
    readonly taskRoot: string;
  }[] {
    return this.#pool.environments(locateFunction(functionRef, { region: this.region }).name);
  }

  /** The spare execution environment the next cold start takes, if there is one (for tests and the bench). */
  spareEnvironment(): SpareEnvironment | undefined {
    return this.#pool.spare;
  }

  /** Every spare execution environment, in the order cold starts take them (ready ones first). */
  spareEnvironments(): readonly SpareEnvironment[] {
    return this.#pool.spares;
  }

  // ------------------------------------------------------------------------------- internals

  /** The route of a request, found once for the edge's policy check and the handling both. */
  #route(request: ServiceRequest): ReturnType<typeof routeOf> {
    let found = this.#routes.get(request);
    if (found === undefined) {
      found = routeOf(request.method, request.rawPath);
      this.#routes.set(request, found);
    }
    return found;
  }

  /** Tells the trace that Lambda stopped a chain (what AWS notifies the account of). */
  #recursionStopped(functionName: string, step: ChainStep, requestId: string, source?: string): void {
    this.trace.publish(
      'lambda.recursion.stopped',
      { functionName, source, invocations: step.count - 1, limit: MAX_RECURSIVE_INVOCATIONS },
      requestId,
    );
  }

  /** The version or alias a reference names, when the function and the qualifier exist. */
  #target(functionRef: string): QualifiedFunction | undefined {
    try {
      const ref = locateFunction(functionRef, { region: this.region });
      const record = this.store.get(ref.name);
      return record && qualify(record, this.region, ref.qualifier);
    } catch {
      return undefined;
    }
  }

  #throttled(record: FunctionRecord): boolean {
    const reserved = record.reservedConcurrency;
    return reserved !== undefined && (this.#running.get(record.config.FunctionName) ?? 0) >= reserved;
  }

  /** One attempt of a queued event (async-queue.ts decides retries, age and destinations). */
  async #attemptAsync(event: AsyncEvent, attempt: number): Promise<AttemptOutcome> {
    const record = this.store.get(event.functionName);
    if (record === undefined) return { kind: 'gone', reason: 'function deleted' };
    let target: QualifiedFunction;
    try {
      target = qualify(record, this.region, event.qualifier, (alias) => pickWeighted(alias));
    } catch (error) {
      return { kind: 'gone', reason: (error as Error).message };
    }
    if (this.#throttled(record))
      return { kind: 'throttled', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    let result: InvocationResult;
    try {
      result = await this.#run(target, {
        requestId: event.requestId,
        payload: event.payload,
        invocationType: 'Event',
        invokedArn: functionArn(this.region, event.functionName, event.qualifier),
        source: event.source,
        attempt,
        traceId: event.traceId,
      });
    } catch (error) {
      // Over the account's concurrency: the event goes back to the queue, as Lambda's async queue does.
      if (error instanceof LambdaError && error.code === 'TooManyRequestsException')
        return { kind: 'throttled', reason: 'ConcurrentInvocationLimitExceeded' };
      throw error;
    }
    return { kind: 'ran', result, executedVersion: target.version };
  }

  /**
   * Sends an invocation record as Lambda does, with the function's execution role (which needs
   * lambda:InvokeFunction or s3:PutObject on the destination): an asynchronous Invoke of a Lambda
   * destination, a PutObject for an S3 one (developer guide: "Capturing records of Lambda asynchronous invocations").
   */
  async #deliver(
    destination: Destination,
    record: Record<string, unknown>,
    functionName: string,
    roleArn: string,
  ): Promise<void> {
    const credentials = this.#credentialsFor(roleArn, functionName);
    const body = JSON.stringify(record);
    if (destination.kind === 'lambda') {
      const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
      const client = new LambdaClient({ endpoint: this.#endpoint(), region: this.region, credentials, maxAttempts: 1 });
      try {
        await client.send(new InvokeCommand({ FunctionName: destination.arn, InvocationType: 'Event', Payload: body }));
      } finally {
        client.destroy();
      }
      return;
    }
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { s3RecordKey } = await import('./destinations.ts');
    const client = new S3Client({
      endpoint: this.#endpoint(),
      region: this.region,
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
    });
    try {
      await client.send(
        new PutObjectCommand({ Bucket: destination.bucket, Key: s3RecordKey(functionName), Body: body }),
      );
    } finally {
      client.destroy();
    }
  }

  /** Unzipped bytes of the extracted code of every function (code deployed in place does not count). */
  #codeStorageUsed(): number {
    let used = 0;
    const dirs = new Set(this.store.list().flatMap((record) => (record.code.kind === 'zip' ? [record.code.dir] : [])));
    for (const dir of [...this.#codeBytes.keys()]) if (!existsSync(dir)) this.#codeBytes.delete(dir);
    for (const dir of this.#codeBytes.keys()) dirs.add(dir);
    for (const dir of dirs) {
      let bytes = this.#codeBytes.get(dir);
      if (bytes === undefined) {
        bytes = directorySize(dir);
        this.#codeBytes.set(dir, bytes);
      }
      used += bytes;
    }
    return used;
  }

  async #storeZip(
    functionName: string,
    zip: Uint8Array,
  ): Promise<{ code: FunctionCode; size: number; sha256: string }> {
    const storageLeftBytes = Math.max(0, this.#codeStorageBytes - this.#codeStorageUsed());
    const dir = this.store.newCodeDir(functionName);
    // Reserved while extracting, so that concurrent uploads share what is left.
    this.#codeBytes.set(dir, Math.min(storageLeftBytes, 262_144_000));
    try {
      const { size, unzippedBytes } = await extractZip(zip, dir, {
        storageLeftBytes,
        storageQuotaBytes: this.#codeStorageBytes,
      });
      this.#codeBytes.set(dir, unzippedBytes);
      return { code: { kind: 'zip', dir }, size, sha256: codeSha256(zip) };
    } catch (error) {
      this.#codeBytes.delete(dir);
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async #localCode(
    functionName: string,
    path: string,
    caller: Caller,
  ): Promise<{ code: FunctionCode; size: number; sha256: string }> {
    if (caller.principalArn !== `arn:aws:iam::${ACCOUNT_ID}:root`) {
      throw new LambdaError(
        'AccessDeniedException',
        `Only the account's administrator may deploy code from a local directory (${LOCAL_CODE_BUCKET}).`,
      );
    }
    if (!isAbsolute(path) || !existsSync(path)) {
      throw new LambdaError(
        'InvalidParameterValueException',
        `Local code path '${path}' does not exist (S3Key must be an absolute path when S3Bucket is '${LOCAL_CODE_BUCKET}').`,
      );
    }
    // Only folders of the project (what its deployer, checks and tests deploy), resolved through
    // symbolic links, and never the data directory (it holds the cloud's state and keys).
    const real = realpathSync(path);
    const dataDir = this.#dataDir === undefined || !existsSync(this.#dataDir) ? undefined : realpathSync(this.#dataDir);
    if (
      !this.#localCodeRoots.some((root) => within(real, root)) ||
      (dataDir !== undefined && (within(real, dataDir) || within(dataDir, real)))
    ) {
      throw new LambdaError(
        'AccessDeniedException',
        `Local code path '${path}' is not a folder of the project (${this.#localCodeRoots.join(', ')}): ${LOCAL_CODE_BUCKET} deploys only the project's own folders, never the data directory.`,
      );
    }
    const absolute = real;
    if (statSync(absolute).isDirectory()) {
      const { size, sha256 } = describeDirectory(absolute);
      return { code: { kind: 'local', dir: absolute }, size, sha256 };
    }
    return this.#storeZip(functionName, readFileSync(absolute));
  }

  /** A function was created: the launcher, and a spare environment of Lambda's default shape (128 MB, 512 MB /tmp). */
  #prepareEnvironments(): void {
    // The wall binds the endpoint's socket in: it must exist before a spare starts.
    (this.#forwarder?.listen() ?? Promise.resolve()).then(
      () =>
        this.#closed ||
        this.#pool.prepare({
          isolation: this.isolation,
          nodeModules: this.#nodeModules,
          tmpParent: this.#runtimeTmp,
          memorySizeMb: 128,
          ephemeralStorageMb: 512,
          endpointSocket: this.#forwarder?.socketPath,
          endpoint: this.#endpoint(),
        }),
      () => undefined,
    );
  }

  #spec(target: QualifiedFunction): EnvironmentSpec {
    const { config } = target;
    const credentials = this.#credentialsFor(config.Role, config.FunctionName);
    // Built once per configuration object (replaced on every change) while the code, the version,
    // the role's credentials and the endpoint stay what they were: most invocations are warm.
    const cached = this.#specs.get(config);
    const endpoint = this.#endpoint();
    if (
      cached !== undefined &&
      cached.codeDir === target.code.dir &&
      cached.version === target.version &&
      cached.endpoint === endpoint &&
      cached.credentials.accessKeyId === credentials.accessKeyId &&
      cached.credentials.secretAccessKey === credentials.secretAccessKey &&
      cached.credentials.sessionToken === credentials.sessionToken
    )
      return cached;
    const spec: EnvironmentSpec = {
      functionName: config.FunctionName,
      functionArn: functionArn(this.region, config.FunctionName),
      version: target.version,
      codeDir: target.code.dir,
      handler: config.Handler,
      runtime: config.Runtime,
      memorySizeMb: config.MemorySize,
      timeoutSeconds: config.Timeout,
      variables: config.Environment?.Variables ?? {},
      logGroupName: config.LoggingConfig?.LogGroup,
      credentials,
      region: this.region,
      endpoint,
      nodeModules: this.#nodeModules,
      tmpParent: this.#runtimeTmp,
      // Rotated role credentials retire idle environments, so none keeps expired ones.
      revision: `${revisionOf(target)}.${credentials.accessKeyId}`,
      isolation: this.isolation,
      ephemeralStorageMb: config.EphemeralStorage?.Size ?? 512,
      endpointSocket: this.#forwarder?.socketPath,
    };
    if (config === target.record.config) this.#specs.set(config, spec);
    return spec;
  }

  async #run(
    target: QualifiedFunction,
    request: {
      readonly requestId: string;
      readonly payload: string;
      readonly invocationType: 'RequestResponse' | 'Event';
      readonly invokedArn: string;
      readonly clientContext?: unknown;
      readonly identity?: CognitoIdentityContext;
      readonly source?: string;
      readonly attempt?: number;
      /** `_X_AMZN_TRACE_ID` of the invocation (a chain's next step). @default a new chain */
      readonly traceId?: string;
    },
  ): Promise<InvocationResult> {
    const { config } = target;
    const functionName = config.FunctionName;
    const logGroup = config.LoggingConfig?.LogGroup ?? `/aws/lambda/${functionName}`;
    const { requestId } = request;
    const version = target.version === '$LATEST' ? {} : { version: target.version };
    this.#strayLines.delete(functionName);
    if (this.#forwarder !== undefined) await this.#forwarder.listen();
    this.#running.set(functionName, (this.#running.get(functionName) ?? 0) + 1);
    const running = this.#pool.invoke(this.#spec(target), {
      requestId,
      payload: request.payload,
      invokedFunctionArn: request.invokedArn,
      clientContext: request.clientContext,
      identity: request.identity,
      traceId: request.traceId ?? nextStep(config.FunctionArn).traceId,
      onStart: ({ cold }) =>
        this.trace.publish(
          'lambda.invoke.start',
          {
            functionName,
            ...version,
            invocationType: request.invocationType,
            cold,
            attempt: request.attempt ?? 1,
            source: request.source,
          },
          requestId,
        ),
      onLine: (line, logStreamName) => {
        this.trace.publish('lambda.log', { functionName, line }, requestId);
        this.#logs?.write(logGroup, logStreamName, line);
      },
    });
    this.#inFlight.add(running);
    let result: InvocationResult;
    try {
      result = await running;
    } catch (error) {
      if (error instanceof ThrottledError) {
        // Recorded shape: test/recordings/aws/lambda-invoke-throttled-zero-reserved-concurrency.json
        this.trace.publish('lambda.throttled', { functionName, limit: error.limit }, requestId);
        throw new LambdaError('TooManyRequestsException', 'Rate Exceeded.', {
          cause: error,
          fields: { Reason: 'ConcurrentInvocationLimitExceeded' },
        });
      }
      throw new LambdaError('ServiceException', 'The Lambda runtime is shut down.', { cause: error });
    } finally {
      this.#inFlight.delete(running);
      this.#running.set(functionName, (this.#running.get(functionName) ?? 1) - 1);
    }
    this.trace.publish(
      'lambda.invoke.end',
      {
        functionName,
        ...version,
        invocationType: request.invocationType,
        duration: Number(result.durationMs.toFixed(2)),
        billedDuration: result.billedDurationMs,
        maxMemoryUsedMB: result.maxMemoryUsedMb,
        memorySizeMB: config.MemorySize,
        initDuration: result.initDurationMs === undefined ? undefined : Number(result.initDurationMs.toFixed(2)),
        cold: result.cold,
        timedOut: result.timedOut,
        droppedLogLines: result.droppedLogLines,
        ...(result.error
          ? { error: { errorType: result.error.errorType, errorMessage: result.error.errorMessage } }
          : {}),
      },
      requestId,
    );
    return result;
  }
}
