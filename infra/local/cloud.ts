import { resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ApiGatewayV2Service } from './apigateway/service.ts';
import { CognitoIdentityService } from './cognito/service.ts';
import { DynamoDBService } from './dynamodb/service.ts';
import {
  type AdminKeys,
  type AdminKeysMode,
  generateAdminKeys,
  loadOrCreateAdminKeys,
  TUTORIAL_ADMIN_KEYS,
} from './edge/admin-keys.ts';
import { createCredentialIssuer, InMemoryCredentialStore } from './edge/credentials.ts';
import { type ConnectionLimits, listenEdge } from './edge/listen.ts';
import { createEdgeHandler } from './edge/server.ts';
import { DEFAULT_REGION, type Service } from './edge/types.ts';
import { roleCredentialsProvider } from './iam/credentials.ts';
import { IamService } from './iam/service.ts';
import { StsService } from './iam/sts/service.ts';
import { KinesisService, toLambdaKinesisRecord } from './kinesis/service.ts';
import { EventSourceMappings } from './lambda/esm/service.ts';
import { parseFunctionRef } from './lambda/names.ts';
import { LambdaService } from './lambda/service.ts';
import { LogsService } from './logs/service.ts';
import { QuotaLimiter } from './quotas/limiter.ts';
import { S3Service } from './s3/service.ts';
import { lockDataDir } from './shared/data-dir-lock.ts';
import { IdleMemoryRelease } from './shared/idle-memory.ts';
import { TraceBus } from './trace/bus.ts';

export interface LocalCloudOptions {
  /** TCP port; 0 picks a free one. @default 4566 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Where buckets, objects and functions persist. @default '.data' */
  readonly dataDir?: string;
  /** Keep everything in memory (and temp dirs): nothing survives a restart. @default false */
  readonly inMemory?: boolean;
  /** Browser origins (the workbook site) allowed to call the cloud. */
  readonly allowedOrigins?: readonly string[];
  readonly region?: string;
  /** Delays before Lambda's two async retries; AWS waits about 1 and 2 minutes. @default [1000, 2000] */
  readonly asyncRetryDelaysMs?: readonly number[];
  /** Wait before an event source mapping retries a failed batch. @default 500 */
  readonly streamRetryDelayMs?: number;
  /**
   * Evaluate the IAM policies of role credentials (execution roles, identity-pool roles) on every
   * request, as AWS does. `false` lets every signed request through. @default true
   */
  readonly enforceIam?: boolean;
  /** Lambda's isolation: `bwrap` (the wall), `node` (the permission model alone) or `auto`. @default LOCAL_CLOUD_SANDBOX, else 'auto' */
  readonly sandbox?: 'auto' | 'bwrap' | 'node';
  /**
   * The administrator's keys: always the secret ones of the data directory (`admin-keys.json`,
   * mode 0600; fresh per process in memory); `'test'` also accepts the well-known `test`/`test`
   * that LocalStack-style tutorials use. @default 'generated'
   */
  readonly adminKeys?: AdminKeysMode;
  /** Connection cap and timeouts of the endpoint (see ConnectionLimits for the defaults). */
  readonly connections?: ConnectionLimits;
  /**
   * `aws`: throttle the operations the workbook uses at AWS's account-level request rates, with
   * AWS's errors (infra/local/quotas/). @default 'off'
   */
  readonly quotas?: 'aws' | 'off';
  /** Rates replacing AWS's, by quota label (`logs:FilterLogEvents`, …): tests, or raised quotas. */
  readonly quotaOverrides?: Readonly<Record<string, number>>;
  /** Lambda's concurrent executions for the account (AWS: 1000; small accounts get less). @default LOCAL_CLOUD_ACCOUNT_CONCURRENCY, else 1000 */
  readonly accountConcurrency?: number;
}

export interface LocalCloud {
  /** `http://127.0.0.1:<port>`: what `AWS_ENDPOINT_URL` should be. */
  readonly endpoint: string;
  readonly port: number;
  /** The administrator's secret keys: what the workbook, the tools and `aws` sign with. */
  readonly adminCredentials: AdminKeys;
  /** Whether `test`/`test` is accepted too (the LocalStack-style opt-in). */
  readonly adminKeysMode: AdminKeysMode;
  readonly trace: TraceBus;
  readonly credentials: InMemoryCredentialStore;
  readonly s3: S3Service;
  readonly lambda: LambdaService;
  readonly dynamodb: DynamoDBService;
  readonly kinesis: KinesisService;
  readonly eventSourceMappings: EventSourceMappings;
  readonly iam: IamService;
  readonly cognito: CognitoIdentityService;
  readonly apigateway: ApiGatewayV2Service;
  /** CloudWatch Logs: the API, and where functions' log lines go. */
  readonly logs: LogsService;
  /** The quota mode's limiter (what each quota saw), when `quotas` is `aws`. */
  readonly quotas?: QuotaLimiter;
  close(): Promise<void>;
}

/** Starts S3, Lambda, DynamoDB (with Streams), Kinesis, IAM/STS, Cognito Identity, API Gateway and CloudWatch Logs behind one SigV4-verifying edge, listening on loopback only by default. */
export async function startLocalCloud({
  port = 4566,
  host = '127.0.0.1',
  dataDir = '.data',
  inMemory = false,
  allowedOrigins = ['http://127.0.0.1:4321', 'http://localhost:4321'],
  region = DEFAULT_REGION,
  asyncRetryDelaysMs = [1000, 2000],
  streamRetryDelayMs = 500,
  enforceIam = true,
  sandbox,
  adminKeys: adminKeysMode = 'generated',
  connections = {},
  quotas = 'off',
  quotaOverrides,
  accountConcurrency,
}: LocalCloudOptions = {}): Promise<LocalCloud> {
  const dir = inMemory ? undefined : resolve(dataDir);
  // Before anything in the directory is read or written: another cloud on it would lose data.
  const lock = dir === undefined ? undefined : lockDataDir(dir);
  let adminCredentials: AdminKeys;
  try {
    adminCredentials = dir === undefined ? generateAdminKeys() : loadOrCreateAdminKeys(dir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const trace = new TraceBus();
  const credentials = new InMemoryCredentialStore(
    adminKeysMode === 'test' ? [adminCredentials, TUTORIAL_ADMIN_KEYS] : [adminCredentials],
  );

  let endpoint = '';
  let boundPort = port;
  // One issuer for every kind of temporary credentials: STS, execution roles, identity pools.
  const issuer = createCredentialIssuer(credentials);
  const iam = new IamService({ dataDir: dir, trace });
  // AssumeRoleWithWebIdentity takes the OpenID tokens Cognito signs (cognito is created below; called later).
  const sts = new StsService({
    trace,
    store: iam.store,
    issuer,
    webIdentity: { checkOpenIdToken: (token) => cognito.checkOpenIdToken(token) },
  });
  const logs = new LogsService({ trace, region, dataDir: dir });
  // The cloud's own S3 calls (deployment packages of CreateFunction, on-failure records Lambda
  // writes): signed with the admin keys, like any client's.
  // Loaded on first use: the SDK costs ~30 MiB of an idle cloud's memory.
  let internalS3: S3Client | undefined;
  const sdk = () => import('@aws-sdk/client-s3');
  const internalS3Client = async () =>
    (internalS3 ??= new (await sdk()).S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { ...adminCredentials },
    }));
  const lambda = new LambdaService({
    dataDir: dir,
    trace,
    region,
    endpoint: () => endpoint,
    asyncRetryDelaysMs,
    credentialsFor: roleCredentialsProvider(issuer),
    fetchS3Object: async (bucket, key) => {
      const object = await (await internalS3Client()).send(
        new (await sdk()).GetObjectCommand({ Bucket: bucket, Key: key }),
      );
      return (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    },
    logs,
    sandbox,
    // Connections from inside the wall are served by the edge directly (`listener` is set below,
    // before any function runs).
    acceptEndpointConnection: (socket) => listener.accept(socket),
    ...(accountConcurrency !== undefined ? { accountConcurrency } : {}),
  });
  const s3 = new S3Service({ dataDir: dir, trace, lambda, region });
  const dynamodb = new DynamoDBService({ dataDir: dir, trace, region });
  const kinesis = new KinesisService({ trace, region });
  const cognito = new CognitoIdentityService({ trace, region, issuer, dataDir: dir });
  const apigateway = new ApiGatewayV2Service({ trace, region, lambda, dataDir: dir, endpointPort: () => boundPort });
  const eventSourceMappings = new EventSourceMappings({
    trace,
    region,
    dataDir: dir,
    retryDelayMs: streamRetryDelayMs,
    invoke: (arn, payload, options) => lambda.invoke(arn, payload, options),
    // A qualified reference (`fn:live`) maps to that alias or version, as on AWS.
    resolveFunction: (ref) => lambda.resolveFunctionArn(ref),
    sources: {
      dynamodb: dynamodb.streamRecords,
      kinesis: {
        store: kinesis.store,
        toLambdaRecord: (record, { streamArn, shardId, functionArn: fn }) =>
          toLambdaKinesisRecord(record as Parameters<typeof toLambdaKinesisRecord>[0], {
            streamArn,
            shardId,
            region,
            // AWS names the function's execution role as the invoke identity.
            invokeIdentityArn: lambda.store.get(parseFunctionRef(fn).name)?.config.Role ?? fn,
          }),
      },
    },
    onFailure: {
      async s3PutObject(bucket, key, body) {
        await (await internalS3Client()).send(
          new (await sdk()).PutObjectCommand({ Bucket: bucket, Key: key, Body: body }),
        );
      },
    },
  });
  // Lambda's API answers both functions and event source mappings under one signing name.
  const lambdaApi: Service = {
    signingNames: lambda.signingNames,
    handle: (request) =>
      EventSourceMappings.handles(request.rawPath) ? eventSourceMappings.handle(request) : lambda.handle(request),
    authorization: (request) =>
      EventSourceMappings.handles(request.rawPath)
        ? eventSourceMappings.authorization(request)
        : lambda.authorization(request),
  };
  const services: Service[] = [s3, lambdaApi, dynamodb, kinesis, iam, sts, cognito, apigateway, logs];
  const closeAll = async () => {
    await eventSourceMappings.close();
    internalS3?.destroy();
    // Logs after Lambda: the last lines of stopping functions are stored before the store closes.
    for (const service of [s3, lambda, logs, dynamodb, kinesis, iam, sts, cognito, apigateway] as Service[]) {
      await service.close?.();
    }
  };

  const limiter = quotas === 'aws' ? new QuotaLimiter(quotaOverrides ? { overrides: quotaOverrides } : {}) : undefined;
  const edge = createEdgeHandler({
    services,
    credentials,
    trace,
    allowedOrigins,
    roles: iam.store,
    enforceIam,
    ...(limiter ? { admit: (request) => limiter.admit(request) } : {}),
  });
  const idleMemory = new IdleMemoryRelease();
  const handler: typeof edge = (req, res) => {
    idleMemory.noteActivity();
    edge(req, res);
  };
  let listener: Awaited<ReturnType<typeof listenEdge>>;
  try {
    await dynamodb.ready();
    listener = await listenEdge(handler, { port, host, ...connections });
  } catch (error) {
    idleMemory.stop();
    await closeAll().catch(() => undefined);
    lock?.release();
    throw error;
  }
  boundPort = listener.port;
  endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  trace.publish('cloud.started', { endpoint });

  return {
    endpoint,
    port: boundPort,
    adminCredentials,
    adminKeysMode,
    trace,
    credentials,
    s3,
    lambda,
    dynamodb,
    kinesis,
    eventSourceMappings,
    iam,
    cognito,
    apigateway,
    logs,
    ...(limiter ? { quotas: limiter } : {}),
    async close() {
      idleMemory.stop();
      await listener.close();
      try {
        await closeAll();
      } finally {
        lock?.release();
      }
    },
  };
}
