// Build time only: the declaration files the workbench editor's TypeScript service needs to check
// and complete a scenario's handler — the Lambda event types (@types/aws-lambda), the SDK clients
// and packages the scenario imports, the scenario's own modules, and a small part of @types/node —
// collected with the TypeScript compiler from what the handler really imports, comments removed.
// Served as one JSON file per scenario (site/pages/workbench/types/[scenario].json.ts), fetched only
// when the editor loads.
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { SCENARIOS, type ScenarioId } from '../../../scenarios/catalog.ts';
import { exerciseDir, loadExercises } from '../../server/checks/exercises.ts';

/** What the editor adds to Monaco's TypeScript defaults before it opens the handler. */
export interface TypeBundle {
  /** The handler model's URI, e.g. `file:///scenarios/thumbnails/handler.ts` (relative imports resolve from it). */
  readonly model: string;
  /** Extra libraries by URI (`file:///node_modules/…`, `file:///scenarios/…`), contents without comments. */
  readonly libs: Readonly<Record<string, string>>;
  /** Packages the bundle declares, for the editor's status line. */
  readonly packages: readonly string[];
}

/** The globals and modules of @types/node a handler commonly uses; the rest stays out of the download. */
const NODE_FILES = [
  'globals.d.ts',
  'globals.typedarray.d.ts',
  'buffer.buffer.d.ts',
  'buffer.d.ts',
  'process.d.ts',
  'console.d.ts',
  'timers.d.ts',
  'events.d.ts',
  'stream.d.ts',
  'crypto.d.ts',
  'url.d.ts',
  'path.d.ts',
  'util.d.ts',
];

/** Other node: modules the handler may import: typed `any` rather than flagged as missing. */
const NODE_FALLBACK = `declare module 'node:*' {\n  const value: any;\n  export = value;\n}\n`;

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

/**
 * Declaration files parsed once per process, for every scenario's bundle (the build makes one per
 * scenario and they share the SDK's and @types' files). Only node_modules: a scenario's own files
 * are read fresh, as `astro dev` may have seen them change.
 */
const parsedLibraries = new Map<string, ts.SourceFile>();

function compilerHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(COMPILER_OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes('/node_modules/')) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let file = parsedLibraries.get(key);
    if (file === undefined) {
      file = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (file !== undefined) parsedLibraries.set(key, file);
    }
    return file;
  };
  return host;
}

/** A declaration file without comments, printed once per parsed file. */
const printedLibraries = new WeakMap<ts.SourceFile, string>();
const printer = ts.createPrinter({ removeComments: true });

function printed(file: ts.SourceFile): string {
  let text = printedLibraries.get(file);
  if (text === undefined) {
    text = printer.printFile(file);
    printedLibraries.set(file, text);
  }
  return text;
}

function packageOf(fileName: string): string | undefined {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(fileName);
  return match?.[1];
}

/**
 * The starters and solutions of the scenario's handler exercises. An exercise on the infrastructure
 * (`edits: infra.ts`) is not type-checked in the browser (the check's synth does it): its CDK
 * imports would pull all of aws-cdk-lib's declarations (11 MB) into the bundle, and the editor's
 * TypeScript worker would parse them before its first answer on the handler.
 */
function exerciseSources(root: string, scenario: ScenarioId): string[] {
  return loadExercises(root, scenario)
    .filter((exercise) => exercise.edits !== 'infra.ts')
    .flatMap((exercise) => {
      const dir = exerciseDir(root, scenario, exercise.id);
      return [join(dir, 'starter.ts'), join(dir, 'solution.ts')];
    });
}

/** Builds the bundle for one scenario from the project at `root`. */
export function buildTypeBundle(root: string, scenario: ScenarioId): TypeBundle {
  const entry = join(root, 'scenarios', scenario, SCENARIOS[scenario].functions[0].source);
  // Exercise starters and solutions may import more than the handler does.
  const roots = [entry, ...exerciseSources(root, scenario)];
  const program = ts.createProgram(roots, COMPILER_OPTIONS, compilerHost());
  const uri = (fileName: string) => `file:///${relative(root, fileName).split(sep).join('/')}`;
  const libs: Record<string, string> = {};
  const packages = new Set<string>();

  for (const file of program.getSourceFiles()) {
    if (program.isSourceFileDefaultLibrary(file) || file.fileName.includes('/node_modules/typescript/')) continue;
    if (file.fileName === entry) continue;
    const pkg = packageOf(file.fileName);
    if (pkg === '@types/node' || pkg === 'undici-types') continue;
    if (pkg) packages.add(pkg);
    libs[uri(file.fileName)] = file.isDeclarationFile ? printed(file) : file.text;
    // Bare imports resolve in the browser by node_modules/<package>/index.d.ts: point it at the real entry.
    for (const imported of ts.preProcessFile(file.text, true, true).importedFiles) {
      const specifier = imported.fileName;
      if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) continue;
      const resolved = ts.resolveModuleName(specifier, file.fileName, COMPILER_OPTIONS, ts.sys).resolvedModule;
      if (!resolved?.resolvedFileName.includes('/node_modules/')) continue;
      const target = resolved.resolvedFileName;
      const declarations = join(root, 'node_modules', ...specifier.split('/'), 'index.d.ts');
      if (target === declarations || libs[uri(declarations)] !== undefined) continue;
      const from = relative(join(declarations, '..'), target)
        .split(sep)
        .join('/')
        .replace(/\.d\.[cm]?ts$|\.[cm]?ts$/, '');
      const path = from.startsWith('.') ? from : `./${from}`;
      const targetFile = program.getSourceFile(target);
      const exportEquals = targetFile !== undefined && /^export\s*=/m.test(targetFile.text);
      libs[uri(declarations)] = exportEquals
        ? `import m = require('${path}');\nexport = m;\n`
        : `export * from '${path}';\n${/export\s+default\b|export\s*\{[^}]*\bdefault\b/.test(targetFile?.text ?? '') ? `export { default } from '${path}';\n` : ''}`;
    }
  }

  const nodeDir = join(root, 'node_modules', '@types', 'node');
  const nodeRefs: string[] = [];
  for (const name of NODE_FILES) {
    const fileName = join(nodeDir, name);
    if (!existsSync(fileName)) continue;
    const file =
      program.getSourceFile(fileName) ??
      ts.createSourceFile(fileName, ts.sys.readFile(fileName) ?? '', ts.ScriptTarget.Latest);
    libs[uri(fileName)] = printed(file);
    nodeRefs.push(`/// <reference path="${name}" />`);
  }
  libs[uri(join(nodeDir, 'index.d.ts'))] = `${nodeRefs.join('\n')}\n`;
  libs['file:///node_modules/@types/node-fallback/index.d.ts'] = NODE_FALLBACK;
  packages.add('@types/node (globals, buffer, process, crypto, stream, events, url, path, util)');

  return { model: uri(entry), libs, packages: [...packages].sort() };
}
