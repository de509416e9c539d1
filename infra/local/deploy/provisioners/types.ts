import type { AwsClients } from '../clients.ts';
import type { NameOptions } from '../names.ts';
import type { DeployedResource } from '../state.ts';

export interface ProvisionContext {
  readonly clients: AwsClients;
  readonly stackName: string;
  readonly logicalId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Asset object key (`<hash>.zip`) → directory in the cloud assembly. */
  readonly assets: ReadonlyMap<string, string>;
  /** The resource as last deployed, when this is an update. */
  readonly previous: DeployedResource | undefined;
  /** A CloudFormation-style generated name, the same one on every redeploy. */
  physicalName(options?: NameOptions): string;
  /** A progress/trace line about this resource (e.g. a property dropped locally). */
  log(message: string): void;
}

export interface ProvisionResult {
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** One resource type: create or update in place (`apply`), and delete where it is cheap. */
export interface Provisioner {
  apply(properties: Record<string, unknown>, context: ProvisionContext): Promise<ProvisionResult>;
  /** Whether the deployed resource still exists (a fresh in-memory cloud has none). */
  exists?(deployed: DeployedResource, context: ProvisionContext): Promise<boolean>;
  delete?(deployed: DeployedResource, context: ProvisionContext): Promise<void>;
  /** Current attributes of an unchanged resource, when they can change without it (an endpoint's port). */
  refresh?(deployed: DeployedResource, context: ProvisionContext): Promise<Readonly<Record<string, unknown>>>;
}

export function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? '';
}

/** CloudFormation's `[{Key, Value}]` tags as a map. */
export function tagMap(tags: unknown): Record<string, string> | undefined {
  if (Array.isArray(tags)) {
    return Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, tag.Value]));
  }
  return tags as Record<string, string> | undefined;
}

export async function exists(probe: () => Promise<unknown>, notFound: readonly string[]): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (error) {
    if (notFound.includes(errorName(error))) return false;
    throw error;
  }
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
