// The workspace's editor: Monaco with TypeScript's language service, which knows the standard
// library, Node's globals, the Lambda event types and the SDK clients the scenario imports (the type
// bundle built at `astro build`), and every file of the workspace as a model, so an edit of a module
// is checked where the handlers import it. This module — and Monaco with its CSS and workers — is
// imported in idle time after the lesson loaded, or when the workbench opens.
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/codeAction/register';
// Code lenses and drop-into-editor are imported here although the workspace does not offer them:
// otherwise the build bundles their editor contributions into Monaco's TypeScript mode chunk, which
// loads after the editor's services exist (the types are preloaded in idle time), and the editor
// then fails with "depends on UNKNOWN service ICodeLensCache / treeViewsDndService".
import 'monaco-editor/features/codelens/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/dropOrPasteInto/register';
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
import { conf as tsConf, language as tsLanguage } from 'monaco-editor/languages/definitions/typescript/typescript';
import {
  getTypeScriptWorker,
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
  typescriptDefaults,
} from 'monaco-editor/languages/features/typescript/register';
import type { CompileError } from '../../../lib/workbench-api.ts';
import { afterNextFrame } from '../dom.ts';
import type { TypeBundle } from '../types-bundle.ts';
import { type CodeEditor, type EditorFile, type EditorOptions, fileUri } from './code-editor.ts';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker(),
};

const DEPLOY_OWNER = 'deploy';
/** Read-only files (infra.ts, sample events): TypeScript's colours without its checking (infra.ts imports CDK, which the editor does not load). */
const VIEW_LANGUAGE = 'workbook-view';
monaco.languages.register({ id: VIEW_LANGUAGE });
monaco.languages.setLanguageConfiguration(VIEW_LANGUAGE, tsConf);
monaco.languages.setMonarchTokensProvider(VIEW_LANGUAGE, tsLanguage);
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
  // Monaco's worker hands these to TypeScript as they are, without tsconfig's name → file mapping:
  // `'es2023'` loads nothing (no `Record`, `JSON`, `Promise`), the file name loads the library.
  lib: ['lib.es2023.d.ts'],
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

const warmedUp = new Map<string, Promise<void>>();

/**
 * Loads the scenario's declarations and has TypeScript's worker parse them, ahead of the editor (in
 * idle time after the lesson loaded): the editor's first check of the handler then starts from a
 * built program, not from a worker that has yet to parse the standard library and the SDK's types.
 */
export function preloadTypes(scenario: string): Promise<void> {
  let pending = warmedUp.get(scenario);
  if (!pending) {
    pending = (async () => {
      await loadTypes(scenario);
      const uri = monaco.Uri.parse(`file:///workbook-warm-up/${scenario}.ts`);
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel('export {};\n', 'typescript', uri);
      try {
        const worker = await (await getTypeScriptWorker())(uri);
        await worker.getSemanticDiagnostics(uri.toString());
      } finally {
        model.dispose();
      }
    })();
    pending.catch(() => warmedUp.delete(scenario));
    warmedUp.set(scenario, pending);
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

/** The file's model, created on first need; editable TypeScript is checked, the rest only coloured. */
function modelFor(file: EditorFile): monaco.editor.ITextModel {
  const uri = monaco.Uri.parse(fileUri(file.path));
  const existing = monaco.editor.getModel(uri);
  if (existing) return existing;
  const language = file.readOnly || !file.path.endsWith('.ts') ? VIEW_LANGUAGE : 'typescript';
  return monaco.editor.createModel(file.value, language, uri);
}

/** The options every editor of the page is created with (the warm-up's too: Monaco measures a font once per page). */
const EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 13,
  scrollBeyondLastLine: false,
  tabSize: 2,
  fixedOverflowWidgets: true,
  accessibilitySupport: 'auto',
  renderLineHighlight: 'line',
  // Long lines wrap: nothing is cut off, and the view never stays scrolled sideways after typing.
  wordWrap: 'on',
  wrappingIndent: 'same',
};

let warmedEditor: Promise<void> | undefined;

/**
 * Monaco writes its theme stylesheet anew — its icon font's @font-face included — when a chunk loaded
 * later registers icons (the TypeScript mode's: the suggest widget's, the Unicode highlighter's). The
 * font loaded for the older stylesheet then counts as not loaded, and loading it again when an icon
 * is first drawn after the click changes the fonts: the whole page is laid out again while the
 * learner waits. Each time, the font is loaded again at once, in the background.
 */
function keepIconFontLoaded(): void {
  const sheet = document.querySelector('style.monaco-colors');
  if (!sheet) return;
  new MutationObserver(() => void document.fonts.load('13px codicon').catch(() => [])).observe(sheet, {
    childList: true,
    characterData: true,
    subtree: true,
  });
}

/**
 * Creates an editor off screen, lets it draw once and drops it: called in idle time after the lesson
 * loaded, so that what only the first editor of a page pays for — Monaco's theme stylesheet (150 KB
 * of CSS the whole page is restyled for), measuring the editor's font, loading the icon font, the
 * first run of the editor's code — is not paid between the learner's click and their code on screen.
 */
export function warmUpEditor(): Promise<void> {
  warmedEditor ??= (async () => {
    const host = document.createElement('div');
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText = 'position:fixed;top:0;left:-10000px;width:640px;height:240px;visibility:hidden';
    document.body.append(host);
    const model = monaco.editor.createModel(
      'export const handler = async (event: unknown) => ({ event });\n',
      VIEW_LANGUAGE,
    );
    const editor = monaco.editor.create(host, { ...EDITOR_OPTIONS, model, theme: currentTheme() });
    try {
      await Promise.all([afterNextFrame(), document.fonts.load('13px codicon').catch(() => [])]);
    } finally {
      editor.dispose();
      model.dispose();
      host.remove();
    }
    keepIconFontLoaded();
    performance.mark('wb-editor-warm');
  })();
  return warmedEditor;
}

/** How many times the editor asks TypeScript's worker about a file before it says the worker did not answer. */
const DIAGNOSTICS_ATTEMPTS = 3;

/** Creates the Monaco editor for the workspace's files in `element`. */
export async function createMonacoEditor(element: HTMLElement, options: EditorOptions): Promise<CodeEditor> {
  const types = loadTypes(options.scenario).catch((error: Error) => {
    options.onStatus?.(`${error.message} Editing works; completion knows less.`);
    return undefined;
  });
  const models = new Map<string, monaco.editor.ITextModel>();
  const readOnly = new Set<string>();
  const subscriptions: monaco.IDisposable[] = [];
  const load = (files: readonly EditorFile[]) => {
    for (const file of files) {
      if (models.has(file.path)) continue;
      const model = modelFor(file);
      // A model left from an earlier open of the same page holds older text: the workspace's wins.
      if (model.getValue() !== file.value) model.setValue(file.value);
      models.set(file.path, model);
      if (file.readOnly) readOnly.add(file.path);
      subscriptions.push(
        model.onDidChangeContent(() => {
          monaco.editor.setModelMarkers(model, DEPLOY_OWNER, []);
          if (file.path === current) {
            element.dataset.wbDeployMarkers = '';
            // TypeScript's verdict is for the previous text until the worker checked this one.
            delete element.dataset.wbDiagnostics;
            delete element.dataset.wbDiagnosticsFor;
          }
          options.onChange?.(file.path, model.getValue());
          scheduleDiagnostics();
        }),
      );
    }
  };
  // The file shown now; the others in idle time once the editor is up (each model costs a few
  // milliseconds, more on a busy machine), or as soon as something needs one.
  const pending = new Map(options.files.slice(1).map((file) => [file.path, file]));
  const ensure = (path: string) => {
    const file = pending.get(path);
    if (!file) return;
    pending.delete(path);
    load([file]);
  };
  load(options.files.slice(0, 1));
  let current = options.files[0]?.path ?? '';
  const editor = monaco.editor.create(element, {
    ...EDITOR_OPTIONS,
    model: models.get(current) ?? null,
    theme: currentTheme(),
    ariaLabel: options.ariaLabel(current),
    readOnly: readOnly.has(current),
  });
  // Monaco draws its lines in an animation frame callback of its own, which runs after the frame's
  // other callbacks: the learner's code would reach the screen one frame after the editor (and after
  // whatever the page does in between). Drawn now, it is in the next frame the browser paints.
  editor.render();
  const themeObserver = new MutationObserver(() => monaco.editor.setTheme(currentTheme()));
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  // Ctrl/Cmd+S deploys, Ctrl/Cmd+Enter runs, as in the Lambda console.
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => options.onDeploy?.());
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onRun?.());

  // What TypeScript says about the file shown: `data-wb-diagnostics` (the worker's count, once it has
  // checked this version) and `data-wb-markers` (the squiggles Monaco shows), for the problems line,
  // assistive tooling and the tests.
  let diagnosticsTimer: ReturnType<typeof setTimeout> | undefined;
  const countMarkers = () => {
    const model = models.get(current);
    if (!model) return;
    element.dataset.wbMarkers = String(
      monaco.editor.getModelMarkers({ owner: 'typescript', resource: model.uri }).length,
    );
  };
  const checkDiagnostics = async () => {
    const path = current;
    const model = models.get(path);
    if (model?.getLanguageId() !== 'typescript' || !(await types)) {
      element.dataset.wbDiagnostics = '0';
      element.dataset.wbDiagnosticsFor = `${path}@${model?.getVersionId() ?? 0}`;
      return;
    }
    if (!model) return;
    const version = model.getVersionId();
    const worker = await (await getTypeScriptWorker())(model.uri);
    const uri = model.uri.toString();
    const [syntactic, semantic] = await Promise.all([
      worker.getSyntacticDiagnostics(uri),
      worker.getSemanticDiagnostics(uri),
    ]);
    if (path !== current || model.isDisposed() || model.getVersionId() !== version) return;
    element.dataset.wbDiagnostics = String(syntactic.length + semantic.length);
    element.dataset.wbDiagnosticsFor = `${path}@${version}`;
    countMarkers();
  };
  /**
   * Checks now, and again when TypeScript's worker failed to answer (a worker Monaco restarts while a
   * request is out rejects it): the problems line must not wait for a verdict that never comes.
   */
  const checkWithRetries = async (attempt = 1): Promise<void> => {
    try {
      await checkDiagnostics();
    } catch (error) {
      if (attempt >= DIAGNOSTICS_ATTEMPTS) {
        options.onStatus?.(
          `TypeScript did not answer (${(error as Error).message}); editing and deploying still work.`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      return checkWithRetries(attempt + 1);
    }
  };
  const scheduleDiagnostics = () => {
    clearTimeout(diagnosticsTimer);
    diagnosticsTimer = setTimeout(() => void checkWithRetries(), 300);
  };
  subscriptions.push(monaco.editor.onDidChangeMarkers(countMarkers));

  const show = (file: EditorFile) => {
    ensure(file.path);
    load([file]);
    const model = models.get(file.path);
    if (!model) return;
    // A file's editability can change (infra.ts while an exercise on the infrastructure is worked on).
    if (file.readOnly) readOnly.add(file.path);
    else readOnly.delete(file.path);
    current = file.path;
    editor.setModel(model);
    editor.updateOptions({ readOnly: readOnly.has(file.path), ariaLabel: options.ariaLabel(file.path) });
    element.dataset.wbFile = file.path;
    element.dataset.wbDeployMarkers = monaco.editor
      .getModelMarkers({ owner: DEPLOY_OWNER, resource: model.uri })
      .map((marker) => `${marker.startLineNumber}:${marker.startColumn}`)
      .join(' ');
    delete element.dataset.wbDiagnostics;
    countMarkers();
    scheduleDiagnostics();
  };
  element.dataset.wbFile = current;
  const loadRest = () => {
    for (const path of [...pending.keys()]) ensure(path);
  };
  if ('requestIdleCallback' in window) requestIdleCallback(loadRest, { timeout: 2000 });
  else setTimeout(loadRest, 500);
  // The editor works at once; completion and diagnostics improve when the declarations arrive.
  options.onStatus?.('Loading the type declarations (Lambda events, AWS SDK)…');
  void types.then((bundle) => {
    // At once: the debounce is for typing, and the learner waits for this first verdict.
    void checkWithRetries();
    if (!bundle) return;
    element.dataset.wbTypes = 'ready';
    options.onStatus?.(`TypeScript knows the standard library, Node and ${bundle.packages.length} packages.`);
  });

  return {
    kind: 'monaco',
    load,
    show,
    path: () => current,
    getValue: (path = current) => {
      ensure(path);
      return models.get(path)?.getValue() ?? '';
    },
    setValue(text: string, path = current) {
      ensure(path);
      const model = models.get(path);
      if (!model) return;
      if (path === current) {
        // An edit, not a reset of the model: Ctrl+Z brings the previous code back.
        editor.pushUndoStop();
        editor.executeEdits('workbench', [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
        editor.pushUndoStop();
      } else {
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      }
    },
    setErrors(errors: readonly CompileError[]) {
      for (const error of errors) if (error.file) ensure(error.file.path);
      const byPath = new Map<string, CompileError[]>([...models.keys()].map((path) => [path, []]));
      for (const error of errors) {
        const path = error.file?.path ?? current;
        const place = error.file ?? error;
        byPath.get(path)?.push({ ...error, line: place.line, column: place.column });
      }
      for (const [path, fileErrors] of byPath) {
        const model = models.get(path);
        if (!model) continue;
        monaco.editor.setModelMarkers(
          model,
          DEPLOY_OWNER,
          fileErrors.map((error) => {
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
      }
      // Where the deploy's markers ended up in the file shown, as Monaco reports them (tests and assistive tooling read it).
      const model = models.get(current);
      element.dataset.wbDeployMarkers = model
        ? monaco.editor
            .getModelMarkers({ owner: DEPLOY_OWNER, resource: model.uri })
            .map((marker) => `${marker.startLineNumber}:${marker.startColumn}`)
            .join(' ')
        : '';
    },
    reveal(line: number, column = 1, path?: string) {
      if (path) ensure(path);
      if (path && path !== current && models.has(path)) {
        const model = models.get(path) as monaco.editor.ITextModel;
        show({ path, value: model.getValue(), readOnly: readOnly.has(path) });
      }
      editor.revealLineInCenter(line);
      editor.setPosition({ lineNumber: line, column });
      editor.focus();
    },
    focus: () => editor.focus(),
    dispose() {
      clearTimeout(diagnosticsTimer);
      for (const subscription of subscriptions) subscription.dispose();
      themeObserver.disconnect();
      editor.dispose();
      for (const model of models.values()) model.dispose();
    },
  };
}
