// The configuration view's server side: what a function is configured with (GetFunction), what
// invokes it (S3 notifications, event source mappings, HTTP API routes), what its execution role
// may do (IAM), and changing memory, timeout and environment variables with
// UpdateFunctionConfiguration, waiting until Lambda reports LastUpdateStatus Successful. Only the
// AWS SDK through `clientConfig(target)`, so the local cloud and a class sandbox share the code;
// on AWS each look-up is subject to the learner's permissions, and a refused one is explained
// (which action, whose credentials) instead of leaving its section blank.
import {
  ApiGatewayV2Client,
  GetIntegrationsCommand,
  GetRoutesCommand,
  type GetRoutesCommandOutput,
} from '@aws-sdk/client-apigatewayv2';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import {
  type EventSourceMappingConfiguration,
  GetEventSourceMappingCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand as GetFunctionPolicyCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { GetBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type {
  ConfigSectionError,
  ConfigUpdateRequest,
  ExecutionRole,
  FunctionConfigView,
  FunctionTrigger,
  Readable,
  ResourcePolicy,
  RolePolicy,
} from '../lib/function-config.ts';
import { explainAwsError } from './aws-errors.ts';
import { scenarioFunction, scenarioOutputs, UPDATE_WAIT_SECONDS } from './deploy-edit.ts';
import { badRequest, functionIndexField, HttpError, isSdkError } from './http.ts';
import { clientConfig, type Target } from './target.ts';

/** `User: <arn> is not authorized…` (IAM's wording in every service's AccessDenied). */
const CALLER = /User: (\S+) is not authorized/;

/** `arn:aws:sts::1:assumed-role/Name/session` → `role Name`; `arn:aws:iam::1:user/ada` → `user ada`. */
export function describePrincipal(arn: string): string {
  const assumed = /:assumed-role\/(?:.*\/)?([^/]+)\/([^/]+)$/.exec(arn);
  if (assumed) return `role ${assumed[1]} (session ${assumed[2]})`;
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return `user ${user[1]}`;
  if (/:root$/.test(arn)) return `the account's root user (${arn})`;
  return arn;
}

const isAccessDenied = (error: unknown): boolean => {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'AccessDenied' || e?.name === 'AccessDeniedException' || e?.$metadata?.httpStatusCode === 403;
};

/** Who the target's credentials belong to (STS GetCallerIdentity, which needs no permission). */
async function callerArn(target: Target): Promise<string | undefined> {
  const sts = new STSClient(clientConfig(target));
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } catch {
    return undefined;
  } finally {
    sts.destroy();
  }
}

/**
 * An error of one look-up or change, explained: for an AccessDenied, which IAM action was refused
 * to whom and what to do; otherwise the AWS error explained (aws-errors.ts) with AWS's own text.
 * `doing` is what the workbook was doing, e.g. `changing the function's configuration`.
 */
export async function explainConfigError(
  error: unknown,
  target: Target,
  action: string,
  doing: string,
): Promise<ConfigSectionError & { readonly status: number; readonly awsCode?: string; readonly awsMessage?: string }> {
  const e = error as { name?: unknown; message?: unknown };
  const awsCode = typeof e?.name === 'string' ? e.name : undefined;
  const awsMessage = typeof e?.message === 'string' ? e.message : undefined;
  const aws = { ...(awsCode ? { awsCode } : {}), ...(awsMessage ? { awsMessage } : {}) };
  if (isAccessDenied(error)) {
    const explained = explainAwsError(error, { target: target.kind, region: target.region });
    const missingPermission = explained.missingPermission ?? action;
    // S3's AccessDenied names nobody: ask STS who we are.
    const arn = CALLER.exec(awsMessage ?? '')?.[1] ?? (await callerArn(target));
    const principal = arn ? describePrincipal(arn) : undefined;
    const who = principal ? `The workbook's credentials (${principal})` : "The workbook's credentials";
    const advice =
      target.kind === 'aws'
        ? `Your sandbox role's policy does not grant ${missingPermission}; your instructor can add it (or run the workbook against the local cloud, where you may).`
        : `The credentials' policy does not grant ${missingPermission}.`;
    return {
      status: 403,
      error: 'AccessDenied',
      message: `${who} may not call ${missingPermission} (needed for ${doing}). ${advice}${awsMessage ? ` AWS said: ${awsMessage}` : ''}`,
      missingPermission,
      ...(principal ? { principal } : {}),
      ...aws,
    };
  }
  const explained = explainAwsError(error, { target: target.kind, region: target.region, doing });
  return { status: explained.status, error: explained.error, message: explained.message, ...aws };
}

/** Runs a look-up whose refusal is reported in its section instead of failing the view. */
async function readable<T>(
  target: Target,
  action: string,
  doing: string,
  read: () => Promise<T>,
): Promise<Readable<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (!isSdkError(error)) throw error;
    const { status: _status, ...explained } = await explainConfigError(error, target, action, doing);
    return { ok: false, error: explained };
  }
}

/** The scenario's bucket names (stack outputs of the catalog's `…Bucket` roles). */
function bucketNames(target: Target, scenario: ScenarioId): string[] {
  const outputs = scenarioOutputs(target, scenario);
  return Object.entries(SCENARIOS[scenario].outputs)
    .filter(([role]) => /bucket$/i.test(role))
    .map(([, output]) => outputs[output])
    .filter((name): name is string => name !== undefined);
}

/** The HTTP API's id, from the `apiUrl` output (`https://{apiId}.execute-api.…`), when the scenario has one. */
function apiId(target: Target, scenario: ScenarioId): string | undefined {
  const output = SCENARIOS[scenario].outputs.apiUrl;
  const url = output === undefined ? undefined : scenarioOutputs(target, scenario)[output];
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname.split('.')[0];
  } catch {
    return undefined;
  }
}

/** Whether an ARN in a notification or integration names the function (or one of its versions or aliases). */
const namesFunction = (arn: string | undefined, functionArn: string) =>
  arn !== undefined && (arn === functionArn || arn.startsWith(`${functionArn}:`) || arn.includes(`${functionArn}/`));

function mappingTrigger(mapping: EventSourceMappingConfiguration): FunctionTrigger {
  const patterns = mapping.FilterCriteria?.Filters?.map((filter) => filter.Pattern ?? '').filter(Boolean);
  return {
    kind: 'event-source-mapping',
    uuid: mapping.UUID ?? '',
    eventSourceArn: mapping.EventSourceArn ?? '',
    state: mapping.State ?? 'Unknown',
    ...(mapping.BatchSize !== undefined ? { batchSize: mapping.BatchSize } : {}),
    ...(mapping.MaximumBatchingWindowInSeconds !== undefined
      ? { maximumBatchingWindowInSeconds: mapping.MaximumBatchingWindowInSeconds }
      : {}),
    ...(mapping.StartingPosition ? { startingPosition: mapping.StartingPosition } : {}),
    ...(mapping.MaximumRetryAttempts !== undefined ? { maximumRetryAttempts: mapping.MaximumRetryAttempts } : {}),
    ...(mapping.MaximumRecordAgeInSeconds !== undefined
      ? { maximumRecordAgeInSeconds: mapping.MaximumRecordAgeInSeconds }
      : {}),
    ...(mapping.BisectBatchOnFunctionError !== undefined
      ? { bisectBatchOnFunctionError: mapping.BisectBatchOnFunctionError }
      : {}),
    ...(mapping.FunctionResponseTypes?.length ? { functionResponseTypes: mapping.FunctionResponseTypes } : {}),
    ...(mapping.DestinationConfig?.OnFailure?.Destination
      ? { onFailure: mapping.DestinationConfig.OnFailure.Destination }
      : {}),
    ...(patterns?.length ? { filterPatterns: patterns } : {}),
  };
}

/** The event source mappings that invoke the function (ListEventSourceMappings, every page). */
async function eventSourceMappings(lambda: LambdaClient, functionArn: string): Promise<FunctionTrigger[]> {
  const found: FunctionTrigger[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: functionArn, Marker: marker }));
    for (const mapping of page.EventSourceMappings ?? []) found.push(mappingTrigger(mapping));
    marker = page.NextMarker;
  } while (marker);
  return found;
}

/** Stack outputs that name event source mappings by id (`…EventSourceMappingId`). */
const MAPPING_ID_OUTPUT = /EventSourceMappingId$/;

/**
 * The function's event source mappings, read one by one (GetEventSourceMapping) from the ids the
 * stack outputs: a sandbox learner may not list the account's mappings (IAM cannot scope
 * ListEventSourceMappings to a resource), only get their own.
 */
async function mappingsById(
  lambda: LambdaClient,
  outputs: Readonly<Record<string, string>>,
  functionArn: string,
): Promise<FunctionTrigger[]> {
  const ids = Object.entries(outputs)
    .filter(([key]) => MAPPING_ID_OUTPUT.test(key))
    .flatMap(([, id]) => id.split(',').filter(Boolean));
  const found: FunctionTrigger[] = [];
  for (const id of ids) {
    const mapping = await lambda.send(new GetEventSourceMappingCommand({ UUID: id }));
    if (namesFunction(mapping.FunctionArn, functionArn)) found.push(mappingTrigger(mapping));
  }
  return found;
}

/**
 * ListEventSourceMappings, or, when it is refused, the mappings the scenario's stack outputs name
 * (each by id): the stack is what made them, and a sandbox learner can make none. A stream
 * scenario whose outputs name none (a stack deployed before they did) keeps the refusal, explained.
 */
async function functionMappings(
  lambda: LambdaClient,
  scenario: ScenarioId,
  outputs: Readonly<Record<string, string>>,
  functionArn: string,
): Promise<FunctionTrigger[]> {
  try {
    return await eventSourceMappings(lambda, functionArn);
  } catch (error) {
    const named = Object.keys(outputs).some((key) => MAPPING_ID_OUTPUT.test(key));
    const polled = SCENARIOS[scenario].trigger.kind === 'table-writes';
    if (!isAccessDenied(error) || (polled && !named)) throw error;
    return mappingsById(lambda, outputs, functionArn);
  }
}

/** The bucket's notifications that invoke the function (GetBucketNotificationConfiguration). */
async function bucketNotifications(s3: S3Client, bucket: string, functionArn: string): Promise<FunctionTrigger[]> {
  const configuration = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  return (configuration.LambdaFunctionConfigurations ?? [])
    .filter((notification) => namesFunction(notification.LambdaFunctionArn, functionArn))
    .map((notification) => ({
      kind: 's3-notification' as const,
      bucket,
      ...(notification.Id ? { id: notification.Id } : {}),
      events: notification.Events ?? [],
      filters: (notification.Filter?.Key?.FilterRules ?? []).map((rule) => ({
        name: String(rule.Name ?? '').toLowerCase(),
        value: rule.Value ?? '',
      })),
    }));
}

/** The HTTP API's routes whose integration invokes the function (GetRoutes, GetIntegrations). */
async function httpRoutes(api: ApiGatewayV2Client, id: string, functionArn: string): Promise<FunctionTrigger[]> {
  const integrations = new Map<string, { uri?: string; payload?: string; timeout?: number }>();
  let next: string | undefined;
  do {
    const page = await api.send(new GetIntegrationsCommand({ ApiId: id, NextToken: next }));
    for (const integration of page.Items ?? []) {
      if (integration.IntegrationId === undefined) continue;
      integrations.set(integration.IntegrationId, {
        ...(integration.IntegrationUri ? { uri: integration.IntegrationUri } : {}),
        ...(integration.PayloadFormatVersion ? { payload: integration.PayloadFormatVersion } : {}),
        ...(integration.TimeoutInMillis !== undefined ? { timeout: integration.TimeoutInMillis } : {}),
      });
    }
    next = page.NextToken;
  } while (next);
  const found: FunctionTrigger[] = [];
  next = undefined;
  do {
    const page: GetRoutesCommandOutput = await api.send(new GetRoutesCommand({ ApiId: id, NextToken: next }));
    for (const route of page.Items ?? []) {
      const integration = integrations.get(route.Target?.replace(/^integrations\//, '') ?? '');
      if (!integration || !namesFunction(integration.uri, functionArn)) continue;
      found.push({
        kind: 'http-route',
        apiId: id,
        routeKey: route.RouteKey ?? '',
        ...(route.AuthorizationType ? { authorizationType: route.AuthorizationType } : {}),
        ...(integration.payload ? { payloadFormatVersion: integration.payload } : {}),
        ...(integration.timeout !== undefined ? { timeoutInMillis: integration.timeout } : {}),
      });
    }
    next = page.NextToken;
  } while (next);
  return found.sort((a, b) =>
    a.kind === 'http-route' && b.kind === 'http-route' ? a.routeKey.localeCompare(b.routeKey) : 0,
  );
}

/** IAM answers policy documents URL-encoded (IAM API reference, GetRolePolicy). */
function decodePolicy(document: string | undefined): unknown {
  if (document === undefined) return undefined;
  let text = document;
  try {
    text = decodeURIComponent(document);
  } catch {
    // already plain
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The execution role's inline and attached managed policies, with their documents. */
async function executionRole(iam: IAMClient, roleArn: string): Promise<ExecutionRole> {
  const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const policies: RolePolicy[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker: marker }));
    for (const policyName of page.PolicyNames ?? []) {
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
      policies.push({ name: policyName, kind: 'inline', document: decodePolicy(policy.PolicyDocument) });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker }));
    for (const attached of page.AttachedPolicies ?? []) {
      if (!attached.PolicyArn) continue;
      const policy = await iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }));
      const version = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: policy.Policy?.DefaultVersionId }),
      );
      policies.push({
        name: attached.PolicyName ?? attached.PolicyArn,
        kind: 'managed',
        arn: attached.PolicyArn,
        document: decodePolicy(version.PolicyVersion?.Document),
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { arn: roleArn, name, policies };
}

/** The actions and resources of a statement, as lists. */
const listOf = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => String(item));

/** Whether an IAM action pattern (`lambda:InvokeFunction`, `lambda:Invoke*`, `*`) covers `action`. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  return regex.test(action);
}

/** Whether a statement allows lambda:InvokeFunction on the function (its ARN, `:*` qualifiers, or `*`). */
export function allowsInvoke(statement: unknown, functionArn: string): boolean {
  const s = (statement ?? {}) as Record<string, unknown>;
  if (s.Effect !== 'Allow') return false;
  if (!listOf(s.Action).some((action) => actionMatches(action, 'lambda:InvokeFunction'))) return false;
  return listOf(s.Resource).some((resource) => actionMatches(resource, functionArn));
}

/**
 * Who invokes the function directly with an identity pool's credentials: the pool's guest role
 * (GetRole for its trust policy; its inline policies' statements that allow invoking the function).
 */
async function identityPoolInvoke(
  iam: IAMClient,
  roleArn: string,
  identityPoolId: string | undefined,
  functionArn: string,
): Promise<FunctionTrigger[]> {
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const statements: { policy: string; statement: unknown }[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    for (const policyName of page.PolicyNames ?? []) {
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
      const document = decodePolicy(policy.PolicyDocument) as { Statement?: unknown } | undefined;
      const raw = document?.Statement;
      for (const statement of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
        if (allowsInvoke(statement, functionArn)) statements.push({ policy: policyName, statement });
      }
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const trustPolicy = decodePolicy(role.Role?.AssumeRolePolicyDocument);
  return [
    {
      kind: 'identity-pool-invoke',
      ...(identityPoolId ? { identityPoolId } : {}),
      roleArn,
      roleName,
      invocationType: 'RequestResponse',
      statements,
      ...(trustPolicy !== undefined ? { trustPolicy } : {}),
    },
  ];
}

/** The function's resource-based policy (GetPolicy); null when it has none (ResourceNotFoundException). */
async function resourcePolicy(lambda: LambdaClient, functionName: string): Promise<ResourcePolicy | null> {
  try {
    const answer = await lambda.send(new GetFunctionPolicyCommand({ FunctionName: functionName }));
    let document: unknown = answer.Policy;
    try {
      document = JSON.parse(answer.Policy ?? '');
    } catch {
      // keep the text
    }
    return { document, ...(answer.RevisionId ? { revisionId: answer.RevisionId } : {}) };
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return null;
    throw error;
  }
}

export interface ConfigOptions {
  readonly target: Target;
  readonly scenario: ScenarioId;
  /** Which of the scenario's functions (catalog order). @default 0 */
  readonly functionIndex?: number;
}

/** Everything the configuration view shows for one of the scenario's functions. */
export async function readFunctionConfig({
  target,
  scenario,
  functionIndex = 0,
}: ConfigOptions): Promise<FunctionConfigView> {
  const { functionName } = scenarioFunction(target, scenario, functionIndex);
  const config = clientConfig(target);
  const lambda = new LambdaClient(config);
  const s3 = new S3Client(config);
  const api = new ApiGatewayV2Client(config);
  const iam = new IAMClient(config);
  try {
    // GetFunction: the configuration and the reserved concurrency in one call (the learner's role has it).
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const configuration = fn.Configuration ?? {};
    const functionArn = configuration.FunctionArn ?? functionName;
    const roleArn = configuration.Role ?? '';
    const id = apiId(target, scenario);
    const outputs = scenarioOutputs(target, scenario);
    const guestRole = outputs[SCENARIOS[scenario].outputs.unauthenticatedRole ?? ''];
    const poolId = outputs[SCENARIOS[scenario].outputs.identityPool ?? ''];
    const lookups: Promise<Readable<FunctionTrigger[]>>[] = [
      readable(target, 'lambda:ListEventSourceMappings', 'listing the event source mappings', () =>
        functionMappings(lambda, scenario, outputs, functionArn),
      ),
      ...bucketNames(target, scenario).map((bucket) =>
        readable(target, 's3:GetBucketNotification', `reading the notification configuration of bucket ${bucket}`, () =>
          bucketNotifications(s3, bucket, functionArn),
        ),
      ),
      ...(id === undefined
        ? []
        : [
            readable(target, 'apigateway:GET', `reading the routes of HTTP API ${id}`, () =>
              httpRoutes(api, id, functionArn),
            ),
          ]),
      ...(guestRole === undefined
        ? []
        : [
            readable(
              target,
              'iam:GetRole',
              `reading who may invoke the function: the identity pool's guest role ${guestRole}`,
              () => identityPoolInvoke(iam, guestRole, poolId, functionArn),
            ),
          ]),
    ];
    const [role, policy, ...triggerLookups] = await Promise.all([
      readable(target, 'iam:ListRolePolicies', `reading the policies of the execution role ${roleArn}`, () =>
        executionRole(iam, roleArn),
      ),
      readable(target, 'lambda:GetPolicy', "reading the function's resource-based policy", () =>
        resourcePolicy(lambda, functionArn),
      ),
      ...lookups,
    ]);
    const found: FunctionTrigger[] = [];
    const unreadable: ConfigSectionError[] = [];
    for (const lookup of triggerLookups) {
      if (lookup.ok) found.push(...lookup.value);
      else unreadable.push(lookup.error);
    }
    const reserved = fn.Concurrency?.ReservedConcurrentExecutions;
    return {
      functionIndex,
      functionName: configuration.FunctionName ?? functionName,
      functionArn,
      ...(configuration.Runtime ? { runtime: configuration.Runtime } : {}),
      ...(configuration.Handler ? { handler: configuration.Handler } : {}),
      memorySize: configuration.MemorySize ?? 128,
      timeout: configuration.Timeout ?? 3,
      environment: configuration.Environment?.Variables ?? {},
      ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
      ...(configuration.LastUpdateStatus ? { lastUpdateStatus: configuration.LastUpdateStatus } : {}),
      ...(configuration.LastModified ? { lastModified: configuration.LastModified } : {}),
      roleArn,
      triggers: { found, unreadable },
      role: role as Readable<ExecutionRole>,
      resourcePolicy: policy as Readable<ResourcePolicy | null>,
    };
  } finally {
    for (const client of [lambda, s3, api, iam]) client.destroy();
  }
}

/** Validates a configuration change's body: types only; the values' limits are Lambda's to judge. */
export function parseConfigUpdate(
  body: Readonly<Record<string, unknown>>,
  scenario: ScenarioId,
): Required<Pick<ConfigUpdateRequest, 'functionIndex'>> & ConfigUpdateRequest {
  const functionIndex = functionIndexField(body, scenario);
  const number = (name: 'memorySize' | 'timeout', unit: string) => {
    const value = body[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`'${name}' must be a number (${unit}).`);
    return value;
  };
  const memorySize = number('memorySize', 'MB');
  const timeout = number('timeout', 'seconds');
  let environment: Record<string, string> | undefined;
  if (body.environment !== undefined) {
    const value = body.environment;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw badRequest("'environment' must be an object mapping variable names to their values (strings).");
    }
    environment = {};
    for (const [name, text] of Object.entries(value)) {
      if (typeof text !== 'string') throw badRequest(`'environment.${name}' must be a string.`);
      environment[name] = text;
    }
  }
  if (memorySize === undefined && timeout === undefined && environment === undefined) {
    throw badRequest("Nothing to change: send 'memorySize', 'timeout' or 'environment'.");
  }
  return {
    functionIndex,
    ...(memorySize !== undefined ? { memorySize } : {}),
    ...(timeout !== undefined ? { timeout } : {}),
    ...(environment !== undefined ? { environment } : {}),
  };
}

export interface UpdateConfigOptions extends ConfigOptions {
  readonly update: ConfigUpdateRequest;
  /** Lambda's LastUpdateStatus after the request and at each look while it applies the change. */
  readonly onStatus?: (lastUpdateStatus: string, elapsedMs: number) => void;
  /** First pause between looks, in ms (then doubling, up to 5 s). @default 1000 */
  readonly pollMs?: number;
}

/**
 * Changes memory, timeout and/or environment variables with UpdateFunctionConfiguration, waits
 * until LastUpdateStatus is Successful (reporting each look), and answers the new view. Lambda's
 * refusals (a value out of range, a reserved variable, an update in progress) are thrown as the
 * SDK throws them, with AWS's message; a Failed update is an HttpError with Lambda's reason.
 */
export async function updateFunctionConfig({
  target,
  scenario,
  functionIndex = 0,
  update,
  onStatus,
  pollMs = 1000,
}: UpdateConfigOptions): Promise<FunctionConfigView> {
  const { functionName } = scenarioFunction(target, scenario, functionIndex);
  const lambda = new LambdaClient(clientConfig(target));
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const answered = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        ...(update.memorySize !== undefined ? { MemorySize: update.memorySize } : {}),
        ...(update.timeout !== undefined ? { Timeout: update.timeout } : {}),
        ...(update.environment !== undefined ? { Environment: { Variables: { ...update.environment } } } : {}),
      }),
    );
    let status = answered.LastUpdateStatus ?? 'InProgress';
    let reason = answered.LastUpdateStatusReason;
    onStatus?.(status, elapsed());
    let pause = pollMs;
    while (status === 'InProgress') {
      if (elapsed() > UPDATE_WAIT_SECONDS * 1000) {
        throw new HttpError(
          504,
          'UpdateTimedOut',
          `Lambda was still applying the change to ${functionName} after ${UPDATE_WAIT_SECONDS} s (LastUpdateStatus InProgress).`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 5000);
      const now = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
      status = now.LastUpdateStatus ?? 'Successful';
      reason = now.LastUpdateStatusReason;
      onStatus?.(status, elapsed());
    }
    if (status === 'Failed') {
      throw new HttpError(
        502,
        'UpdateFailed',
        `Lambda could not apply the change to ${functionName} (LastUpdateStatus Failed)${reason ? `: ${reason}` : '.'}`,
      );
    }
  } finally {
    lambda.destroy();
  }
  return readFunctionConfig({ target, scenario, functionIndex });
}
