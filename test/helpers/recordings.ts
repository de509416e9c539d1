import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Payloads recorded against real AWS (provenance in test/recordings/aws/README.md). They live in
 * the repository so that any clone can check the local cloud against them.
 */
export const RECORDINGS_DIR = fileURLToPath(new URL('../recordings/aws/', import.meta.url));

export interface RecordedCase<T = Record<string, unknown>> {
  readonly source: Record<string, string>;
  readonly note: string;
  readonly content: T;
}

/** One recorded case file, e.g. `lambda-invoke-timeout.json`. */
// biome-ignore lint/suspicious/noExplicitAny: recordings are free-form JSON read by tests
export function readRecording<T = Record<string, any>>(name: string): RecordedCase<T> {
  return JSON.parse(readFileSync(`${RECORDINGS_DIR}${name}`, 'utf8')) as RecordedCase<T>;
}

/** The `content` of one recorded case. */
export function recordingContent<T = Record<string, unknown>>(name: string): T {
  return readRecording<T>(name).content;
}
