import type { IncomingHttpHeaders } from 'node:http';
import { checkJsonParameters, refused, type ServiceParameters, supported } from '../shared/parameters.ts';
import { LambdaError } from './errors.ts';

const FUNCTION = ['FunctionName', 'Qualifier'] as const;
const PAGE = ['Marker', 'MaxItems'] as const;
const NO_VPC = refused('VPC networking is not modelled: functions reach the local cloud over loopback');
const NO_KMS = refused('environment encryption with a customer managed KMS key is not modelled');
const NO_XRAY = refused('X-Ray tracing is not modelled');
const NO_LAYERS = refused('layers are not modelled: native modules such as sharp come from the project node_modules');
const NO_EFS = refused('EFS file systems are not modelled');
const NO_IMAGES = refused('container images are not modelled: functions are .zip packages');
const NO_SNAPSTART = refused('SnapStart is a Java, Python and .NET feature; the local cloud runs Node.js');
const NO_DLQ = refused(
  'the local cloud has no SQS queues or SNS topics for discarded events: use an on-failure destination (PutFunctionEventInvokeConfig)',
);
const NO_CAPACITY = refused('Lambda Managed Instances capacity providers are not modelled');
const NO_DURABLE = refused('durable functions are not modelled');
const NO_PUBLISH_TO = refused('publishing to a capacity provider is not modelled');
const NO_TAGS = refused('resource tags are not modelled');
const OTHER_SOURCES = refused('the local cloud polls DynamoDB streams and Kinesis data streams only');
const MAPPING_SETTINGS = [
  'FunctionName',
  'Enabled',
  'BatchSize',
  'FilterCriteria',
  'MaximumBatchingWindowInSeconds',
  'DestinationConfig',
  'MaximumRecordAgeInSeconds',
  'BisectBatchOnFunctionError',
  'MaximumRetryAttempts',
  'FunctionResponseTypes',
] as const;
const MAPPING_REFUSALS = {
  // A shard's batches run one at a time locally.
  ParallelizationFactor: refused('batches of a shard run one at a time', ['1']),
  TumblingWindowInSeconds: refused('tumbling windows are not modelled', ['0']),
  KMSKeyArn: refused('filter criteria encryption with a customer managed KMS key is not modelled'),
  MetricsConfig: refused('event source mapping metrics are not modelled'),
  LoggingConfig: refused('event source mapping logs are not modelled'),
  ScalingConfig: OTHER_SOURCES,
  ProvisionedPollerConfig: refused('provisioned pollers are not modelled'),
  SourceAccessConfigurations: OTHER_SOURCES,
  AmazonManagedKafkaEventSourceConfig: OTHER_SOURCES,
  SelfManagedKafkaEventSourceConfig: OTHER_SOURCES,
  DocumentDBEventSourceConfig: OTHER_SOURCES,
};
const CONFIGURATION = ['Role', 'Handler', 'Description', 'Timeout', 'MemorySize', 'Environment', 'Runtime'] as const;
const CONFIGURATION_REFUSALS = {
  VpcConfig: NO_VPC,
  DeadLetterConfig: NO_DLQ,
  KMSKeyArn: NO_KMS,
  TracingConfig: NO_XRAY,
  Layers: NO_LAYERS,
  FileSystemConfigs: NO_EFS,
  ImageConfig: NO_IMAGES,
  SnapStart: NO_SNAPSTART,
  CapacityProviderConfig: NO_CAPACITY,
  DurableConfig: NO_DURABLE,
};
const EVENT_INVOKE_CONFIG = [
  ...FUNCTION,
  'MaximumRetryAttempts',
  'MaximumEventAgeInSeconds',
  'DestinationConfig',
] as const;

/**
 * AWS Lambda's request members (API reference; the path's, the query's, Invoke's headers and the
 * body's), per implemented operation, including members newer than botocore's model that
 * `@aws-sdk/client-lambda` sends. Values an honoured member cannot take locally are refused by the
 * actions themselves, naming the member (LoggingConfig's JSON format and log levels: the runtime
 * writes Text). `Architectures` is stored and echoed; either value runs the same JavaScript, with
 * native modules from the project's node_modules.
 */
export const LAMBDA_PARAMETERS: ServiceParameters = {
  CreateFunction: {
    ...supported(
      'FunctionName',
      ...CONFIGURATION,
      'Code',
      'Publish',
      'Architectures',
      'EphemeralStorage',
      'LoggingConfig',
    ),
    ...CONFIGURATION_REFUSALS,
    PackageType: refused('container images are not modelled: functions are .zip packages', ['Zip']),
    Tags: NO_TAGS,
    CodeSigningConfigArn: refused('code signing is not modelled'),
    TenancyConfig: refused('tenant isolation is not modelled'),
    PublishTo: NO_PUBLISH_TO,
  },
  UpdateFunctionConfiguration: {
    ...supported('FunctionName', ...CONFIGURATION, 'RevisionId', 'EphemeralStorage', 'LoggingConfig'),
    ...CONFIGURATION_REFUSALS,
  },
  UpdateFunctionCode: {
    ...supported('FunctionName', 'ZipFile', 'S3Bucket', 'S3Key', 'Architectures', 'Publish', 'DryRun', 'RevisionId'),
    S3ObjectVersion: refused('code is read from the object as it is now: object versions are not modelled'),
    S3ObjectStorageMode: refused('the code object is always copied'),
    ImageUri: NO_IMAGES,
    SourceKMSKeyArn: refused('code encryption with a customer managed KMS key is not modelled'),
    PublishTo: NO_PUBLISH_TO,
  },
  GetFunction: supported(...FUNCTION),
  GetFunctionConfiguration: supported(...FUNCTION),
  DeleteFunction: supported(...FUNCTION),
  ListFunctions: {
    ...supported('FunctionVersion', ...PAGE),
    MasterRegion: refused('Lambda@Edge replicas are not modelled'),
  },
  Invoke: {
    ...supported(...FUNCTION, 'InvocationType', 'LogType', 'ClientContext', 'Payload'),
    DurableExecutionName: NO_DURABLE,
    TenantId: refused('tenant isolation is not modelled'),
  },
  InvokeAsync: supported('FunctionName', 'InvokeArgs'),
  AddPermission: {
    ...supported(
      ...FUNCTION,
      'StatementId',
      'Action',
      'Principal',
      'SourceArn',
      'SourceAccount',
      'EventSourceToken',
      'RevisionId',
      'PrincipalOrgID',
      'FunctionUrlAuthType',
    ),
    InvokedViaFunctionUrl: refused('function URLs are not modelled'),
  },
  GetPolicy: supported(...FUNCTION),
  RemovePermission: supported(...FUNCTION, 'StatementId', 'RevisionId'),
  PublishVersion: {
    ...supported('FunctionName', 'CodeSha256', 'Description', 'RevisionId'),
    PublishTo: NO_PUBLISH_TO,
  },
  ListVersionsByFunction: supported('FunctionName', ...PAGE),
  CreateAlias: supported('FunctionName', 'Name', 'FunctionVersion', 'Description', 'RoutingConfig'),
  GetAlias: supported('FunctionName', 'Name'),
  UpdateAlias: supported('FunctionName', 'Name', 'FunctionVersion', 'Description', 'RoutingConfig', 'RevisionId'),
  DeleteAlias: supported('FunctionName', 'Name'),
  ListAliases: supported('FunctionName', 'FunctionVersion', ...PAGE),
  PutFunctionEventInvokeConfig: supported(...EVENT_INVOKE_CONFIG),
  UpdateFunctionEventInvokeConfig: supported(...EVENT_INVOKE_CONFIG),
  GetFunctionEventInvokeConfig: supported(...FUNCTION),
  DeleteFunctionEventInvokeConfig: supported(...FUNCTION),
  ListFunctionEventInvokeConfigs: supported('FunctionName', ...PAGE),
  PutFunctionConcurrency: supported('FunctionName', 'ReservedConcurrentExecutions'),
  GetFunctionConcurrency: supported('FunctionName'),
  DeleteFunctionConcurrency: supported('FunctionName'),
  PutFunctionRecursionConfig: supported('FunctionName', 'RecursiveLoop'),
  GetFunctionRecursionConfig: supported('FunctionName'),
  CreateEventSourceMapping: {
    ...supported('EventSourceArn', ...MAPPING_SETTINGS, 'StartingPosition', 'StartingPositionTimestamp'),
    ...MAPPING_REFUSALS,
    Topics: OTHER_SOURCES,
    Queues: OTHER_SOURCES,
    SelfManagedEventSource: OTHER_SOURCES,
    Tags: NO_TAGS,
  },
  UpdateEventSourceMapping: { ...supported('UUID', ...MAPPING_SETTINGS), ...MAPPING_REFUSALS },
  GetEventSourceMapping: supported('UUID'),
  DeleteEventSourceMapping: supported('UUID'),
  ListEventSourceMappings: supported('EventSourceArn', 'FunctionName', ...PAGE),
};

/** Operations whose body is the payload itself rather than JSON members. */
const PAYLOAD_BODY: Readonly<Record<string, string>> = { Invoke: 'Payload', InvokeAsync: 'InvokeArgs' };

/** Invoke's members carried as headers (API reference), by lower-case header name. */
const INVOKE_HEADERS: Readonly<Record<string, string>> = {
  'x-amz-invocation-type': 'InvocationType',
  'x-amz-log-type': 'LogType',
  'x-amz-client-context': 'ClientContext',
  'x-amz-durable-execution-name': 'DurableExecutionName',
  'x-amz-tenant-id': 'TenantId',
};

const INVOKE_HEADER_MEMBERS = Object.entries(INVOKE_HEADERS);

/** A member's value as `except` compares it: numbers and booleans by their text (`1`, `0`). */
const comparable = (value: unknown) =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;

/**
 * Refuses a Lambda request that sets a member the operation's declaration does not honour, with
 * Lambda's InvalidParameterValueException naming it. Members come from the path, the query string,
 * Invoke's headers and the JSON body; a body that is not a JSON object is left to the action's own
 * InvalidRequestContentException.
 */
export function checkLambdaParameters(
  operation: string,
  request: {
    readonly params: Readonly<Record<string, string>>;
    readonly query: URLSearchParams;
    readonly headers?: IncomingHttpHeaders;
    readonly body: Buffer;
  },
): void {
  const members: Record<string, unknown> = { ...request.params };
  for (const [name, value] of request.query) members[name] = value;
  if (operation === 'Invoke') {
    for (const [header, member] of INVOKE_HEADER_MEMBERS) {
      if (request.headers?.[header] !== undefined) members[member] = request.headers[header];
    }
  }
  const payload = PAYLOAD_BODY[operation];
  if (payload !== undefined) {
    if (request.body.length > 0) members[payload] = true;
  } else if (request.body.length > 0) {
    let body: unknown;
    try {
      body = JSON.parse(request.body.toString('utf8'));
    } catch {
      body = undefined;
    }
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) Object.assign(members, body);
  }
  for (const name of Object.keys(members)) members[name] = comparable(members[name]);
  checkJsonParameters(
    LAMBDA_PARAMETERS,
    operation,
    members,
    (message) => new LambdaError('InvalidParameterValueException', message),
  );
}
