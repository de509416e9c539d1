// What the workbench shell needs of a code editor: Monaco (editor.ts, loaded lazily) or, when
// Monaco cannot load, a plain textarea — the workbench stays usable either way.
import type { CompileError } from '../../lib/workbench-api.ts';

/** A handler editor. */
export interface CodeEditor {
  readonly kind: 'monaco' | 'plain';
  getValue(): string;
  /** Replaces the whole text as one undoable edit. */
  setValue(text: string): void;
  /** Shows a deploy's compile errors at their lines (cleared by the next edit). */
  setErrors(errors: readonly CompileError[]): void;
  reveal(line: number, column?: number): void;
  focus(): void;
  dispose(): void;
}

/** How the shell creates an editor. */
export interface EditorOptions {
  readonly scenario: string;
  /** The model's URI, so relative imports resolve (`file:///scenarios/<id>/handler.ts`). */
  readonly modelUri: string;
  readonly value: string;
  readonly ariaLabel: string;
  onChange?(value: string): void;
  onDeploy?(): void;
  onRun?(): void;
  onStatus?(text: string): void;
}

/** The fallback editor: a monospace textarea with the same keyboard shortcuts. */
export function createPlainEditor(element: HTMLElement, options: EditorOptions): CodeEditor {
  const textarea = document.createElement('textarea');
  textarea.className = 'wb-plain-editor';
  textarea.spellcheck = false;
  textarea.value = options.value;
  textarea.setAttribute('aria-label', options.ariaLabel);
  element.append(textarea);
  textarea.addEventListener('input', () => options.onChange?.(textarea.value));
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
  return {
    kind: 'plain',
    getValue: () => textarea.value,
    setValue(text: string) {
      textarea.focus();
      textarea.select();
      // execCommand keeps the browser's undo stack; assign when it is not supported.
      if (!document.execCommand?.('insertText', false, text)) textarea.value = text;
      options.onChange?.(textarea.value);
    },
    setErrors(errors: readonly CompileError[]) {
      textarea.setAttribute('aria-invalid', errors.length > 0 ? 'true' : 'false');
    },
    reveal(line: number) {
      const lines = textarea.value.split('\n');
      const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
      textarea.focus();
      textarea.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
    },
    focus: () => textarea.focus(),
    dispose: () => textarea.remove(),
  };
}
