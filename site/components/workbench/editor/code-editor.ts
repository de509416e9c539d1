// What the workspace needs of a code editor: Monaco (monaco.ts, loaded lazily) or, when Monaco
// cannot load, a plain textarea — the workbench stays usable either way. One editor shows one file
// of the workspace at a time; every file keeps its own text (and, in Monaco, its undo history).
import type { CompileError } from '../../../lib/workbench-api.ts';

/** A file as the editor opens it. */
export interface EditorFile {
  /** `WorkspaceFile.path`, e.g. `scenarios/thumbnails/handler.ts`. */
  readonly path: string;
  readonly value: string;
  readonly readOnly: boolean;
}

/** A multi-file code editor. */
export interface CodeEditor {
  readonly kind: 'monaco' | 'plain';
  /** Makes the files known (Monaco: one model each, so imports between them resolve) without showing them. */
  load(files: readonly EditorFile[]): void;
  /** Shows one file (loading it first when new). */
  show(file: EditorFile): void;
  /** The file shown. */
  path(): string;
  /** A file's text (default: the one shown). */
  getValue(path?: string): string;
  /** Replaces a file's whole text as one undoable edit (default: the one shown). */
  setValue(text: string, path?: string): void;
  /** Shows a deploy's compile errors at their lines, in their files (cleared by the next edit of that file). */
  setErrors(errors: readonly CompileError[]): void;
  /** Shows `path` (when given) and puts the cursor on `line`. */
  reveal(line: number, column?: number, path?: string): void;
  focus(): void;
  dispose(): void;
}

/** How the shell creates an editor. */
export interface EditorOptions {
  readonly scenario: string;
  /** The files, the first shown. */
  readonly files: readonly EditorFile[];
  readonly ariaLabel: (path: string) => string;
  onChange?(path: string, value: string): void;
  onDeploy?(): void;
  onRun?(): void;
  onStatus?(text: string): void;
}

/** The model URI of a workspace file (relative imports resolve from it). */
export const fileUri = (path: string): string => `file:///${path}`;

/** The fallback editor: a monospace textarea with the same keyboard shortcuts. */
export function createPlainEditor(element: HTMLElement, options: EditorOptions): CodeEditor {
  const texts = new Map<string, EditorFile>();
  const textarea = document.createElement('textarea');
  textarea.className = 'wb-plain-editor';
  textarea.spellcheck = false;
  element.append(textarea);
  let current = '';
  const load = (files: readonly EditorFile[]) => {
    for (const file of files) if (!texts.has(file.path)) texts.set(file.path, file);
  };
  const show = (file: EditorFile) => {
    load([file]);
    current = file.path;
    const known = { ...(texts.get(file.path) ?? file), readOnly: file.readOnly };
    texts.set(file.path, known);
    textarea.value = known.value;
    textarea.readOnly = known.readOnly;
    textarea.setAttribute('aria-label', options.ariaLabel(file.path));
    element.dataset.wbFile = file.path;
  };
  textarea.addEventListener('input', () => {
    const file = texts.get(current);
    if (file) texts.set(current, { ...file, value: textarea.value });
    options.onChange?.(current, textarea.value);
  });
  textarea.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    if (event.key === 's') {
      event.preventDefault();
      options.onDeploy?.();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      options.onRun?.();
    }
  });
  load(options.files);
  if (options.files[0]) show(options.files[0]);
  return {
    kind: 'plain',
    load,
    show,
    path: () => current,
    getValue: (path = current) => (path === current ? textarea.value : (texts.get(path)?.value ?? '')),
    setValue(text: string, path = current) {
      const file = texts.get(path);
      if (!file) return;
      texts.set(path, { ...file, value: text });
      if (path === current) {
        textarea.focus();
        textarea.select();
        // execCommand keeps the browser's undo stack; assign when it is not supported.
        if (!document.execCommand?.('insertText', false, text)) textarea.value = text;
      }
      options.onChange?.(path, text);
    },
    setErrors(errors: readonly CompileError[]) {
      textarea.setAttribute('aria-invalid', errors.length > 0 ? 'true' : 'false');
    },
    reveal(line: number, _column?: number, path?: string) {
      const file = path ? texts.get(path) : undefined;
      if (file && path !== current) show(file);
      const lines = textarea.value.split('\n');
      const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      textarea.focus();
      textarea.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
    },
    focus: () => textarea.focus(),
    dispose: () => textarea.remove(),
  };
}
