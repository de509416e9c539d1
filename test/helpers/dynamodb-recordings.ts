import { diffFromRecording } from './recordings.ts';

export { recordingContent as loadDynamoDBRecording } from './recordings.ts';

/** Bare stand-ins the recorder wrote for DynamoDB values, with what the real (SDK-parsed) value must be. */
const STAND_INS: Readonly<Record<string, (value: unknown) => boolean>> = {
  datetime: (value) => value instanceof Date && !Number.isNaN(value.getTime()),
  'starting-sequence-number': (value) => typeof value === 'string' && /^\d{21,40}$/.test(value),
};

/**
 * Compares an SDK response (without `$metadata`) with a recorded botocore response (without `ResponseMetadata`)
 * field by field (see diffFromRecording); `<region>`, `<partition>` and the account id start bound to the local
 * cloud's. Returns the differences.
 */
export function diffDynamoDB(
  actual: unknown,
  recorded: unknown,
  bindings: Map<string, string> = new Map([
    ['<region>', 'us-east-1'],
    ['<partition>', 'aws'],
    ['<account-id>', '000000000000'],
  ]),
): string[] {
  return diffFromRecording(actual, recorded, { standIns: STAND_INS, bindings, sdkResponse: true });
}
