// The project's own flow, shared by `npm run deploy:local` and `npm start`: synthesize cdk.out when
// the CDK sources changed, then deploy every stack with a progress line per resource.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployCloudAssembly, destroyStack, type ResourceEvent, type StackDeployment } from './deploy.ts';
import { type DeploymentStateStore, fileStateStore, memoryStateStore } from './state.ts';
import { assemblyIsStale, synthesize } from './synth.ts';
import { loadCloudAssembly } from './template.ts';

/** Remembers the CDK context of the last synth, so a different context (class mode) re-synthesizes. */
const CONTEXT_STAMP = 'local-synth-context.json';

export interface DeployProjectOptions {
  readonly root: string;
  readonly endpoint: string;
  /** The local cloud's admin keys (`cloud.adminCredentials`, or its data directory's admin-keys.json). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Where the deployment state lives (`<dataDir>/deployments/<stack>.json`); none keeps it in memory. */
  readonly dataDir?: string;
  /** @default `<root>/cdk.out` */
  readonly assemblyDir?: string;
  /** CDK context, e.g. `{ learners: 'ada,grace' }` for the class sandbox stacks. */
  readonly context?: Readonly<Record<string, string>>;
  /** Synthesize even when cdk.out looks up to date. @default false */
  readonly forceSynth?: boolean;
  readonly stacks?: readonly string[];
  /** Where progress lines go. @default console.log */
  readonly print?: (line: string) => void;
  /** Reuse a state store across calls (in-memory clouds). */
  readonly state?: DeploymentStateStore;
  /**
   * `all`: a line per resource; `changes`: lines for created/updated/deleted resources only, the
   * skipped types summed up by name (for `npm start`). @default 'all'
   */
  readonly detail?: 'all' | 'changes';
}

export interface ProjectDeployment {
  readonly synthesized: boolean;
  readonly synthMs: number;
  readonly deployMs: number;
  readonly stacks: readonly StackDeployment[];
}

function contextChanged(assemblyDir: string, context: Readonly<Record<string, string>>): boolean {
  const stamp = join(assemblyDir, CONTEXT_STAMP);
  const previous = existsSync(stamp) ? readFileSync(stamp, 'utf8') : JSON.stringify({});
  return previous !== JSON.stringify(context);
}

const STATUS_MARK: Record<ResourceEvent['status'], string> = {
  created: '+',
  updated: '~',
  unchanged: '=',
  skipped: '-',
  deleted: 'x',
};

/** One progress line per resource (plus its notes), for a terminal. */
export function formatResourceEvent(event: ResourceEvent): string {
  const head = `  ${STATUS_MARK[event.status]} ${event.status.padEnd(9)} ${event.stackName} ${event.logicalId} (${event.type})`;
  const lines = [
    event.physicalId !== undefined && event.status !== 'unchanged' ? `${head} → ${event.physicalId}` : head,
  ];
  if (event.reason !== undefined) lines.push(`      skipped: ${event.reason}`);
  for (const note of event.notes ?? []) lines.push(`      note: ${note}`);
  return lines.join('\n');
}

export function formatOutputs(stacks: readonly StackDeployment[]): string {
  const lines: string[] = [];
  for (const stack of stacks) {
    lines.push(`  ${stack.stackName}`);
    for (const [name, value] of Object.entries(stack.outputs)) lines.push(`    ${name.padEnd(26)} ${value}`);
  }
  return lines.join('\n');
}

/**
 * Synthesizes the CDK app into `assemblyDir` when its sources changed since the last synth there,
 * or the context differs from that synth's (or `forceSynth`).
 */
export async function synthesizeIfStale({
  root,
  assemblyDir,
  context = {},
  forceSynth = false,
  print = console.log,
}: {
  readonly root: string;
  readonly assemblyDir: string;
  readonly context?: Readonly<Record<string, string>>;
  readonly forceSynth?: boolean;
  readonly print?: (line: string) => void;
}): Promise<{ synthesized: boolean; synthMs: number }> {
  const stale = forceSynth || assemblyIsStale(root, assemblyDir) || contextChanged(assemblyDir, context);
  if (!stale) return { synthesized: false, synthMs: 0 };
  print('Synthesizing the CDK app (its sources changed since the last synth)…');
  const started = performance.now();
  await synthesize(root, assemblyDir, { context, stdio: 'pipe' });
  writeFileSync(join(assemblyDir, CONTEXT_STAMP), JSON.stringify(context));
  const synthMs = performance.now() - started;
  print(`  synthesized in ${(synthMs / 1000).toFixed(1)} s`);
  return { synthesized: true, synthMs };
}

/** Synthesizes when stale, deploys every stack, prints progress and returns what happened. */
export async function deployProject({
  root,
  endpoint,
  credentials,
  dataDir,
  assemblyDir = join(root, 'cdk.out'),
  context = {},
  forceSynth = false,
  stacks,
  print = console.log,
  state = dataDir === undefined ? memoryStateStore() : fileStateStore(dataDir),
  detail = 'all',
}: DeployProjectOptions): Promise<ProjectDeployment> {
  const { synthesized: stale, synthMs } = await synthesizeIfStale({ root, assemblyDir, context, forceSynth, print });
  print(`Deploying ${assemblyDir} to ${endpoint}…`);
  const started = performance.now();
  const deployed = await deployCloudAssembly(assemblyDir, {
    endpoint,
    credentials,
    state,
    stacks,
    onResource: (event) => {
      if (detail === 'all' || (event.status !== 'unchanged' && event.status !== 'skipped')) {
        print(formatResourceEvent(event));
      }
    },
  });
  const deployMs = performance.now() - started;
  const count = (status: ResourceEvent['status']) =>
    deployed.flatMap((stack) => stack.resources).filter((event) => event.status === status).length;
  print(
    `Deployed ${deployed.length} stacks in ${(deployMs / 1000).toFixed(1)} s: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${count('skipped')} skipped (not modelled locally), ${count('deleted')} deleted.`,
  );
  if (detail === 'changes' && count('skipped') > 0) {
    const skipped = new Map<string, number>();
    for (const event of deployed.flatMap((stack) => stack.skipped)) {
      skipped.set(event.type, (skipped.get(event.type) ?? 0) + 1);
    }
    const list = [...skipped].map(([type, n]) => `${type} ×${n}`).join(', ');
    print(`  not modelled locally (skipped): ${list} — 'npm run deploy:local' lists each with the reason`);
  }
  print(`Stack outputs:\n${formatOutputs(deployed)}`);
  return { synthesized: stale, synthMs, deployMs, stacks: deployed };
}

/** Deletes the assembly's stacks from the local cloud, dependents first (like `cdk destroy --all`). */
export async function destroyProject({
  root,
  endpoint,
  credentials,
  dataDir,
  assemblyDir = join(root, 'cdk.out'),
  stacks,
  print = console.log,
  state = dataDir === undefined ? memoryStateStore() : fileStateStore(dataDir),
}: Omit<DeployProjectOptions, 'context' | 'forceSynth' | 'detail'>): Promise<void> {
  const names = loadCloudAssembly(assemblyDir)
    .map((stack) => stack.stackName)
    .filter((name) => stacks === undefined || stacks.includes(name))
    .reverse();
  for (const name of names) {
    const events = await destroyStack(name, {
      endpoint,
      credentials,
      state,
      onResource: (event) => print(formatResourceEvent(event)),
    });
    print(events.length === 0 ? `  ${name}: not deployed` : `  ${name}: destroyed`);
  }
}
