import { diffFromRecording as diffRecorded } from './recordings.ts';

export { recordingContent as loadRecording } from './recordings.ts';

const shaped =
  (pattern: RegExp) =>
  (value: unknown): boolean =>
    typeof value === 'string' && pattern.test(value);

/** Literal stand-ins the recorder wrote instead of real values, with what the real value must look like. */
const STAND_INS: Readonly<Record<string, (value: unknown) => boolean>> = {
  date: shaped(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  sequencer: shaped(/^[0-9A-F]+$/),
  'amz-id': shaped(/^\S+$/),
  'amz-request-id': shaped(/^\S+$/),
};

/** Compares a value with a recorded S3 one (see recordings.ts's diffFromRecording, with S3's stand-ins). */
export function diffFromRecording(actual: unknown, recorded: unknown, bindings?: Map<string, string>): string[] {
  return diffRecorded(actual, recorded, { standIns: STAND_INS, bindings });
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
