import { parseJsonBody as parseJsonObject } from '../shared/json-protocol.ts';
import type { FieldRule } from '../shared/validation.ts';
import { validator } from '../shared/validation.ts';
import { KinesisError } from './errors.ts';

/**
 * Field rules for a request body, as data (the shared engine: ../shared/validation.ts). Constraints
 * are the Kinesis API reference's (length, pattern, range, enum); messages follow AWS's
 * `1 validation error detected: Value '…' at '…' failed to satisfy constraint: …`. A value of the
 * wrong JSON type is a SerializationException, as AWS's JSON 1.1 decoder answers.
 */
export type { FieldRule, Rules } from '../shared/validation.ts';

export const STREAM_NAME: FieldRule = { type: 'string', minLength: 1, maxLength: 128, pattern: /[a-zA-Z0-9_.-]+/ };
export const STREAM_ARN: FieldRule = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  pattern: /arn:aws.*:kinesis:.*:\d{12}:stream\/\S+/,
};
export const SHARD_ID: FieldRule = { type: 'string', minLength: 1, maxLength: 128, pattern: /[a-zA-Z0-9_.-]+/ };
export const SEQUENCE_NUMBER: FieldRule = { type: 'string', pattern: /0|([1-9]\d{0,128})/ };
export const PARTITION_KEY: FieldRule = { type: 'string', required: true, minLength: 1, maxLength: 256 };
export const HASH_KEY: FieldRule = { type: 'string', pattern: /0|([1-9]\d{0,38})/ };
/** A record's data blob: at most 1 MiB before base64 (the default MaxRecordSizeInKiB). */
export const MAX_RECORD_BYTES = 1_048_576;
export const DATA: FieldRule = { type: 'blob', required: true, maxLength: MAX_RECORD_BYTES };

/** Throws ValidationException listing every rule the input breaks (AWS reports them all at once). */
export const validate = validator({
  expected: {
    integer: 'an integer',
    timestamp: 'a timestamp in epoch seconds',
    blob: 'a base64-encoded blob',
    array: 'a list',
    object: 'a structure',
  },
  typeError: (path, expected) => new KinesisError('SerializationException', `Expected ${expected} at '${path}'.`),
  validationError: (message) => new KinesisError('ValidationException', message),
  quoteArrays: false,
});

/** Parses a JSON 1.1 request body (empty → `{}`); anything else is a SerializationException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  return parseJsonObject(body, {
    malformed: (cause) =>
      new KinesisError('SerializationException', `Malformed request body: ${cause.message}`, { cause }),
    notAnObject: () => new KinesisError('SerializationException', 'Malformed request body: expected a JSON object.'),
  });
}
