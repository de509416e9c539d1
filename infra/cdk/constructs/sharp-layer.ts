import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, AssetHashType, DockerImage, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PROJECT_ROOT } from './project.ts';

/** sharp's native packages for Lambda's x86_64 Linux. */
export const SHARP_LINUX_X64_PACKAGES = ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'] as const;

export interface SharpLayerProps {
  /**
   * The node_modules directory to copy sharp and its dependencies from.
   * @default - the project's node_modules
   */
  readonly nodeModulesDir?: string;
}

interface PackageJson {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
}

const readPackage = (dir: string): PackageJson => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** sharp plus its dependencies (transitively) and its linux-x64 binaries, as found in `nodeModulesDir`. */
export function sharpLayerPackages(nodeModulesDir: string): { present: string[]; missing: string[] } {
  const present: string[] = [];
  const missing: string[] = [];
  const queue: string[] = ['sharp', ...SHARP_LINUX_X64_PACKAGES];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (present.includes(name) || missing.includes(name)) continue;
    const dir = join(nodeModulesDir, name);
    if (!existsSync(join(dir, 'package.json'))) {
      missing.push(name);
      continue;
    }
    present.push(name);
    queue.push(...Object.keys(readPackage(dir).dependencies ?? {}));
  }
  return { present, missing };
}

/**
 * A Lambda layer carrying sharp with its native linux-x64 binary, copied from the project's own
 * node_modules at synth time (`nodejs/node_modules/…`, which Lambda puts on NODE_PATH).
 *
 * Why a layer, not `bundling.nodeModules: ['sharp']`: that runs `npm install` in every bundle at
 * every synth (slow, and it needs the registry), while this copies files already on disk, works
 * offline, and is one asset for every learner's copy. The functions' own bundles stay a few KB,
 * so redeploying an edited handler is quick.
 *
 * npm installs only the current platform's binary. On a Mac, add the Linux one with
 * `npm install --no-save --os=linux --cpu=x64 sharp`; until then the layer is synthesized
 * without it (the local cloud does not need it) and a warning says so.
 */
export class SharpLayer extends Construct {
  readonly layer: LayerVersion;
  /** Packages the layer lacks (the linux-x64 binaries on a non-Linux machine); empty when complete. */
  readonly missingPackages: readonly string[];

  constructor(scope: Construct, id: string, props: SharpLayerProps = {}) {
    super(scope, id);
    const nodeModulesDir = props.nodeModulesDir ?? join(PROJECT_ROOT, 'node_modules');
    const sharpDir = join(nodeModulesDir, 'sharp');
    if (!existsSync(join(sharpDir, 'package.json'))) {
      throw new Error(`${this.node.path}: sharp is not installed in ${nodeModulesDir}; run npm install`);
    }
    const { present, missing } = sharpLayerPackages(nodeModulesDir);
    this.missingPackages = missing;
    if (missing.length > 0) {
      Annotations.of(this).addWarningV2(
        'lambda-workbook:sharp-linux-x64',
        `The sharp layer lacks ${missing.join(', ')}: the thumbnail function will fail on AWS. ` +
          'Install them with: npm install --no-save --os=linux --cpu=x64 sharp',
      );
    }
    const versions = present.map((name) => `${name}@${readPackage(join(nodeModulesDir, name)).version}`);

    this.layer = new LayerVersion(this, 'Layer', {
      description: `sharp ${readPackage(sharpDir).version} for Node.js on linux-x64`,
      compatibleArchitectures: [Architecture.X86_64],
      removalPolicy: RemovalPolicy.DESTROY,
      code: Code.fromAsset(sharpDir, {
        // The versions copied are the content: same versions, same asset, no re-copy.
        assetHashType: AssetHashType.CUSTOM,
        assetHash: versions.sort().join(','),
        bundling: {
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/busybox'), // never used: local wins
          local: {
            tryBundle(outputDir: string): boolean {
              for (const name of present) {
                const target = join(outputDir, 'nodejs', 'node_modules', name);
                mkdirSync(target, { recursive: true });
                cpSync(join(nodeModulesDir, name), target, {
                  recursive: true,
                  dereference: true,
                  filter: (source) => !source.startsWith(join(nodeModulesDir, 'sharp', 'src')),
                });
              }
              return true;
            },
          },
        },
      }),
    });
  }
}
