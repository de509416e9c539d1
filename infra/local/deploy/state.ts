// What a stack deployment created: logical id → physical id, attributes and the resolved
// properties' hash, so a redeploy updates in place and keeps generated names stable.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DeployedResource {
  readonly type: string;
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Hash of the resolved properties the resource was last deployed with. */
  readonly propertiesHash: string;
  /** The random part of the names generated for the resource (stable across redeploys). */
  readonly nameSuffix?: string;
  readonly skipped?: string;
}

export interface StackState {
  readonly stackName: string;
  readonly resources: Record<string, DeployedResource>;
  outputs: Record<string, string>;
}

export interface DeploymentStateStore {
  load(stackName: string): StackState | undefined;
  save(state: StackState): void;
  remove(stackName: string): void;
}

/** `<dataDir>/deployments/<stack>.json`, written atomically. */
export function fileStateStore(dataDir: string): DeploymentStateStore {
  const path = (stackName: string) => join(dataDir, 'deployments', `${stackName}.json`);
  return {
    load(stackName) {
      try {
        return JSON.parse(readFileSync(path(stackName), 'utf8')) as StackState;
      } catch {
        return undefined;
      }
    },
    save(state) {
      const file = path(state.stackName);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    },
    remove(stackName) {
      rmSync(path(stackName), { force: true });
    },
  };
}

/** For an in-memory local cloud: nothing survives the process. */
export function memoryStateStore(): DeploymentStateStore {
  const states = new Map<string, StackState>();
  return {
    load: (stackName) => structuredClone(states.get(stackName)),
    save: (state) => void states.set(state.stackName, structuredClone(state)),
    remove: (stackName) => void states.delete(stackName),
  };
}
