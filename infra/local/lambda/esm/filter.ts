import { LambdaError } from '../errors.ts';

/**
 * Lambda event filtering (FilterCriteria): EventBridge-style patterns. Supported: exact values
 * (strings, numbers, booleans, null), `prefix`, `suffix`, `equals-ignore-case`, `exists`,
 * `numeric` and `anything-but`. A record is delivered when any filter matches; within a pattern
 * every key must match, and any value of a key's list may. Leaf values are what `exists` sees: a
 * DynamoDB attribute `{S: 'v'}` is an object, so `NewImage.attr: [{exists: false}]` matches it
 * (recorded: test/recordings/aws/dynamodb-esm-filter-newimage-exists-false.json).
 */

type Matcher =
  | { readonly kind: 'equals'; readonly value: string | number | boolean | null }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'numeric'; readonly ranges: readonly (readonly [string, number])[] }
  | { readonly kind: 'anything-but'; readonly values: readonly (string | number)[]; readonly prefix?: string };

/** A compiled pattern: a key maps to a nested pattern or to the alternatives for a leaf. */
export interface Pattern {
  readonly [key: string]: Pattern | readonly Matcher[];
}

/** AWS's answer for any pattern it cannot parse (recorded: test/recordings/aws/lambda-esm-invalid-filter-pattern.json). */
export const INVALID_PATTERN = 'Invalid filter pattern definition.';

const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

function invalid(): never {
  throw new LambdaError('InvalidParameterValueException', INVALID_PATTERN);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileMatcher(item: unknown): Matcher {
  if (item === null || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
    return { kind: 'equals', value: item };
  }
  if (!isPlainObject(item)) invalid();
  const entries = Object.entries(item);
  if (entries.length !== 1) invalid();
  const [operator, operand] = entries[0]!;
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string') invalid();
      return { kind: operator, value: operand };
    case 'exists':
      if (typeof operand !== 'boolean') invalid();
      return { kind: 'exists', value: operand };
    case 'numeric': {
      if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) invalid();
      const ranges: [string, number][] = [];
      for (let i = 0; i < operand.length; i += 2) {
        const op = operand[i];
        const value = operand[i + 1];
        if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op) || typeof value !== 'number') invalid();
        ranges.push([op, value]);
      }
      return { kind: 'numeric', ranges };
    }
    case 'anything-but': {
      if (typeof operand === 'string' || typeof operand === 'number')
        return { kind: 'anything-but', values: [operand] };
      if (
        Array.isArray(operand) &&
        operand.length > 0 &&
        operand.every((v) => typeof v === 'string' || typeof v === 'number')
      ) {
        return { kind: 'anything-but', values: operand };
      }
      if (isPlainObject(operand) && typeof operand.prefix === 'string' && Object.keys(operand).length === 1) {
        return { kind: 'anything-but', values: [], prefix: operand.prefix };
      }
      return invalid();
    }
    default:
      return invalid();
  }
}

function compileObject(value: Record<string, unknown>): Pattern {
  const pattern: Record<string, Pattern | readonly Matcher[]> = {};
  for (const [key, member] of Object.entries(value)) {
    if (Array.isArray(member)) {
      if (member.length === 0) invalid();
      pattern[key] = member.map(compileMatcher);
    } else if (isPlainObject(member)) {
      if (Object.keys(member).length === 0) invalid();
      pattern[key] = compileObject(member);
    } else {
      invalid();
    }
  }
  return pattern;
}

/** Parses one filter's `Pattern` (JSON text); throws InvalidParameterValueException as AWS does. */
export function compilePattern(text: unknown): Pattern {
  if (typeof text !== 'string') invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    invalid();
  }
  if (!isPlainObject(parsed)) invalid();
  return compileObject(parsed);
}

/** A leaf is a value that is not an object: strings, numbers, booleans, null, or a list of them. */
function leafValues(value: unknown): unknown[] | undefined {
  if (value === undefined || isPlainObject(value)) return undefined;
  return Array.isArray(value) ? value : [value];
}

function matchesValue(matcher: Matcher, value: unknown): boolean {
  switch (matcher.kind) {
    case 'equals':
      return value === matcher.value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(matcher.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(matcher.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === matcher.value.toLowerCase();
    case 'numeric':
      return (
        typeof value === 'number' &&
        matcher.ranges.every(([op, bound]) => {
          switch (op) {
            case '<':
              return value < bound;
            case '<=':
              return value <= bound;
            case '=':
              return value === bound;
            case '>':
              return value > bound;
            default:
              return value >= bound;
          }
        })
      );
    case 'anything-but':
      if (matcher.prefix !== undefined) return typeof value === 'string' && !value.startsWith(matcher.prefix);
      return !matcher.values.includes(value as string | number);
    case 'exists':
      return true;
  }
}

function matchesLeaf(matchers: readonly Matcher[], value: unknown): boolean {
  const values = leafValues(value);
  return matchers.some((matcher) => {
    if (matcher.kind === 'exists') return matcher.value === (values !== undefined);
    return values?.some((v) => matchesValue(matcher, v)) ?? false;
  });
}

/** True when `event` matches the compiled pattern. */
export function matches(pattern: Pattern, event: unknown): boolean {
  const object = isPlainObject(event) ? event : undefined;
  return Object.entries(pattern).every(([key, member]) => {
    const value = object?.[key];
    return Array.isArray(member) ? matchesLeaf(member as readonly Matcher[], value) : matches(member as Pattern, value);
  });
}

/** Compiles all of a mapping's filters (none → every record passes). */
export function compileFilters(filters: readonly { readonly Pattern: string }[] | undefined): readonly Pattern[] {
  return (filters ?? []).map((filter) => compilePattern(filter.Pattern));
}

/** Lambda delivers a record when it matches any filter (or there are no filters). */
export function passes(patterns: readonly Pattern[], event: unknown): boolean {
  return patterns.length === 0 || patterns.some((pattern) => matches(pattern, event));
}
