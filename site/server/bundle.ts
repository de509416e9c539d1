// Bundles a learner's edited handler the way the CDK app bundles the scenario's own (see
// infra/cdk/constructs/workbook-function.ts): one ES module `index.mjs` exporting `handler`, so the
// deployed function's handler string `index.handler` keeps working; the AWS SDK v3 and sharp stay
// external (on AWS the Node.js runtime and the sharp layer provide them; locally the project's
// node_modules does). The result is zipped as a Lambda deployment package.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { build, type Message, type Plugin } from 'esbuild';
import { zipSync } from 'fflate';
import { SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { CompileError } from '../lib/workbench-api.ts';

/** Modules left out of every bundle: what Lambda's runtime (the SDK) or a layer (sharp) provides. */
export const EXTERNAL_MODULES: readonly string[] = ['@aws-sdk/*', 'sharp'];

/** The file inside the zip; with the export `handler` it makes the functions' handler `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/** Same banner as the CDK bundling: bundled CommonJS dependencies may call `require()`. */
const BANNER =
  "import { createRequire as __workbookCreateRequire } from 'node:module'; const require = __workbookCreateRequire(import.meta.url);";

/** A fixed time for the zip entries, so the same source always gives the same CodeSha256. */
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

/** Thrown when the source does not compile; `errors` point into the learner's source (1-based). */
export class CompileFailureError extends Error {
  readonly errors: CompileError[];

  constructor(errors: CompileError[]) {
    const first = errors[0];
    super(
      first
        ? `The handler does not compile: ${first.message} (line ${first.line}, column ${first.column})${
            errors.length > 1 ? ` and ${errors.length - 1} more error(s)` : ''
          }.`
        : 'The handler does not compile.',
    );
    this.name = 'CompileFailureError';
    this.errors = errors;
  }
}

export interface BundleOptions {
  /** Project root (holds `scenarios/`). */
  readonly root: string;
  readonly scenario: ScenarioId;
  /** The handler's TypeScript source. */
  readonly source: string;
  /**
   * The file the source stands for, relative to the scenario folder: its imports resolve from
   * there and errors and stack traces name it. @default the scenario's first function's source
   */
  readonly sourceFile?: string;
  /**
   * Edited files of the workspace by path from the root (`scenarios/<id>/metrics.ts`): the bundle
   * uses these texts instead of the files on disk. @default none
   */
  readonly files?: Readonly<Record<string, string>>;
}

/** Lambda's CodeSha256 of a deployment package: the base64 SHA-256 of the zip. */
export const codeSha256 = (zip: Uint8Array): string => createHash('sha256').update(zip).digest('base64');

/** Serves the edited files to esbuild in place of the ones on disk. */
function editedFiles(root: string, files: Readonly<Record<string, string>>): Plugin {
  const byAbsolutePath = new Map(Object.entries(files).map(([path, text]) => [join(root, path), text]));
  return {
    name: 'workbook-edited-files',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        const contents = byAbsolutePath.get(args.path);
        return contents === undefined ? undefined : { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Keeps a learner's imports inside the scenario's own files, the scenarios' shared modules and the
 * project's node_modules: the bundler runs on this machine with its user's rights, so
 * `import s from '/etc/passwd' with { type: 'text' }` (or `../../../.ssh/id_rsa`) would otherwise
 * inline any file into a function anyone can invoke. Checked on the resolved real path, so neither
 * `..` nor a symbolic link gets out.
 */
function confineImports(roots: readonly string[]): Plugin {
  const real = roots.flatMap((root) => {
    try {
      return [realpathSync(root)];
    } catch {
      return []; // a root that does not exist holds nothing to import
    }
  });
  const inside = (path: string) => real.some((root) => path === root || path.startsWith(`${root}${sep}`));
  return {
    name: 'workbook-confine-imports',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.confined === true || args.kind === 'entry-point') return undefined;
        const refuse = (why: string) => ({
          errors: [
            {
              text: `Import '${args.path}' refused: ${why}. Handlers may import the scenario's files and npm packages only.`,
            },
          ],
        });
        if (isAbsolute(args.path) || /^[A-Za-z]:[\\/]/.test(args.path) || args.path.startsWith('file:')) {
          return refuse('an absolute path');
        }
        const resolved = await pluginBuild.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          with: args.with,
          pluginData: { confined: true },
        });
        if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return resolved;
        let path: string;
        try {
          path = realpathSync(resolved.path);
        } catch {
          return resolved;
        }
        return inside(path) ? resolved : refuse("it is outside the scenario and the project's modules");
      });
    },
  };
}

/** esbuild's message as a CompileError: line and column 1-based; errors in other files say where. */
function toCompileError(message: Message, names: readonly string[], entryPath: string): CompileError {
  const location = message.location;
  if (!location) return { line: 1, column: 1, message: message.text };
  const column = location.column + 1;
  if (names.includes(location.file)) {
    return {
      line: location.line,
      column,
      message: message.text,
      file: { path: entryPath, line: location.line, column },
    };
  }
  // An error inside an imported file: point at line 1 and name the file in the message; `file` says where.
  return {
    line: 1,
    column: 1,
    message: `${location.file}:${location.line}:${column}: ${message.text}`,
    file: { path: location.file.split(sep).join('/'), line: location.line, column },
  };
}

/**
 * Bundles `source` (TypeScript, imports relative to the scenario folder) into a deployment
 * package: a zip with `index.mjs` (ESM, node24, inline source map). Throws CompileFailureError
 * when esbuild reports errors.
 */
export async function bundleHandler({
  root,
  scenario,
  source,
  sourceFile,
  files = {},
}: BundleOptions): Promise<{ zip: Uint8Array; bundleBytes: number }> {
  const entry = SCENARIOS[scenario];
  if (entry === undefined) throw new Error(`Unknown scenario '${scenario}'.`);
  const file = sourceFile ?? entry.functions[0].source;
  const resolveDir = join(root, 'scenarios', scenario);
  // esbuild names the stdin file relative to absWorkingDir (the root), e.g. scenarios/thumbnails/handler.ts.
  const names = [file, relative(root, join(resolveDir, file)).split(sep).join('/'), '<stdin>'];
  const plugins = [
    confineImports([resolveDir, join(root, 'scenarios', 'shared'), join(root, 'node_modules')]),
    ...(Object.keys(files).length > 0 ? [editedFiles(root, files)] : []),
  ];
  let code: Uint8Array;
  try {
    const result = await build({
      stdin: { contents: source, resolveDir, sourcefile: file, loader: 'ts' },
      bundle: true,
      write: false,
      outfile: BUNDLE_FILE,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      mainFields: ['module', 'main'],
      external: [...EXTERNAL_MODULES],
      banner: { js: BANNER },
      sourcemap: 'inline',
      sourcesContent: false,
      minify: false,
      logLevel: 'silent',
      absWorkingDir: root,
      plugins,
    });
    const output = result.outputFiles.find((out) => out.path.endsWith(BUNDLE_FILE));
    if (output === undefined) throw new Error(`esbuild produced no ${BUNDLE_FILE}.`);
    code = output.contents;
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      throw new CompileFailureError(errors.map((message) => toCompileError(message, names, names[1] as string)));
    }
    throw error;
  }
  const zip = zipSync({ [BUNDLE_FILE]: [code, { mtime: ZIP_MTIME }] }, { level: 6 });
  return { zip, bundleBytes: code.length };
}
