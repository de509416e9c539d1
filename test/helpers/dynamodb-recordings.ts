export { recordingContent as loadDynamoDBRecording } from './recordings.ts';

/** Bare stand-ins the recorder wrote for DynamoDB values, with what the real (SDK-parsed) value must be. */
const STAND_INS: Readonly<Record<string, (value: unknown) => boolean>> = {
  datetime: (value) => value instanceof Date && !Number.isNaN(value.getTime()),
  'starting-sequence-number': (value) => typeof value === 'string' && /^\d{21,40}$/.test(value),
};

/**
 * Compares an SDK response (without `$metadata`) with a recorded botocore response (without `ResponseMetadata`)
 * field by field. `<name:N>` placeholders (and `<region>`, `<partition>`, account 111111111111) match anything
 * but must stand for one value throughout a comparison. Returns the differences.
 */
export function diffDynamoDB(
  actual: unknown,
  recorded: unknown,
  bindings: Map<string, string> = new Map([
    ['<region>', 'us-east-1'],
    ['<partition>', 'aws'],
    ['<account-id>', '000000000000'],
  ]),
  path = '$',
): string[] {
  if (typeof recorded === 'string') {
    const standIn = STAND_INS[recorded];
    if (standIn) return standIn(actual) ? [] : [`${path}: ${String(actual)} does not look like <${recorded}>`];
    if (typeof actual !== 'string')
      return [`${path}: expected a string like ${recorded}, got ${JSON.stringify(actual)}`];
    const names: string[] = [];
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
    return recorded.flatMap((item, i) => diffDynamoDB(actual[i], item, bindings, `${path}[${i}]`));
  }
  if (recorded !== null && typeof recorded === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const a = actual as Record<string, unknown>;
    const r = recorded as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(a)) {
      if (key !== '$metadata' && a[key] !== undefined && !(key in r))
        problems.push(`${path}.${key}: not in the recording`);
    }
    for (const key of Object.keys(r)) {
      if (key === 'ResponseMetadata') continue;
      if (!(key in a) || a[key] === undefined) problems.push(`${path}.${key}: missing`);
      else problems.push(...diffDynamoDB(a[key], r[key], bindings, `${path}.${key}`));
    }
    return problems;
  }
  return Object.is(actual, recorded)
    ? []
    : [`${path}: expected ${JSON.stringify(recorded)}, got ${JSON.stringify(actual)}`];
}
