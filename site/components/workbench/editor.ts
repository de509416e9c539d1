// The handler editor: Monaco with TypeScript's language service, which knows the Lambda event
// types and the SDK clients the scenario imports (the type bundle built at `astro build`). This
// module — and Monaco with its CSS and workers — is imported only when the workbench opens.
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/languages/definitions/typescript/register';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import {
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
import type { CompileError } from '../../lib/workbench-api.ts';
import type { CodeEditor, EditorOptions } from './editor-types.ts';
import type { TypeBundle } from './types-bundle.ts';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker(),
};

const DEPLOY_OWNER = 'deploy';
const loadedBundles = new Map<string, Promise<TypeBundle>>();

typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  // Node-style lookup of node_modules/<package>/index.d.ts, which the type bundle provides.
  moduleResolution: ModuleResolutionKind.NodeJs,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  lib: ['es2023'],
  types: [],
});
typescriptDefaults.setEagerModelSync(true);

async function loadTypes(scenario: string): Promise<TypeBundle> {
  let pending = loadedBundles.get(scenario);
  if (!pending) {
    pending = fetch(`/workbench/types/${scenario}.json`).then(async (response) => {
      if (!response.ok) throw new Error(`The editor's type declarations did not load (${response.status}).`);
      const bundle = (await response.json()) as TypeBundle;
      const existing = typescriptDefaults.getExtraLibs();
      const libs = Object.entries(bundle.libs)
        .filter(([uri]) => !(uri in existing))
        .map(([filePath, content]) => ({ filePath, content }));
      typescriptDefaults.setExtraLibs([
        ...Object.entries(existing).map(([filePath, lib]) => ({ filePath, content: lib.content })),
        ...libs,
      ]);
      return bundle;
    });
    loadedBundles.set(scenario, pending);
  }
  return pending;
}

// Monaco's themes with the colours TypeScript code uses raised to WCAG's 4.5:1 contrast (the
// originals: comments 4.2:1 and regular expressions 4.2:1 in the dark theme, annotations 3.9:1 in
// the light one).
monaco.editor.defineTheme('workbook-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '6A9955' },
    { token: 'regexp', foreground: 'D16969' },
    { token: 'annotation', foreground: 'E07A7A' },
    { token: 'variable.predefined', foreground: '569CD6' },
  ],
  colors: {},
});
monaco.editor.defineTheme('workbook-light', {
  base: 'vs',
  inherit: true,
  rules: [{ token: 'annotation', foreground: '6E6E6E' }],
  colors: {},
});

/** Monaco's theme for Starlight's (`<html data-theme>`): light or dark. */
function currentTheme(): string {
  return document.documentElement.dataset.theme === 'light' ? 'workbook-light' : 'workbook-dark';
}

/** Creates the Monaco editor for a scenario's handler in `element`. */
export async function createMonacoEditor(element: HTMLElement, options: EditorOptions): Promise<CodeEditor> {
  const types = loadTypes(options.scenario).catch((error: Error) => {
    options.onStatus?.(`${error.message} Editing works; completion knows less.`);
    return undefined;
  });
  const uri = monaco.Uri.parse(options.modelUri);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(options.value, 'typescript', uri);
  model.setValue(options.value);
  const editor = monaco.editor.create(element, {
    model,
    theme: currentTheme(),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    tabSize: 2,
    fixedOverflowWidgets: true,
    ariaLabel: options.ariaLabel,
    accessibilitySupport: 'auto',
    renderLineHighlight: 'line',
  });
  const themeObserver = new MutationObserver(() => monaco.editor.setTheme(currentTheme()));
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  // Ctrl/Cmd+S deploys, Ctrl/Cmd+Enter runs, as in the Lambda console.
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => options.onDeploy?.());
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun?.());
  const changes = model.onDidChangeContent(() => {
    monaco.editor.setModelMarkers(model, DEPLOY_OWNER, []);
    element.dataset.wbDeployMarkers = '';
    options.onChange?.(model.getValue());
  });
  // The editor works at once; completion and diagnostics improve when the declarations arrive.
  options.onStatus?.('Loading the type declarations (Lambda events, AWS SDK)…');
  void types.then((bundle) => {
    if (!bundle) return;
    element.dataset.wbTypes = 'ready';
    options.onStatus?.(`TypeScript knows ${bundle.packages.length} packages, the Lambda event types among them.`);
  });

  return {
    kind: 'monaco',
    getValue: () => model.getValue(),
    setValue(text: string) {
      // An edit, not a reset of the model: Ctrl+Z brings the previous code back.
      editor.pushUndoStop();
      editor.executeEdits('workbench', [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
      editor.pushUndoStop();
    },
    setErrors(errors: readonly CompileError[]) {
      monaco.editor.setModelMarkers(
        model,
        DEPLOY_OWNER,
        errors.map((error) => {
          const line = Math.min(Math.max(1, error.line), model.getLineCount());
          const column = Math.max(1, error.column);
          return {
            severity: monaco.MarkerSeverity.Error,
            message: error.message,
            startLineNumber: line,
            startColumn: column,
            endLineNumber: line,
            endColumn: Math.max(column + 1, model.getLineMaxColumn(line)),
            source: 'deploy',
          };
        }),
      );
      // Where the deploy's markers ended up, as Monaco reports them (tests and assistive tooling read it).
      element.dataset.wbDeployMarkers = monaco.editor
        .getModelMarkers({ owner: DEPLOY_OWNER, resource: uri })
        .map((marker) => `${marker.startLineNumber}:${marker.startColumn}`)
        .join(' ');
    },
    reveal(line: number, column = 1) {
      editor.revealLineInCenter(line);
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
    focus: () => editor.focus(),
    dispose() {
      changes.dispose();
      themeObserver.disconnect();
      editor.dispose();
      model.dispose();
    },
  };
}
