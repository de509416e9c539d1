import { afterEach, describe, expect, it, vi } from 'vitest';
import { integerEnv, MissingEnvironmentVariableError, requireEnv } from '../../../scenarios/shared/env.ts';

afterEach(() => vi.unstubAllEnvs());

describe('requireEnv', () => {
  it('returns the value of a set variable', () => {
    vi.stubEnv('WORKBOOK_TEST_VAR', 'value');
    expect(requireEnv('WORKBOOK_TEST_VAR')).toBe('value');
  });

  it.each([undefined, ''])('throws an error naming the variable when it is %j', (value) => {
    vi.stubEnv('WORKBOOK_TEST_VAR', value);
    expect(() => requireEnv('WORKBOOK_TEST_VAR')).toThrow(MissingEnvironmentVariableError);
    expect(() => requireEnv('WORKBOOK_TEST_VAR')).toThrow(/WORKBOOK_TEST_VAR is not set/);
  });
});

describe('integerEnv', () => {
  it('falls back when unset and parses integers', () => {
    vi.stubEnv('WORKBOOK_TEST_INT', undefined);
    expect(integerEnv('WORKBOOK_TEST_INT', 7)).toBe(7);
    vi.stubEnv('WORKBOOK_TEST_INT', '42');
    expect(integerEnv('WORKBOOK_TEST_INT', 7)).toBe(42);
  });

  it('names the variable and the bad value', () => {
    vi.stubEnv('WORKBOOK_TEST_INT', 'wide');
    expect(() => integerEnv('WORKBOOK_TEST_INT', 7)).toThrow("WORKBOOK_TEST_INT must be an integer, got 'wide'");
  });
});
