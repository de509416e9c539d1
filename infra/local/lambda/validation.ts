import { parseJsonBody as parseJsonObject } from '../shared/json-protocol.ts';
import { validator } from '../shared/validation.ts';
import { LambdaError } from './errors.ts';

/**
 * Field rules for a request body, as data (the shared engine: ../shared/validation.ts). Constraints
 * and member names follow the Lambda API reference; messages follow AWS's
 * `1 validation error detected: Value '…' at '…' failed to satisfy constraint: …` format.
 */
export type { FieldRule, Rules } from '../shared/validation.ts';

/** Throws ValidationException listing every rule the input breaks (AWS reports them all at once). */
export const validate = validator({
  expected: { integer: 'an integer', array: 'a list', stringMap: 'a map of strings', object: 'an object' },
  typeError: (path, expected) =>
    new LambdaError(
      'InvalidRequestContentException',
      `Could not parse request body into json: '${path}' must be ${expected}`,
    ),
  validationError: (message) => new LambdaError('ValidationException', message),
  arrayEnum: 'each',
});

/** Parses a JSON request body (empty → `{}`); anything else is InvalidRequestContentException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  return parseJsonObject(body, {
    malformed: (cause) =>
      new LambdaError('InvalidRequestContentException', `Could not parse request body into json: ${cause.message}`, {
        cause,
      }),
    notAnObject: () =>
      new LambdaError(
        'InvalidRequestContentException',
        'Could not parse request body into json: expected a JSON object',
      ),
  });
}
