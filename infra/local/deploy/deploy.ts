// Deploys the stacks of a CDK cloud assembly into the local cloud through its AWS APIs, the way
// CloudFormation would: resources in dependency order, intrinsics resolved, generated names kept
// stable across redeploys, updates in place, stack outputs resolved.
import { createHash } from 'node:crypto';
import { ACCOUNT_ID, DEFAULT_REGION } from '../edge/types.ts';
import { type AwsClients, createClients } from './clients.ts';
import { dependenciesOf, deploymentOrder } from './graph.ts';
import {
  evaluateConditions,
  type PseudoParameters,
  type ResolveContext,
  resolve,
  TemplateError,
} from './intrinsics.ts';
import { generatePhysicalName, type NameOptions, randomSuffix } from './names.ts';
import { NATIVE_CUSTOM_RESOURCES, PROVISIONERS, SKIPPED_TYPES } from './provisioners/index.ts';
import type { ProvisionContext } from './provisioners/types.ts';
import type { DeployedResource, DeploymentStateStore, StackState } from './state.ts';
import { loadCloudAssembly, type StackArtifact, type Template } from './template.ts';

export type ResourceStatus = 'created' | 'updated' | 'unchanged' | 'skipped' | 'deleted';

export interface ResourceEvent {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly status: ResourceStatus;
  readonly physicalId?: string;
  /** Why a resource was skipped, or a note about what was dropped locally. */
  readonly reason?: string;
  readonly notes?: readonly string[];
}

export interface StackDeployment {
  readonly stackName: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** Outputs with an `Export`, by export name. */
  readonly exports: Readonly<Record<string, string>>;
  readonly resources: readonly ResourceEvent[];
  /** `skipped: not modelled locally` entries, for a clear report. */
  readonly skipped: readonly ResourceEvent[];
}

export interface DeployOptions {
  /** The local cloud's endpoint, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly state: DeploymentStateStore;
  readonly region?: string;
  /** The local cloud's admin keys (`cloud.adminCredentials`). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Called once per resource as it is deployed (progress lines). */
  readonly onResource?: (event: ResourceEvent) => void;
  /** Outputs exported by stacks deployed before (`Export.Name` → value), for `Fn::ImportValue`. */
  readonly exports?: Map<string, string>;
}

export class DeployError extends Error {
  override name = 'DeployError';
}

/** Resource types in a template that the deployer does not know, sorted. */
export function unknownResourceTypes(template: Template): string[] {
  const types = new Set(Object.values(template.Resources).map((resource) => resource.Type));
  return [...types].filter((type) => PROVISIONERS[type] === undefined && SKIPPED_TYPES[type] === undefined).sort();
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

/** Attributes of skipped resources, named as CloudFormation would name them. */
function skippedAttributes(type: string, name: string, pseudo: PseudoParameters): Record<string, unknown> {
  const { partition, region, accountId } = pseudo;
  switch (type) {
    case 'AWS::Logs::LogGroup':
      return { Arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*` };
    case 'AWS::Lambda::LayerVersion':
      return { LayerVersionArn: `arn:${partition}:lambda:${region}:${accountId}:layer:${name}:1` };
    case 'AWS::Lambda::Function':
      return { Arn: `arn:${partition}:lambda:${region}:${accountId}:function:${name}` };
    case 'AWS::IAM::Group':
      return { Arn: `arn:${partition}:iam::${accountId}:group/${name}` };
    case 'AWS::IAM::User':
      return { Arn: `arn:${partition}:iam::${accountId}:user/${name}` };
    default:
      return {};
  }
}

function skippedPhysicalId(type: string, name: string, attributes: Record<string, unknown>): string {
  return type === 'AWS::Lambda::LayerVersion' ? String(attributes.LayerVersionArn) : name;
}

/** Deploys one stack; returns its outputs and what happened to each resource. */
export async function deployStack(
  stack: StackArtifact,
  { endpoint, state, region = DEFAULT_REGION, credentials, onResource, exports = new Map() }: DeployOptions,
  clients: AwsClients = createClients({
    endpoint,
    region,
    credentials,
  }),
): Promise<StackDeployment> {
  const { stackName, template } = stack;
  if (template.Transform !== undefined) {
    throw new DeployError(
      `Stack ${stackName} uses Transform ${JSON.stringify(template.Transform)}: macros (and SAM) are not expanded locally.`,
    );
  }
  const unknown = unknownResourceTypes(template);
  if (unknown.length > 0) {
    throw new DeployError(
      `Stack ${stackName} uses resource types the local cloud does not deploy: ${unknown.join(', ')}. ` +
        'Nothing was deployed. Add a provisioner in infra/local/deploy/provisioners/ or remove them from the stack.',
    );
  }
  const pseudo: PseudoParameters = {
    region,
    accountId: ACCOUNT_ID,
    partition: 'aws',
    stackName,
    stackId: `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${stackName}/local`,
    urlSuffix: 'amazonaws.com',
  };
  // Parameters take their defaults. SSM-typed ones (CDK's BootstrapVersion) are given as their
  // default: there is no SSM locally. Rules (CheckBootstrapVersion) are not evaluated locally.
  const parameters = Object.fromEntries(
    Object.entries(template.Parameters ?? {}).map(([name, parameter]) => [name, parameter.Default]),
  );
  const previousState = state.load(stackName);
  const current: StackState = { stackName, resources: {}, outputs: {} };
  const lookup = (logicalId: string): DeployedResource => {
    const deployed = current.resources[logicalId];
    if (deployed === undefined) {
      if (template.Resources[logicalId] === undefined) {
        throw new TemplateError(`Unresolved reference to '${logicalId}': no such resource or parameter.`);
      }
      throw new TemplateError(`'${logicalId}' is referenced before it is deployed (or its condition is false).`);
    }
    return deployed;
  };
  const base = {
    pseudo,
    parameters,
    importValue: (name: string) => exports.get(name),
    ref: (logicalId: string) => lookup(logicalId).physicalId,
    getAtt: (logicalId: string, attribute: string) => {
      const value = lookup(logicalId).attributes[attribute];
      if (value === undefined) {
        throw new TemplateError(
          `Fn::GetAtt ${logicalId}.${attribute}: ${lookup(logicalId).type} has no attribute '${attribute}' locally.`,
        );
      }
      return value;
    },
  };
  const conditions = evaluateConditions(template.Conditions ?? {}, base);
  const context: ResolveContext = { ...base, conditions };

  // Functions that only serve natively implemented custom resources are not deployed.
  const nativeProviders = new Map<string, string>();
  for (const resource of Object.values(template.Resources)) {
    if (!NATIVE_CUSTOM_RESOURCES.has(resource.Type)) continue;
    const token = resource.Properties?.ServiceToken as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const provider = token?.['Fn::GetAtt']?.[0];
    if (provider !== undefined) nativeProviders.set(provider, resource.Type);
  }

  const ids = new Set(Object.keys(template.Resources));
  const recreated = new Set<string>();
  const events: ResourceEvent[] = [];
  const emit = (event: ResourceEvent) => {
    events.push(event);
    onResource?.(event);
  };
  const save = () => state.save({ ...current, resources: { ...previousState?.resources, ...current.resources } });

  for (const logicalId of deploymentOrder(template.Resources)) {
    const resource = template.Resources[logicalId]!;
    if (resource.Condition !== undefined && conditions[resource.Condition] !== true) continue;
    const previous = previousState?.resources[logicalId];
    const reuse = previous?.type === resource.Type ? previous : undefined;
    // The random part of generated names is kept in the state, so names survive redeploys.
    const nameSuffix = reuse?.nameSuffix ?? randomSuffix();
    const nameFor = (options: NameOptions = {}) =>
      generatePhysicalName(stackName, logicalId, { ...options, suffix: nameSuffix });

    const skipReason =
      SKIPPED_TYPES[resource.Type] ??
      (nativeProviders.has(logicalId)
        ? `provider of ${nativeProviders.get(logicalId)}, which the local deployer implements natively`
        : undefined);
    if (skipReason !== undefined) {
      const name = nameFor();
      const attributes = skippedAttributes(resource.Type, name, pseudo);
      current.resources[logicalId] = {
        type: resource.Type,
        physicalId: skippedPhysicalId(resource.Type, name, attributes),
        attributes,
        propertiesHash: '',
        nameSuffix,
        skipped: skipReason,
      };
      emit({
        stackName,
        logicalId,
        type: resource.Type,
        status: 'skipped',
        reason: `not modelled locally: ${skipReason}`,
      });
      continue;
    }

    const provisioner = PROVISIONERS[resource.Type]!;
    // Every failure names the resource it happened to; what was deployed so far is kept.
    const step = async <T>(work: () => T | Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        save();
        throw new DeployError(`${stackName}/${logicalId} (${resource.Type}): ${(error as Error).message}`, {
          cause: error,
        });
      }
    };
    const properties = await step(() => resolve(resource.Properties ?? {}, context) as Record<string, unknown>);
    const propertiesHash = hash(properties);
    const notes: string[] = [];
    const provisionContext: ProvisionContext = {
      clients,
      stackName,
      logicalId,
      region,
      accountId: ACCOUNT_ID,
      partition: pseudo.partition,
      assets: stack.assets,
      previous: reuse,
      physicalName: nameFor,
      log: (message) => void notes.push(message),
    };
    // A resource whose dependency was (re)created is applied again even when its properties look the
    // same: e.g. a fresh in-memory cloud recreated the role an inline policy belongs to.
    const dependencyRecreated = dependenciesOf(resource, ids).some((id) => recreated.has(id));
    const stillExists =
      reuse !== undefined &&
      (provisioner.exists === undefined || (await step(() => provisioner.exists!(reuse, provisionContext))));
    if (stillExists && reuse.propertiesHash === propertiesHash && !dependencyRecreated) {
      const { refresh } = provisioner;
      current.resources[logicalId] =
        refresh === undefined ? reuse : { ...reuse, attributes: await step(() => refresh(reuse, provisionContext)) };
      emit({ stackName, logicalId, type: resource.Type, status: 'unchanged', physicalId: reuse.physicalId });
      continue;
    }
    const result = await step(() => provisioner.apply(properties, provisionContext));
    current.resources[logicalId] = {
      type: resource.Type,
      physicalId: result.physicalId,
      attributes: result.attributes,
      propertiesHash,
      nameSuffix,
    };
    if (!stillExists || reuse?.physicalId !== result.physicalId) recreated.add(logicalId);
    save();
    emit({
      stackName,
      logicalId,
      type: resource.Type,
      status: stillExists ? 'updated' : 'created',
      physicalId: result.physicalId,
      ...(notes.length > 0 ? { notes } : {}),
    });
  }

  // Resources removed from the template are deleted (newest first), where the type can.
  const removed = Object.entries(previousState?.resources ?? {}).filter(
    ([logicalId]) => current.resources[logicalId] === undefined,
  );
  await deleteResources(removed, { clients, stackName, region, assets: stack.assets, emit });

  const exported: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && conditions[output.Condition] !== true) continue;
    current.outputs[name] = String(resolve(output.Value, context));
    if (output.Export !== undefined) {
      const exportName = String(resolve(output.Export.Name, context));
      exported[exportName] = current.outputs[name];
      exports.set(exportName, current.outputs[name]);
    }
  }
  state.save(current);
  return {
    stackName,
    outputs: current.outputs,
    exports: exported,
    resources: events,
    skipped: events.filter((event) => event.status === 'skipped'),
  };
}

/** Deletes deployed resources, last deployed first (dependents before what they depend on). */
async function deleteResources(
  resources: readonly (readonly [string, DeployedResource])[],
  {
    clients,
    stackName,
    region,
    assets,
    emit,
  }: {
    clients: AwsClients;
    stackName: string;
    region: string;
    assets: ReadonlyMap<string, string>;
    emit: (event: ResourceEvent) => void;
  },
): Promise<void> {
  for (const [logicalId, deployed] of [...resources].reverse()) {
    const provisioner = PROVISIONERS[deployed.type];
    // Resources that were not modelled locally have nothing to delete.
    if (deployed.skipped !== undefined) continue;
    let reason: string | undefined;
    if (provisioner?.delete === undefined) {
      reason = `the local deployer does not delete ${deployed.type}`;
    } else {
      try {
        await provisioner.delete(deployed, {
          clients,
          stackName,
          logicalId,
          region,
          accountId: ACCOUNT_ID,
          partition: 'aws',
          assets,
          previous: deployed,
          physicalName: () => deployed.physicalId,
          log: () => undefined,
        });
      } catch (error) {
        // Already gone (a restarted in-memory cloud) is as good as deleted.
        if (!/NotFound|NoSuch/.test((error as Error).name ?? '')) {
          throw new DeployError(
            `${stackName}/${logicalId} (${deployed.type}): delete failed: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        }
      }
    }
    emit({
      stackName,
      logicalId,
      type: deployed.type,
      status: 'deleted',
      physicalId: deployed.physicalId,
      ...(reason !== undefined ? { notes: [`nothing to delete: ${reason}`] } : {}),
    });
  }
}

export interface DestroyOptions {
  readonly endpoint: string;
  readonly state: DeploymentStateStore;
  readonly region?: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly onResource?: (event: ResourceEvent) => void;
}

/** Deletes every resource of a deployed stack (like `cdk destroy`) and forgets its state. */
export async function destroyStack(
  stackName: string,
  { endpoint, state, region = DEFAULT_REGION, credentials, onResource }: DestroyOptions,
): Promise<ResourceEvent[]> {
  const deployed = state.load(stackName);
  if (deployed === undefined) return [];
  const clients = createClients({
    endpoint,
    region,
    credentials,
  });
  const events: ResourceEvent[] = [];
  try {
    await deleteResources(Object.entries(deployed.resources), {
      clients,
      stackName,
      region,
      assets: new Map(),
      emit: (event) => {
        events.push(event);
        onResource?.(event);
      },
    });
  } finally {
    clients.destroy();
  }
  state.remove(stackName);
  return events;
}

export interface AssemblyDeployOptions extends DeployOptions {
  /** Deploy only these stacks (by name). @default every stack */
  readonly stacks?: readonly string[];
}

/** Deploys every stack of a cloud assembly (cdk.out), dependencies first. */
export async function deployCloudAssembly(
  assemblyDir: string,
  options: AssemblyDeployOptions,
): Promise<StackDeployment[]> {
  const all = loadCloudAssembly(assemblyDir);
  const missing = (options.stacks ?? []).filter((name) => !all.some((stack) => stack.stackName === name));
  if (missing.length > 0) {
    throw new DeployError(
      `No stack named ${missing.join(', ')} in ${assemblyDir}. Its stacks: ${all.map((s) => s.stackName).join(', ')}.`,
    );
  }
  const stacks = all.filter((stack) => options.stacks === undefined || options.stacks.includes(stack.stackName));
  // Refuse before touching anything when any stack has unknown types.
  const unknown = stacks.flatMap((stack) =>
    unknownResourceTypes(stack.template).map((type) => `${type} (in ${stack.stackName})`),
  );
  if (unknown.length > 0) {
    throw new DeployError(
      `The cloud assembly uses resource types the local cloud does not deploy: ${unknown.join(', ')}. Nothing was deployed.`,
    );
  }
  const clients = createClients({
    endpoint: options.endpoint,
    region: options.region ?? DEFAULT_REGION,
    credentials: options.credentials,
  });
  try {
    const results: StackDeployment[] = [];
    const exports = new Map(options.exports ?? []);
    for (const stack of stacks) results.push(await deployStack(stack, { ...options, exports }, clients));
    return results;
  } finally {
    clients.destroy();
  }
}
