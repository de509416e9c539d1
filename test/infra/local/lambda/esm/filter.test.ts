import { describe, expect, it } from 'vitest';
import { compilePattern, matches, passes } from '../../../../../infra/local/lambda/esm/filter.ts';

const record = {
  eventName: 'MODIFY',
  dynamodb: {
    ApproximateCreationDateTime: 1_700_000_000,
    Keys: { id: { S: 'order-1' } },
    NewImage: { id: { S: 'order-1' }, total: { N: '42' }, region: { S: 'us-east-1' }, tags: { SS: ['a', 'b'] } },
  },
  amount: 42,
  flags: ['red', 'blue'],
  nothing: null,
};

describe('filter patterns', () => {
  it.each([
    ['exact string', { eventName: ['MODIFY'] }, true],
    ['exact string, other value', { eventName: ['INSERT'] }, false],
    ['any of several values', { eventName: ['INSERT', 'MODIFY'] }, true],
    ['nested exact value', { dynamodb: { NewImage: { region: { S: ['us-east-1'] } } } }, true],
    ['exact number', { amount: [42] }, true],
    ['number does not equal its string', { amount: ['42'] }, false],
    ['null', { nothing: [null] }, true],
    ['list value: any element', { flags: ['blue'] }, true],
    ['prefix', { dynamodb: { NewImage: { region: { S: [{ prefix: 'us-' }] } } } }, true],
    ['prefix, no match', { dynamodb: { NewImage: { region: { S: [{ prefix: 'eu-' }] } } } }, false],
    ['suffix', { dynamodb: { NewImage: { region: { S: [{ suffix: '-1' }] } } } }, true],
    ['equals-ignore-case', { eventName: [{ 'equals-ignore-case': 'modify' }] }, true],
    ['numeric range', { amount: [{ numeric: ['>', 10, '<=', 42] }] }, true],
    ['numeric range, outside', { amount: [{ numeric: ['>', 42] }] }, false],
    ['numeric on a string is no match', { dynamodb: { NewImage: { total: { N: [{ numeric: ['>', 1] }] } } } }, false],
    [
      'numeric ApproximateCreationDateTime (recorded)',
      { dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } },
      true,
    ],
    ['exists true on a leaf', { dynamodb: { NewImage: { region: { S: [{ exists: true }] } } } }, true],
    ['exists true on an object is no match', { dynamodb: { NewImage: { region: [{ exists: true }] } } }, false],
    ['exists false on a missing key', { dynamodb: { NewImage: { missing: { S: [{ exists: false }] } } } }, true],
    ['exists false on an object (recorded)', { dynamodb: { NewImage: { region: [{ exists: false }] } } }, true],
    ['exists false under a missing parent', { dynamodb: { OldImage: { id: { S: [{ exists: false }] } } } }, true],
    ['anything-but a value', { eventName: [{ 'anything-but': 'INSERT' }] }, true],
    ['anything-but a list', { eventName: [{ 'anything-but': ['INSERT', 'MODIFY'] }] }, false],
    ['anything-but a prefix', { eventName: [{ 'anything-but': { prefix: 'MOD' } }] }, false],
    ['anything-but a missing key is no match', { missing: [{ 'anything-but': 'x' }] }, false],
    ['every key must match', { eventName: ['MODIFY'], amount: [1] }, false],
  ])('%s', (_, pattern, expected) => {
    expect(matches(compilePattern(JSON.stringify(pattern)), record)).toBe(expected);
  });

  it.each([
    ['not JSON', 'single-string'],
    ['a list', '[{"eventName":["INSERT"]}]'],
    ['an empty list of values', '{"eventName":[]}'],
    ['a bare value', '{"eventName":"INSERT"}'],
    ['two operators in one object', '{"amount":[{"numeric":[">",1],"prefix":"a"}]}'],
    ['a bad numeric operator', '{"amount":[{"numeric":["!=",1]}]}'],
    ['exists with a string', '{"amount":[{"exists":"yes"}]}'],
  ])('rejects %s', (_, text) => {
    expect(() => compilePattern(text)).toThrow('Invalid filter pattern definition.');
  });

  it('passes a record matching any filter, and every record without filters', () => {
    const insert = compilePattern('{"eventName":["INSERT"]}');
    const modify = compilePattern('{"eventName":["MODIFY"]}');
    expect(passes([insert, modify], record)).toBe(true);
    expect(passes([insert], record)).toBe(false);
    expect(passes([], record)).toBe(true);
  });
});
