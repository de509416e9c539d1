// The type declarations the workbench editor loads (built at `astro build` by types-bundle.ts):
// given to a TypeScript language service the way Monaco's worker holds them (URIs as file names,
// node_modules/<package>/index.d.ts lookups), each scenario's handler checks without errors, a
// misspelled event field is an error, and completion knows the SDK client and the event's fields.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SCENARIO_IDS, SCENARIOS } from '../../../../scenarios/catalog.ts';
import { buildTypeBundle, type TypeBundle } from '../../../../site/components/workbench/types-bundle.ts';

const root = process.cwd();
const TS_LIB_DIR = join(root, 'node_modules', 'typescript', 'lib');

// Declarations by content, so one registry shares the parsed SDK and Node files across scenarios.
const registry = ts.createDocumentRegistry();
const contentVersion = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * A language service over the bundle plus one model, as Monaco's TypeScript worker sees them. As in
 * the editor, the model's text changes in place (`setModel` bumps its version) and the service keeps
 * the parsed libraries, so the tests of a scenario share one parse of the bundle.
 */
function service(bundle: TypeBundle) {
  const libs = new Map(Object.entries(bundle.libs));
  const versions = new Map([...libs].map(([name, text]) => [name, contentVersion(text)]));
  let model = '';
  let modelVersion = 0;
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts'],
    types: [],
  };
  const read = (name: string) =>
    name === bundle.model
      ? model
      : (libs.get(name) ?? (name.startsWith(TS_LIB_DIR) ? ts.sys.readFile(name) : undefined));
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [bundle.model, ...libs.keys()],
    getScriptVersion: (name) => (name === bundle.model ? String(modelVersion) : (versions.get(name) ?? '1')),
    getScriptSnapshot: (name) => {
      const text = read(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '',
    getDefaultLibFileName: (o) => join(TS_LIB_DIR, ts.getDefaultLibFileName(o)),
    fileExists: (name) => read(name) !== undefined,
    readFile: read,
    directoryExists: () => true,
  };
  const ls = ts.createLanguageService(host, registry);
  return {
    /** The service with the model holding `text`. */
    withModel(text: string) {
      if (text !== model) {
        model = text;
        modelVersion += 1;
      }
      return ls;
    },
  };
}

const messages = (diagnostics: readonly ts.Diagnostic[]) =>
  diagnostics.map((d) => `${d.start}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);

describe.each(SCENARIO_IDS)('the editor types of %s', (scenario) => {
  const bundle = buildTypeBundle(root, scenario);
  const handler = readFileSync(join(root, 'scenarios', scenario, SCENARIOS[scenario].functions[0].source), 'utf8');
  const editor = service(bundle);

  it('declare what the handler imports: it checks without errors', () => {
    expect(bundle.model).toBe(`file:///scenarios/${scenario}/${SCENARIOS[scenario].functions[0].source}`);
    expect(Object.keys(bundle.libs)).toContain('file:///node_modules/@types/aws-lambda/index.d.ts');
    const ls = editor.withModel(handler);
    expect(messages(ls.getSyntacticDiagnostics(bundle.model))).toEqual([]);
    expect(messages(ls.getSemanticDiagnostics(bundle.model))).toEqual([]);
  });

  it('leave out what the editor does not check: no CDK declarations (infra.ts is checked by synth)', () => {
    // aws-cdk-lib's declarations are 11 MB: the worker parsed them before its first answer (20–60 s).
    expect(bundle.packages).not.toContain('aws-cdk-lib');
    const bytes = Object.values(bundle.libs).reduce((sum, text) => sum + text.length, 0);
    expect(bytes).toBeLessThan(2_000_000);
  });

  it('report a use of a field the Lambda event does not have', () => {
    const broken = `${handler}\nexport const probe = (event: import('aws-lambda').SQSEvent) => event.Records[0]?.bodyy;\n`;
    const errors = messages(editor.withModel(broken).getSemanticDiagnostics(bundle.model));
    expect(errors).toEqual([expect.stringMatching(/Property 'bodyy' does not exist on type 'SQSRecord'/)]);
  });

  it('complete the SDK clients the scenario uses', () => {
    const client = scenario === 'thumbnails' ? 'S3Client' : 'DynamoDBClient';
    const pkg = scenario === 'thumbnails' ? '@aws-sdk/client-s3' : '@aws-sdk/client-dynamodb';
    const text = `import { ${client} } from '${pkg}';\nconst c = new ${client}({});\nc.`;
    const completions = editor.withModel(text).getCompletionsAtPosition(bundle.model, text.length, {});
    expect(completions?.entries.map((entry) => entry.name)).toEqual(expect.arrayContaining(['send', 'destroy']));
  });
});
