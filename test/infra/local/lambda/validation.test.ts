import { describe, expect, it } from 'vitest';
import { parseJsonBody, validate } from '../../../../infra/local/lambda/validation.ts';

describe('validation as data', () => {
  const rules = {
    FunctionName: { type: 'string', required: true, maxLength: 5 },
    MemorySize: { type: 'integer', min: 128 },
    Mode: { type: 'string', enum: ['A', 'B'] },
  } as const;

  it('passes a valid input', () => {
    expect(() => validate({ FunctionName: 'ab', MemorySize: 256, Mode: 'A' }, rules)).not.toThrow();
  });

  it('reports every broken rule in AWS’s format', () => {
    expect(() => validate({ MemorySize: 1, Mode: 'C' }, rules)).toThrow(
      "3 validation errors detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null; " +
        "Value '1' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128; " +
        "Value 'C' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [A, B]",
    );
  });

  it.each([['{'], ['[1]'], ['"text"'], ['null']])('refuses the body %s with InvalidRequestContentException', (body) => {
    expect(() => parseJsonBody(Buffer.from(body))).toThrow(
      expect.objectContaining({ code: 'InvalidRequestContentException' }),
    );
  });
});
