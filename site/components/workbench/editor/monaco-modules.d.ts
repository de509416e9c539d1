// Monaco modules it ships without declarations, typed as far as the workbench uses them.

// Its TypeScript tokenizer: its two exports.
declare module 'monaco-editor/languages/definitions/typescript/typescript' {
  import type { languages } from 'monaco-editor/editor/editor.api';
  export const conf: languages.LanguageConfiguration;
  export const language: languages.IMonarchLanguage;
}

// Its TypeScript mode (the language features), which the editor loads when a TypeScript model first
// appears; the workbench only loads it ahead of time.
declare module 'monaco-editor/languages/features/typescript/tsMode' {}
