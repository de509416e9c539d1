// The flow diagram of a scenario, read from its synthesized CloudFormation template (cdk.out): the
// resources an event travels through and the arrows between them, each found in the template
// itself — a bucket notification, an event source mapping, an API integration, a role attachment,
// a policy statement. Pure functions of the template (plus the deployed names when known).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowEdge, FlowGraph, FlowNode, FlowNodeKind } from '../lib/workbench-api.ts';
import { LOCAL_ASSEMBLY_DIR } from './runtime.ts';

/** A CloudFormation template, as much of it as the diagram reads. */
export interface Template {
  readonly Resources?: Readonly<Record<string, TemplateResource>>;
  readonly Outputs?: Readonly<Record<string, { readonly Value?: unknown }>>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** The id of the node standing for whoever sends the events (the learner, the app). */
export const CLIENT_NODE = 'client';

const NODE_KINDS: Readonly<Record<string, FlowNodeKind>> = {
  'AWS::S3::Bucket': 'bucket',
  'AWS::DynamoDB::Table': 'table',
  'AWS::Kinesis::Stream': 'stream',
  'AWS::Lambda::Function': 'function',
  'AWS::ApiGatewayV2::Api': 'api',
  'AWS::Cognito::IdentityPool': 'identity-pool',
  'AWS::SQS::Queue': 'queue-or-topic',
  'AWS::SNS::Topic': 'queue-or-topic',
};

/** The logical id an intrinsic points at: `Ref`, `Fn::GetAtt`, or the first of those inside `Fn::Join`/`Fn::Sub`. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return record.Ref.startsWith('AWS::') ? undefined : record.Ref;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  const join = record['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    for (const part of join[1]) {
      const id = referencedId(part);
      if (id !== undefined) return id;
    }
  }
  return undefined;
}

/** The attribute a `Fn::GetAtt` (possibly inside a join) asks for, e.g. `StreamArn`. */
function referencedAttribute(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const getAtt = (value as Record<string, unknown>)['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[1] === 'string') return getAtt[1];
  return undefined;
}

const asArray = (value: unknown): readonly unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `PhotosBucket` → `Photos bucket`. */
function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/\s+/)
    .filter(Boolean);
  return words
    .map((word) => (word === 'Api' ? 'API' : word))
    .map((word, index) => (index === 0 || /^[A-Z0-9]{2,}$/.test(word) ? word : word.toLowerCase()))
    .join(' ');
}

/** Path segments CDK adds below a construct (`…/ThumbnailFunction/Function/Resource`). */
const INNER_SEGMENTS = new Set(['Resource', 'Default']);
const TYPE_SEGMENTS = new Set(['Function', 'Role']);

/** A label from the construct path (`Stack/Scenario/PhotosBucket/Resource` → `Photos bucket`), else the logical id. */
function labelOf(logicalId: string, resource: TemplateResource, kind: FlowNodeKind): string {
  const path = resource.Metadata?.['aws:cdk:path'];
  let name: string | undefined;
  if (typeof path === 'string') {
    const segments = path.split('/').slice(1);
    while (segments.length > 1 && INNER_SEGMENTS.has(segments.at(-1)!)) segments.pop();
    if (segments.length > 1 && TYPE_SEGMENTS.has(segments.at(-1)!)) segments.pop();
    name = segments.at(-1);
  }
  name ??= logicalId.replace(/[0-9A-F]{8}$/, '');
  if (kind === 'api' && name === 'Api') return 'HTTP API';
  return humanize(name);
}

/** Deployed names of a stack's resources, when known. */
export interface PhysicalNames {
  /** The stack's outputs (output key → value). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** Logical id → physical id, as the deployment recorded them. */
  readonly resources?: Readonly<Record<string, string>>;
}

/** Logical id → physical name, from the deployment's record or else from outputs that `Ref` a resource. */
function physicalNames(template: Template, names: PhysicalNames): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const value = names.outputs?.[key];
    const ref = output.Value as Record<string, unknown> | undefined;
    if (value !== undefined && typeof ref?.Ref === 'string') map.set(ref.Ref, value);
  }
  for (const [logicalId, physicalId] of Object.entries(names.resources ?? {})) map.set(logicalId, physicalId);
  return map;
}

/** Functions CDK adds to run custom resources (bucket notifications, auto-delete): not part of the scenario. */
function plumbing(resources: Readonly<Record<string, TemplateResource>>): Set<string> {
  const ids = new Set<string>();
  for (const resource of Object.values(resources)) {
    const token = resource.Properties?.ServiceToken;
    const id = referencedId(token);
    if (id !== undefined) ids.add(id);
  }
  for (const id of [...ids]) {
    const role = referencedId(resources[id]?.Properties?.Role);
    if (role !== undefined) ids.add(role);
  }
  return ids;
}

/** The statements of every policy attached to a role (its inline `Policies` and `AWS::IAM::Policy` resources). */
function roleStatements(
  resources: Readonly<Record<string, TemplateResource>>,
  roleId: string,
): readonly Record<string, unknown>[] {
  const documents: unknown[] = [];
  for (const policy of asArray(resources[roleId]?.Properties?.Policies)) {
    documents.push((policy as Record<string, unknown>)?.PolicyDocument);
  }
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = asArray(resource.Properties?.Roles).map(referencedId);
    if (roles.includes(roleId)) documents.push(resource.Properties?.PolicyDocument);
  }
  return documents.flatMap((document) =>
    asArray((document as Record<string, unknown> | undefined)?.Statement).filter(
      (statement): statement is Record<string, unknown> =>
        typeof statement === 'object' &&
        statement !== null &&
        (statement as Record<string, unknown>).Effect === 'Allow',
    ),
  );
}

type Access = 'reads' | 'writes' | 'invokes';

/** What an action (IAM wildcards allowed) lets a principal do to data; stream polling and logs are neither. */
function accessOf(action: string): readonly Access[] {
  const [service = '', name = ''] = action.split(':');
  if (action === '*' || name === '*') {
    return service === 'lambda' || action === '*' ? ['reads', 'writes', 'invokes'] : ['reads', 'writes'];
  }
  switch (service.toLowerCase()) {
    case 's3':
      if (/^(Put|Delete|Abort|Restore|Replicate)/.test(name)) return ['writes'];
      if (/^(Get|List|Head)/.test(name)) return ['reads'];
      return [];
    case 'dynamodb':
      if (/^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQLInsert|PartiQLUpdate|PartiQLDelete)/.test(name)) {
        return ['writes'];
      }
      if (/^(GetItem|BatchGetItem|Query|Scan|PartiQLSelect|ConditionCheckItem)/.test(name)) return ['reads'];
      return [];
    case 'kinesis':
      return /^PutRecords?$/.test(name) ? ['writes'] : [];
    case 'lambda':
      return name === 'InvokeFunction' ? ['invokes'] : [];
    default:
      return [];
  }
}

/** The execution role (logical id) of each scenario function (logical id). */
export function executionRoles(template: Template): ReadonlyMap<string, string> {
  const resources = template.Resources ?? {};
  const skip = plumbing(resources);
  const roles = new Map<string, string>();
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function' || skip.has(id)) continue;
    const role = referencedId(resource.Properties?.Role);
    if (role !== undefined) roles.set(role, id);
  }
  return roles;
}

/** `s3:ObjectCreated:*` → `ObjectCreated`. */
const eventLabel = (event: unknown) => String(event).replace(/^s3:/, '').replace(/:\*$/, '');

/**
 * The flow graph of a synthesized template: buckets, tables, streams, functions, HTTP APIs,
 * identity pools and the roles they hand out, plus the `client` sending the events; edges from
 * bucket notifications, event source mappings, API integrations, role attachments, the client's
 * entry points, and the functions' policies (what each function reads and writes).
 */
export function buildFlowGraph(template: Template, names: PhysicalNames = {}): FlowGraph {
  const resources = template.Resources ?? {};
  const skip = plumbing(resources);
  const physical = physicalNames(template, names);
  const nodes = new Map<string, FlowNode>();
  const edges = new Map<string, { from: string; to: string; labels: string[] }>();
  const addEdge = (from: string, to: string, label?: string) => {
    if (!nodes.has(from) || !nodes.has(to) || from === to) return;
    const key = `${from}>${to}`;
    const edge = edges.get(key) ?? { from, to, labels: [] };
    if (label !== undefined && !edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  };
  const addNode = (id: string, kind: FlowNodeKind, label: string) => {
    const resourceName = physical.get(id);
    nodes.set(id, { id, kind, label, ...(resourceName !== undefined ? { resourceName } : {}) });
  };

  const hasPool = Object.values(resources).some((resource) => resource.Type === 'AWS::Cognito::IdentityPool');
  addNode(CLIENT_NODE, 'client', hasPool ? 'Mobile app' : 'Client');
  for (const [id, resource] of Object.entries(resources)) {
    const kind = NODE_KINDS[resource.Type];
    if (kind === undefined || skip.has(id)) continue;
    addNode(id, kind, labelOf(id, resource, kind));
  }

  // Roles handed out by identity pools.
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Cognito::IdentityPoolRoleAttachment') continue;
    const pool = referencedId(resource.Properties?.IdentityPoolId);
    const roles = (resource.Properties?.Roles ?? {}) as Record<string, unknown>;
    for (const [which, value] of Object.entries(roles)) {
      const role = referencedId(value);
      const roleResource = role === undefined ? undefined : resources[role];
      if (role === undefined || roleResource === undefined || pool === undefined) continue;
      if (!nodes.has(role)) addNode(role, 'role', labelOf(role, roleResource, 'role'));
      addEdge(pool, role, `assumes (${which})`);
    }
  }

  // Entry points the client uses.
  for (const [id, node] of nodes) {
    if (node.kind === 'api') addEdge(CLIENT_NODE, id, 'HTTP request');
    if (node.kind === 'identity-pool') {
      // The basic flow (the pool allows it) hands the app a token it takes to STS; the enhanced flow, credentials.
      const classic = resources[id]?.Properties?.AllowClassicFlow === true;
      addEdge(CLIENT_NODE, id, classic ? 'GetId · GetOpenIdToken' : 'GetId · GetCredentialsForIdentity');
    }
  }

  // Bucket notifications (CDK's custom resource, or the bucket's own property).
  const notificationSources: [string | undefined, unknown][] = [];
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'Custom::S3BucketNotifications') {
      notificationSources.push([
        referencedId(resource.Properties?.BucketName),
        resource.Properties?.NotificationConfiguration,
      ]);
    } else if (resource.Type === 'AWS::S3::Bucket' && resource.Properties?.NotificationConfiguration) {
      notificationSources.push([id, resource.Properties.NotificationConfiguration]);
    }
  }
  for (const [bucket, configuration] of notificationSources) {
    if (bucket === undefined) continue;
    const byFunction = new Map<string, { events: Set<string>; filters: string[] }>();
    const lambdaConfigs = asArray((configuration as Record<string, unknown> | undefined)?.LambdaFunctionConfigurations);
    for (const config of lambdaConfigs as Record<string, unknown>[]) {
      const fn = referencedId(config.LambdaFunctionArn ?? config.Function);
      if (fn === undefined) continue;
      const entry = byFunction.get(fn) ?? { events: new Set<string>(), filters: [] };
      for (const event of asArray(config.Events ?? config.Event)) entry.events.add(eventLabel(event));
      const rules = asArray(
        ((config.Filter as Record<string, unknown> | undefined)?.Key as Record<string, unknown> | undefined)
          ?.FilterRules ??
          (((config.Filter as Record<string, unknown> | undefined)?.S3Key as Record<string, unknown> | undefined)
            ?.Rules as unknown),
      ) as Record<string, unknown>[];
      const filter = rules.map((rule) => `${String(rule.Value)}`).join(' ');
      if (filter !== '') entry.filters.push(filter);
      byFunction.set(fn, entry);
    }
    for (const [fn, entry] of byFunction) {
      const events = [...entry.events].join(', ');
      addEdge(bucket, fn, entry.filters.length > 0 ? `${events} (${entry.filters.join(', ')})` : events);
      addEdge(CLIENT_NODE, bucket, 'PutObject');
    }
  }

  // Event source mappings: a table's stream or a Kinesis stream, polled for a function.
  const onFailure = new Set<string>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const props = resource.Properties ?? {};
    const source = referencedId(props.EventSourceArn);
    const fn = referencedId(props.FunctionName);
    if (source === undefined || fn === undefined) continue;
    const batch = typeof props.BatchSize === 'number' ? props.BatchSize : 100;
    const fromTableStream = referencedAttribute(props.EventSourceArn) === 'StreamArn';
    addEdge(source, fn, `${fromTableStream ? 'stream · ' : ''}polls (batch ≤ ${batch})`);
    const sourceKind = nodes.get(source)?.kind;
    if (sourceKind === 'table') addEdge(CLIENT_NODE, source, 'PutItem · DeleteItem');
    if (sourceKind === 'stream') addEdge(CLIENT_NODE, source, 'PutRecord');
    const destination = referencedId(
      (
        (props.DestinationConfig as Record<string, unknown> | undefined)?.OnFailure as
          | Record<string, unknown>
          | undefined
      )?.Destination,
    );
    if (destination !== undefined && nodes.has(destination)) {
      addEdge(fn, destination, 'on-failure records');
      onFailure.add(`${fn}>${destination}`);
    }
  }

  // HTTP API routes → integrations → functions.
  const routesByIntegration = new Map<string, string[]>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const integration = referencedId(resource.Properties?.Target);
    const routeKey = resource.Properties?.RouteKey;
    if (integration === undefined || typeof routeKey !== 'string') continue;
    routesByIntegration.set(integration, [...(routesByIntegration.get(integration) ?? []), routeKey]);
  }
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Integration') continue;
    const api = referencedId(resource.Properties?.ApiId);
    const fn = referencedId(resource.Properties?.IntegrationUri);
    if (api === undefined || fn === undefined) continue;
    const routes = routesByIntegration.get(id) ?? [];
    for (const route of routes) addEdge(api, fn, route);
    if (routes.length === 0) addEdge(api, fn, 'proxy');
  }

  // What each function may read and write (its execution role's policies), and what a pool role may invoke.
  const principals: [string, string, boolean][] = [];
  for (const [id, node] of nodes) {
    if (node.kind === 'function') {
      const role = referencedId(resources[id]?.Properties?.Role);
      if (role !== undefined) principals.push([id, role, false]);
    }
    if (node.kind === 'role') principals.push([id, id, true]);
  }
  for (const [from, role, poolRole] of principals) {
    const access = new Map<string, Set<Access>>();
    for (const statement of roleStatements(resources, role)) {
      const actions = asArray(statement.Action).filter((action): action is string => typeof action === 'string');
      for (const target of asArray(statement.Resource).map(referencedId)) {
        if (target === undefined || !nodes.has(target) || target === from) continue;
        for (const action of actions) {
          const kinds = accessOf(action);
          if (kinds.length === 0) continue;
          const set = access.get(target) ?? new Set<Access>();
          for (const kind of kinds) set.add(kind);
          access.set(target, set);
        }
      }
    }
    for (const [target, kinds] of access) {
      if (onFailure.has(`${from}>${target}`)) continue;
      if (poolRole && kinds.has('invokes')) {
        // The app calls the function itself, with the role's credentials.
        addEdge(CLIENT_NODE, target, 'Invoke (RequestResponse)');
        continue;
      }
      const label = (['reads', 'writes', 'invokes'] as const).filter((kind) => kinds.has(kind)).join(', ');
      addEdge(from, target, label);
    }
  }

  // Nodes nothing points to or from (besides the client) stay: they are in the stack.
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()].map(
      ({ from, to, labels }): FlowEdge => (labels.length > 0 ? { from, to, label: labels.join(' · ') } : { from, to }),
    ),
  };
}

/**
 * Reads `<stack>.template.json` from the local workbook's assembly (what `npm start` deployed), else
 * from cdk.out (`npm run synth`); undefined when neither holds the stack.
 */
export function readTemplate(root: string, stack: string): { template: Template; mtimeMs: number } | undefined {
  for (const dir of [LOCAL_ASSEMBLY_DIR, 'cdk.out']) {
    const file = join(root, dir, `${stack}.template.json`);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat !== undefined) {
      return { template: JSON.parse(readFileSync(file, 'utf8')) as Template, mtimeMs: stat.mtimeMs };
    }
  }
  return undefined;
}
