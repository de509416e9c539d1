export { recordingContent as loadRecording } from './recordings.ts';

/** Literal stand-ins the recorder wrote instead of real values, with what the real value must look like. */
const STAND_INS: Readonly<Record<string, RegExp>> = {
  date: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
  sequencer: /^[0-9A-F]+$/,
  'amz-id': /^\S+$/,
  'amz-request-id': /^\S+$/,
};

/**
 * Compares a value with a recorded one field by field: same keys, same values, where `<name:N>`
 * placeholders match anything but must stand for the same value everywhere in one comparison,
 * and bare stand-ins (`date`, `sequencer`, …) must have the right shape. Returns the differences.
 */
export function diffFromRecording(
  actual: unknown,
  recorded: unknown,
  bindings: Map<string, string> = new Map(),
  path = '$',
): string[] {
  if (typeof recorded === 'string') {
    if (typeof actual !== 'string')
      return [`${path}: expected a string like ${recorded}, got ${JSON.stringify(actual)}`];
    const standIn = STAND_INS[recorded];
    if (standIn)
      return standIn.test(actual) ? [] : [`${path}: ${JSON.stringify(actual)} does not look like <${recorded}>`];
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
    return recorded.flatMap((item, i) => diffFromRecording(actual[i], item, bindings, `${path}[${i}]`));
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const a = actual as Record<string, unknown>;
    const r = recorded as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(a)) if (!(key in r)) problems.push(`${path}.${key}: not in the recording`);
    for (const key of Object.keys(r)) {
      if (!(key in a)) problems.push(`${path}.${key}: missing`);
      else problems.push(...diffFromRecording(a[key], r[key], bindings, `${path}.${key}`));
    }
    return problems;
  }
  return Object.is(actual, recorded)
    ? []
    : [`${path}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`];
}

/** Turns a DynamoDB-typed map ({M: {x: {S: …}}}) back into plain JSON. */
export function fromDynamoDb(value: unknown): unknown {
  const v = value as Record<string, unknown>;
  if ('M' in v)
    return Object.fromEntries(Object.entries(v.M as Record<string, unknown>).map(([k, x]) => [k, fromDynamoDb(x)]));
  if ('L' in v) return (v.L as unknown[]).map(fromDynamoDb);
  if ('S' in v) return v.S;
  if ('N' in v) return Number(v.N);
  if ('BOOL' in v) return v.BOOL;
  return value;
}
