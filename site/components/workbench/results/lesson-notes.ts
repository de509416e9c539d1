// One line for a result that surprises because the lesson's point is at work: a batch that counts
// nothing because its records were already applied (idempotency), an "Unhandled after 0 ms" that is
// an init phase running out of time, a role that may not make the call. Rules as data, first match wins.
import type { Invocation } from './timeline.ts';

/** What a rule sees of an invocation. */
type Seen = Pick<Invocation, 'status' | 'error' | 'initFailed' | 'durationMs' | 'logs'>;

/** The JSON objects the function logged (`log()` writes one per line, after Lambda's prefix). */
function loggedObjects(logs: readonly string[]): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (const line of logs) {
    const start = line.indexOf('{');
    if (start < 0) continue;
    try {
      const value: unknown = JSON.parse(line.slice(start));
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        objects.push(value as Record<string, unknown>);
    } catch {
      // not a JSON log line
    }
  }
  return objects;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

interface Rule {
  /** What the rule is about (tests name it). */
  readonly id: string;
  explain(seen: Seen): string | undefined;
}

const RULES: readonly Rule[] = [
  {
    id: 'init-timeout',
    explain: (seen) =>
      seen.initFailed && seen.error?.errorType === 'Sandbox.Timedout'
        ? 'The init phase timed out: the code outside the handler (imports, clients, top-level await) ran past the 10 s Lambda allows for init, so the handler never ran.'
        : undefined,
  },
  {
    id: 'init-error',
    explain: (seen) =>
      seen.initFailed
        ? 'The init phase failed: the module threw while loading (code outside the handler), so the handler never ran.'
        : undefined,
  },
  {
    id: 'timeout',
    explain: (seen) =>
      seen.status === 'timed-out'
        ? 'The function ran past its timeout: Lambda stopped it and billed the whole time. Raise the timeout or make the work shorter.'
        : undefined,
  },
  {
    id: 'access-denied',
    explain: (seen) =>
      /AccessDenied/.test(`${seen.error?.errorType ?? ''} ${seen.error?.errorMessage ?? ''}`)
        ? 'The function’s execution role does not allow this call: a function may do only what its role’s policies allow.'
        : undefined,
  },
  {
    id: 'idempotency',
    explain: (seen) => {
      for (const entry of loggedObjects(seen.logs)) {
        if (entry.message !== 'batch aggregated') continue;
        const records = count(entry.records);
        const applied = count(entry.applied);
        const repeated = count(entry.duplicates) || Math.max(0, records - applied - count(entry.skipped));
        if (repeated === 0) continue;
        return applied === 0
          ? `Nothing was counted: ${repeated === 1 ? 'this record was' : `these ${repeated} records were`} already applied. The handler marks each record the first time (an applied# item), so the same records again — a retry, or the same sample run twice — are not counted twice: idempotency.`
          : `${repeated} record${repeated === 1 ? ' was' : 's were'} already applied and not counted again (idempotency: each record counts once).`;
      }
      return undefined;
    },
  },
];

/** The one line that says why the result is what it is, when a rule knows; else undefined. */
export function lessonNote(seen: Seen): { readonly id: string; readonly text: string } | undefined {
  for (const rule of RULES) {
    const line = rule.explain(seen);
    if (line !== undefined) return { id: rule.id, text: line };
  }
  return undefined;
}
