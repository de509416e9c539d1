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

export interface DiffOptions {
  /** Bare stand-ins the recorder wrote instead of real values (`date`, `sequencer`, …), with a test of the real value. */
  readonly standIns?: Readonly<Record<string, (value: unknown) => boolean>>;
  /** Placeholders already bound (`<region>` → `us-east-1`, …); the comparison binds the others as it meets them. */
  readonly bindings?: Map<string, string>;
  /**
   * Compare an SDK response (without `$metadata`) with a recorded botocore response (without
   * `ResponseMetadata`): members the SDK left undefined count as absent.
   */
  readonly sdkResponse?: boolean;
}

/**
 * Compares a value with a recorded one field by field: same keys, same values, where `<name:N>`
 * placeholders (and `<region>`, `<partition>`, account 111111111111) match anything but must stand
 * for the same value everywhere in one comparison, and bare stand-ins must pass their test.
 * Returns the differences.
 */
export function diffFromRecording(actual: unknown, recorded: unknown, options: DiffOptions = {}): string[] {
  return diff(actual, recorded, options.bindings ?? new Map(), '$', options);
}

function diff(
  actual: unknown,
  recorded: unknown,
  bindings: Map<string, string>,
  path: string,
  options: DiffOptions,
): string[] {
  if (typeof recorded === 'string') {
    const standIn = options.standIns?.[recorded];
    if (standIn) {
      const shown = typeof actual === 'string' ? JSON.stringify(actual) : String(actual);
      return standIn(actual) ? [] : [`${path}: ${shown} does not look like <${recorded}>`];
    }
    if (typeof actual !== 'string')
      return [`${path}: expected a string like ${recorded}, got ${JSON.stringify(actual)}`];
    const names: string[] = [];
    // The recorder replaced the real account id by 111111111111: a placeholder like the others.
    const pattern = recorded
      .replaceAll('111111111111', '<account-id>')
      .split(/(<[a-z-]+(?::\d+)?>)/)
      .map((part, i) => {
        if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part);
        return '(.+?)';
      })
      .join('');
    const match = new RegExp(`^${pattern}$`).exec(actual);
    if (!match) return [`${path}: ${JSON.stringify(actual)} does not match ${JSON.stringify(recorded)}`];
    const problems: string[] = [];
    names.forEach((name, i) => {
      const value = match[i + 1]!;
      const bound = bindings.get(name);
      if (bound === undefined) bindings.set(name, value);
      else if (bound !== value)
        problems.push(`${path}: ${name} is ${JSON.stringify(value)} here but ${JSON.stringify(bound)} elsewhere`);
    });
    return problems;
  }
  if (Array.isArray(recorded)) {
    if (!Array.isArray(actual) || actual.length !== recorded.length) {
      return [`${path}: expected an array of ${recorded.length}, got ${JSON.stringify(actual)}`];
    }
    return recorded.flatMap((item, i) => diff(actual[i], item, bindings, `${path}[${i}]`, options));
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const a = actual as Record<string, unknown>;
    const r = recorded as Record<string, unknown>;
    const sdk = options.sdkResponse === true;
    const absent = (key: string) => !(key in a) || (sdk && a[key] === undefined);
    const problems: string[] = [];
    for (const key of Object.keys(a)) {
      if (sdk && key === '$metadata') continue;
      if (!absent(key) && !(key in r)) problems.push(`${path}.${key}: not in the recording`);
    }
    for (const key of Object.keys(r)) {
      if (sdk && key === 'ResponseMetadata') continue;
      if (absent(key)) problems.push(`${path}.${key}: missing`);
      else problems.push(...diff(a[key], r[key], bindings, `${path}.${key}`, options));
    }
    return problems;
  }
  return Object.is(actual, recorded)
    ? []
    : [`${path}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`];
}
