/**
 * CloudWatch Logs filter patterns ("Filter pattern syntax for metric filters, subscription filters,
 * filter log events"), compiled to a predicate over an event's message. What is supported:
 *
 * - match everything: an empty pattern, or `""`;
 * - terms: `ERROR` (every term must occur, case-sensitive), `"exact phrase"` (quoted, may hold
 *   spaces and punctuation), `-term` (must not occur), `?term ?other` (at least one of the `?`
 *   terms must occur), `%regex%` (a regular expression);
 * - JSON: `{ $.field = value }` with `=`, `!=`, `<`, `>`, `<=`, `>=`, string values quoted or bare
 *   with `*` wildcards, numbers, `%regex%`, `IS TRUE|FALSE|NULL`, `NOT EXISTS`, nested selectors
 *   (`$.a.b`, `$.list[0].id`), `&&`, `||` and parentheses;
 * - space-delimited: `[ip, user, ..., status = 404, size > 1000]` with `...` for any fields,
 *   fields split on spaces, `"quoted"` and `[bracketed]` fields kept whole.
 *
 * A JSON pattern matches an event whose message is a JSON object — or, as Lambda writes
 * `console.log(JSON.stringify(x))` behind its timestamp and request id, a message that ends in one.
 * Anything else is refused with {@link FilterPatternError}, never silently ignored.
 */

import { createRequire } from 'node:module';

// Loaded with the first %regex% pattern, not with the cloud (an idle cloud never needs it).
const require = createRequire(import.meta.url);
let re2js: typeof import('re2js') | undefined;
function loadRe2js(): typeof import('re2js') {
  re2js ??= require('re2js') as typeof import('re2js');
  return re2js;
}

export class FilterPatternError extends Error {
  override name = 'FilterPatternError';
}

export type MessageMatcher = (message: string) => boolean;

/** The longest pattern AWS accepts (FilterLogEvents: filterPattern length 0–1024). */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/** Compiles a filter pattern; throws {@link FilterPatternError} for one it cannot read. */
export function compileFilterPattern(pattern: string | undefined): MessageMatcher {
  const text = (pattern ?? '').trim();
  if (text === '' || text === '""') return () => true;
  if (text.startsWith('{')) return compileJson(text);
  if (text.startsWith('[')) return compileSpaceDelimited(text);
  return compileTerms(text);
}

// ----------------------------------------------------------------------------------- terms

function compileTerms(text: string): MessageMatcher {
  const all: MessageMatcher[] = [];
  const any: MessageMatcher[] = [];
  const none: MessageMatcher[] = [];
  let index = 0;
  while (index < text.length) {
    while (text[index] === ' ' || text[index] === '\t') index += 1;
    if (index >= text.length) break;
    let bucket = all;
    if (text[index] === '?') {
      bucket = any;
      index += 1;
    } else if (text[index] === '-' && index + 1 < text.length && text[index + 1] !== ' ') {
      bucket = none;
      index += 1;
    }
    const char = text[index];
    if (char === '"') {
      const end = closingQuote(text, index);
      const phrase = unquote(text.slice(index + 1, end));
      bucket.push((message) => message.includes(phrase));
      index = end + 1;
    } else if (char === '%') {
      const end = text.indexOf('%', index + 1);
      if (end === -1)
        throw new FilterPatternError(`Invalid filter pattern: unterminated regular expression in '${text}'.`);
      const regex = regexOf(text.slice(index + 1, end));
      bucket.push((message) => regex.test(message));
      index = end + 1;
    } else {
      let end = index;
      while (end < text.length && text[end] !== ' ' && text[end] !== '\t') end += 1;
      const term = text.slice(index, end);
      if (term === '' || /["{}[\]]/.test(term)) {
        throw new FilterPatternError(
          `Invalid filter pattern: the term '${term}' must be quoted ("…") to contain ", {, }, [ or ].`,
        );
      }
      bucket.push((message) => message.includes(term));
      index = end;
    }
  }
  return (message) =>
    all.every((match) => match(message)) &&
    none.every((match) => !match(message)) &&
    (any.length === 0 || any.some((match) => match(message)));
}

/** Index of the `"` closing the quoted string that opens at `start`. */
function closingQuote(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '"') return index;
  }
  throw new FilterPatternError(`Invalid filter pattern: unterminated quoted string in '${text}'.`);
}

const unquote = (quoted: string) => quoted.replace(/\\(.)/g, '$1');

/** A `%regex%` of a filter pattern, matched anywhere in a string. */
interface FilterRegex {
  readonly source: string;
  test(text: string): boolean;
}

/**
 * CloudWatch Logs' regexes: no `(`/`)` subpatterns ("Supported regular expressions (regex) syntax",
 * CloudWatch Logs User Guide), matched by RE2JS (a port of RE2, whose automaton runs in time linear
 * in the line): a pattern such as `a*a*a*b` cannot make a long log line freeze the cloud the way a
 * backtracking engine (JavaScript's RegExp) would.
 */
function regexOf(source: string): FilterRegex {
  if (/[()]/.test(source)) {
    throw new FilterPatternError(
      `Invalid filter pattern: %${source}% uses '(' or ')'; CloudWatch Logs regexes cannot define subpatterns.`,
    );
  }
  try {
    const compiled = loadRe2js().RE2JS.compile(source);
    return { source, test: (text) => compiled.test(text) };
  } catch (error) {
    throw new FilterPatternError(
      `Invalid filter pattern: bad regular expression %${source}%: ${(error as Error).message}`,
    );
  }
}

/**
 * `abc*def` → a predicate on whole strings, `*` matching any run of characters. Matched by the
 * classic two-pointer glob walk (at most |text|·|value| steps) rather than a RegExp, whose
 * backtracking over several `.*` grows with a power of the text's length.
 */
function wildcard(value: string): (text: string) => boolean {
  if (!value.includes('*')) return (text) => text === value;
  return (text) => {
    let t = 0;
    let v = 0;
    let star = -1;
    let resume = 0;
    while (t < text.length) {
      if (v < value.length && value[v] === '*') {
        star = v;
        v += 1;
        resume = t;
      } else if (v < value.length && value[v] === text[t]) {
        v += 1;
        t += 1;
      } else if (star !== -1) {
        v = star + 1;
        resume += 1;
        t = resume;
      } else {
        return false;
      }
    }
    while (v < value.length && value[v] === '*') v += 1;
    return v === value.length;
  };
}

// ----------------------------------------------------------------------------------- JSON

type Token =
  | { kind: 'selector'; path: (string | number)[]; text: string }
  | { kind: 'op'; op: string }
  | { kind: 'word'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'regex'; regex: FilterRegex }
  | { kind: 'punct'; text: '(' | ')' | '&&' | '||' };

function tokenizeJson(body: string, whole: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const fail = (what: string): never => {
    throw new FilterPatternError(`Invalid filter pattern: ${what} in '${whole}'.`);
  };
  while (index < body.length) {
    const char = body[index]!;
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: 'punct', text: char });
      index += 1;
    } else if (body.startsWith('&&', index) || body.startsWith('||', index)) {
      tokens.push({ kind: 'punct', text: body.slice(index, index + 2) as '&&' | '||' });
      index += 2;
    } else if (/^(!=|<=|>=|=|<|>)/.test(body.slice(index))) {
      const op = /^(!=|<=|>=|=|<|>)/.exec(body.slice(index))![1]!;
      tokens.push({ kind: 'op', op });
      index += op.length;
    } else if (char === '$') {
      const match = /^\$((?:\.[A-Za-z0-9_@-]+|\[\d+\]|\.\*)*)/.exec(body.slice(index))!;
      const path: (string | number)[] = [];
      for (const part of match[1]!.matchAll(/\.([A-Za-z0-9_@-]+|\*)|\[(\d+)\]/g)) {
        if (part[1] === '*') fail("the '*' selector is not supported locally");
        path.push(part[2] === undefined ? part[1]! : Number(part[2]));
      }
      tokens.push({ kind: 'selector', path, text: match[0] });
      index += match[0].length;
    } else if (char === '"') {
      const end = closingQuote(body, index);
      tokens.push({ kind: 'string', text: unquote(body.slice(index + 1, end)) });
      index = end + 1;
    } else if (char === '%') {
      const end = body.indexOf('%', index + 1);
      if (end === -1) fail('an unterminated regular expression');
      tokens.push({ kind: 'regex', regex: regexOf(body.slice(index + 1, end)) });
      index = end + 1;
    } else {
      let end = index;
      while (
        end < body.length &&
        !/[\s()]/.test(body[end]!) &&
        !body.startsWith('&&', end) &&
        !body.startsWith('||', end)
      )
        end += 1;
      tokens.push({ kind: 'word', text: body.slice(index, end) });
      index = end;
    }
  }
  return tokens;
}

type JsonPredicate = (root: unknown) => boolean;

function compileJson(text: string): MessageMatcher {
  if (!text.endsWith('}')) throw new FilterPatternError(`Invalid filter pattern: missing '}' in '${text}'.`);
  const tokens = tokenizeJson(text.slice(1, -1), text);
  let position = 0;
  const fail = (what: string): never => {
    throw new FilterPatternError(`Invalid filter pattern: ${what} in '${text}'.`);
  };
  const peek = () => tokens[position];
  const next = () => tokens[position++];

  const parseOr = (): JsonPredicate => {
    const parts = [parseAnd()];
    while (peek()?.kind === 'punct' && (peek() as { text: string }).text === '||') {
      next();
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0]! : (root) => parts.some((part) => part(root));
  };
  const parseAnd = (): JsonPredicate => {
    const parts = [parsePrimary()];
    while (peek()?.kind === 'punct' && (peek() as { text: string }).text === '&&') {
      next();
      parts.push(parsePrimary());
    }
    return parts.length === 1 ? parts[0]! : (root) => parts.every((part) => part(root));
  };
  const parsePrimary = (): JsonPredicate => {
    const token = next();
    if (token === undefined) return fail('an incomplete expression');
    if (token.kind === 'punct' && token.text === '(') {
      const inner = parseOr();
      const close = next();
      if (close?.kind !== 'punct' || close.text !== ')') fail("a missing ')'");
      return inner;
    }
    if (token.kind !== 'selector') return fail(`expected a selector such as $.field, found '${describe(token)}'`);
    return parseComparison(token.path);
  };
  const parseComparison = (path: (string | number)[]): JsonPredicate => {
    const token = next();
    if (token?.kind === 'word' && token.text.toUpperCase() === 'IS') {
      const what = next();
      const keyword = what?.kind === 'word' ? what.text.toUpperCase() : '';
      if (keyword === 'TRUE') return (root) => select(root, path) === true;
      if (keyword === 'FALSE') return (root) => select(root, path) === false;
      if (keyword === 'NULL') return (root) => select(root, path) === null;
      return fail('IS must be followed by TRUE, FALSE or NULL');
    }
    if (token?.kind === 'word' && token.text.toUpperCase() === 'NOT') {
      const what = next();
      if (what?.kind !== 'word' || what.text.toUpperCase() !== 'EXISTS') fail('NOT must be followed by EXISTS');
      return (root) => select(root, path) === undefined;
    }
    if (token?.kind !== 'op') return fail('expected a comparison (=, !=, <, >, <=, >=, IS, NOT EXISTS)');
    const value = next();
    if (value === undefined || (value.kind !== 'word' && value.kind !== 'string' && value.kind !== 'regex'))
      return fail(`expected a value after '${token.op}'`);
    return comparison(path, token.op, value, fail);
  };

  const predicate = parseOr();
  if (position < tokens.length) fail(`unexpected '${describe(tokens[position]!)}'`);
  return (message) => {
    const root = jsonOf(message);
    return root !== undefined && predicate(root);
  };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'selector':
      return token.text;
    case 'op':
      return token.op;
    case 'regex':
      return `%${token.regex.source}%`;
    default:
      return token.text;
  }
}

function comparison(
  path: (string | number)[],
  op: string,
  value: Extract<Token, { kind: 'word' | 'string' | 'regex' }>,
  fail: (what: string) => never,
): JsonPredicate {
  const numeric =
    value.kind === 'word' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.text) ? Number(value.text) : undefined;
  if (op === '=' || op === '!=') {
    let equals: (field: unknown) => boolean;
    if (value.kind === 'regex') {
      equals = (field) => (typeof field === 'string' || typeof field === 'number') && value.regex.test(String(field));
    } else {
      const text = value.text;
      const matchesText = wildcard(text);
      equals = (field) => {
        if (typeof field === 'number') return numeric !== undefined ? field === numeric : matchesText(String(field));
        if (typeof field === 'string') return matchesText(field);
        if (typeof field === 'boolean' || field === null) return String(field) === text;
        return false;
      };
    }
    // `!=` matches fields that exist and differ.
    return op === '='
      ? (root) => equals(select(root, path))
      : (root) => {
          const field = select(root, path);
          return field !== undefined && !equals(field);
        };
  }
  if (numeric === undefined) fail(`'${op}' compares numbers, not '${value.kind === 'regex' ? 'a regex' : value.text}'`);
  const compare = {
    '<': (a: number, b: number) => a < b,
    '>': (a: number, b: number) => a > b,
    '<=': (a: number, b: number) => a <= b,
    '>=': (a: number, b: number) => a >= b,
  }[op as '<' | '>' | '<=' | '>=']!;
  return (root) => {
    const field = select(root, path);
    return typeof field === 'number' && compare(field, numeric!);
  };
}

function select(root: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current;
}

/** The JSON object a message is, or ends with (Lambda's `<time>\t<request id>\tINFO\t{…}`). */
function jsonOf(message: string): unknown {
  const parse = (text: string) => {
    try {
      const value: unknown = JSON.parse(text);
      return value !== null && typeof value === 'object' ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const trimmed = message.trim();
  if (trimmed.startsWith('{')) return parse(trimmed);
  const start = trimmed.indexOf('{');
  return start === -1 || !trimmed.endsWith('}') ? undefined : parse(trimmed.slice(start));
}

// ----------------------------------------------------------------------------------- space-delimited

type FieldCheck = { kind: 'ellipsis' } | { kind: 'field'; test?: (field: string) => boolean };

function compileSpaceDelimited(text: string): MessageMatcher {
  if (!text.endsWith(']')) throw new FilterPatternError(`Invalid filter pattern: missing ']' in '${text}'.`);
  const fail = (what: string): never => {
    throw new FilterPatternError(`Invalid filter pattern: ${what} in '${text}'.`);
  };
  const checks: FieldCheck[] = text
    .slice(1, -1)
    .split(',')
    .map((part) => part.trim())
    .map((part): FieldCheck => {
      if (part === '...') return { kind: 'ellipsis' };
      const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:(!=|<=|>=|=|<|>)\s*(.+))?$/.exec(part);
      if (match === null) return fail(`'${part}' is not a field name or a condition`);
      const [, , op, rawValue] = match;
      if (op === undefined) return { kind: 'field' };
      let value = rawValue!.trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = unquote(value.slice(1, -1));
      const numeric = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
      if (op === '=' || op === '!=') {
        const equals =
          numeric !== undefined ? (field: string) => Number(field) === numeric || field === value : wildcard(value);
        return { kind: 'field', test: op === '=' ? equals : (field) => !equals(field) };
      }
      if (numeric === undefined) return fail(`'${op}' compares numbers, not '${value}'`);
      const compare = {
        '<': (a: number) => a < numeric,
        '>': (a: number) => a > numeric,
        '<=': (a: number) => a <= numeric,
        '>=': (a: number) => a >= numeric,
      }[op as '<' | '>' | '<=' | '>=']!;
      return { kind: 'field', test: (field) => field.trim() !== '' && compare(Number(field)) };
    });
  return (message) => matchFields(splitFields(message), 0, checks, 0, new Set());
}

/** Whitespace-separated fields; `"…"` and `[…]` stay whole (without their quotes). */
function splitFields(message: string): string[] {
  const fields: string[] = [];
  const regex = /"([^"]*)"|\[([^\]]*)\]|(\S+)/g;
  for (const match of message.matchAll(regex)) fields.push(match[1] ?? match[2] ?? match[3] ?? '');
  return fields;
}

/** Whether `checks[check…]` match `fields[at…]`; `failed` remembers dead ends (several `...` would otherwise explode). */
function matchFields(
  fields: readonly string[],
  at: number,
  checks: readonly FieldCheck[],
  check: number,
  failed: Set<number>,
): boolean {
  if (check === checks.length) return at === fields.length;
  const key = check * (fields.length + 1) + at;
  if (failed.has(key)) return false;
  const current = checks[check]!;
  let matched = false;
  if (current.kind === 'ellipsis') {
    for (let skip = at; skip <= fields.length && !matched; skip += 1)
      matched = matchFields(fields, skip, checks, check + 1, failed);
  } else if (at < fields.length && (current.test === undefined || current.test(fields[at]!))) {
    matched = matchFields(fields, at + 1, checks, check + 1, failed);
  }
  if (!matched) failed.add(key);
  return matched;
}
