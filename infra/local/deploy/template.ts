// Reads a CDK cloud assembly (cdk.out): the manifest, each stack's template and its file assets.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateOutput {
  readonly Value: unknown;
  readonly Description?: string;
  readonly Condition?: string;
  readonly Export?: { readonly Name: unknown };
}

export interface TemplateParameter {
  readonly Type: string;
  readonly Default?: unknown;
  readonly Description?: string;
}

export interface Template {
  readonly Description?: string;
  readonly Transform?: unknown;
  readonly Parameters?: Record<string, TemplateParameter>;
  readonly Conditions?: Record<string, unknown>;
  readonly Rules?: Record<string, unknown>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, TemplateOutput>;
}

export interface StackArtifact {
  readonly stackName: string;
  readonly templateFile: string;
  readonly template: Template;
  /** Names of the stacks this one depends on (manifest `dependencies` that are stacks). */
  readonly dependsOn: readonly string[];
  /** Asset object keys (`<hash>.zip`) → absolute directory (or file) in the assembly. */
  readonly assets: ReadonlyMap<string, string>;
}

interface Manifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly properties?: { readonly templateFile?: string; readonly file?: string; readonly stackName?: string };
      readonly dependencies?: readonly string[];
      readonly displayName?: string;
    }
  >;
}

interface AssetManifest {
  readonly files?: Record<
    string,
    {
      readonly source: { readonly path: string; readonly packaging?: string };
      readonly destinations: Record<string, { readonly objectKey: string }>;
    }
  >;
}

export class AssemblyError extends Error {
  override name = 'AssemblyError';
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new AssemblyError(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** The stacks of a cloud assembly, ordered so that every stack follows the stacks it depends on. */
export function loadCloudAssembly(directory: string): StackArtifact[] {
  const dir = resolve(directory);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new AssemblyError(`No cloud assembly at ${dir} (manifest.json is missing): run 'npm run synth' first.`);
  }
  const manifest = readJson<Manifest>(manifestPath);
  const artifacts = manifest.artifacts ?? {};
  const stacks = new Map<string, StackArtifact>();
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = artifact.properties?.templateFile;
    if (templateFile === undefined) throw new AssemblyError(`Stack ${id} has no templateFile in the manifest.`);
    const assets = new Map<string, string>();
    for (const dependency of artifact.dependencies ?? []) {
      const assetArtifact = artifacts[dependency];
      if (assetArtifact?.type !== 'cdk:asset-manifest' || assetArtifact.properties?.file === undefined) continue;
      const assetManifest = readJson<AssetManifest>(join(dir, assetArtifact.properties.file));
      for (const file of Object.values(assetManifest.files ?? {})) {
        for (const destination of Object.values(file.destinations)) {
          assets.set(destination.objectKey, join(dir, file.source.path));
        }
      }
    }
    stacks.set(id, {
      stackName: artifact.properties?.stackName ?? artifact.displayName ?? id,
      templateFile: join(dir, templateFile),
      template: readJson<Template>(join(dir, templateFile)),
      dependsOn: (artifact.dependencies ?? []).filter((name) => artifacts[name]?.type === 'aws:cloudformation:stack'),
      assets,
    });
  }
  const ordered: StackArtifact[] = [];
  const placed = new Set<string>();
  const place = (id: string, path: readonly string[]) => {
    if (placed.has(id)) return;
    if (path.includes(id)) throw new AssemblyError(`Circular stack dependency: ${[...path, id].join(' → ')}`);
    const stack = stacks.get(id);
    if (stack === undefined) return;
    for (const dependency of stack.dependsOn) place(dependency, [...path, id]);
    placed.add(id);
    ordered.push(stack);
  };
  for (const id of stacks.keys()) place(id, []);
  return ordered;
}
