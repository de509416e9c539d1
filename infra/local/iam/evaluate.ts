/**
 * IAM's policy evaluation for one account, as the IAM User Guide describes it ("Policy evaluation
 * logic", "Determining whether a request is allowed or denied within an account"):
 *
 * 1. every statement of every applicable policy is checked against the request;
 * 2. a matching `Deny` wins (explicit deny);
 * 3. otherwise a matching `Allow` allows;
 * 4. otherwise the request is denied by default (implicit deny).
 *
 * Pure: no I/O, no clock. What is supported of the policy language:
 * - `Action` / `NotAction` (case-insensitive, `*` and `?` wildcards),
 * - `Resource` / `NotResource` (case-sensitive, wildcards may span `:` and `/`),
 * - `Principal` / `NotPrincipal` (for trust policies: `*`, `AWS`, `Service`, `Federated`),
 * - `Condition` with the String*, Arn*, Bool and Null operators, the `IfExists` suffix and the
 *   `ForAnyValue:` / `ForAllValues:` set qualifiers; keys are case-insensitive.
 *
 * Not supported (documented, never silent): Numeric*, Date*, IpAddress, Binary operators and policy
 * variables (`${aws:username}`). A condition with an operator the engine does not know never
 * matches — so an `Allow` guarded by it does not allow, and a `Deny` guarded by it does not deny.
 */

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Principal?: PrincipalBlock;
  readonly NotPrincipal?: PrincipalBlock;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type PrincipalBlock = '*' | Readonly<Record<string, string | readonly string[]>>;

export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** A policy as evaluated: its document and a name to report (a policy ARN or `role/<name>/<policy name>`). */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface EvaluationRequest {
  /** `service:Operation`, e.g. `s3:PutObject`. */
  readonly action: string;
  /** ARN of the resource, or `*` for actions without one. */
  readonly resource: string;
  /**
   * Who is asking, for statements with `Principal`: every identifier the caller is known by
   * (`arn:aws:sts::…:assumed-role/R/s`, `arn:aws:iam::…:role/R`, `lambda.amazonaws.com`, …).
   */
  readonly principal?: readonly string[];
  /** Condition keys of the request context (`aws:SourceArn`, `cognito-identity.amazonaws.com:aud`, …). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface MatchedStatement {
  /** Name of the policy holding the statement. */
  readonly policy: string;
  /** Position of the statement in its policy. */
  readonly index: number;
  readonly statement: PolicyStatement;
}

export interface Evaluation {
  readonly decision: Decision;
  readonly matchedStatement?: MatchedStatement;
  /** Why, in words a learner can act on. */
  readonly reason: string;
}

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as readonly T[]) : [value as T];

const patternCache = new Map<string, RegExp>();

/** `*` matches any run of characters (including none), `?` exactly one. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let regex = patternCache.get(key);
  if (regex === undefined) {
    const source = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
    if (patternCache.size > 5000) patternCache.clear();
    patternCache.set(key, regex);
  }
  return regex.test(value);
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (statement.NotAction !== undefined)
    return !asList(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  return false;
}

function resourceMatches(statement: PolicyStatement, resource: string): boolean {
  if (statement.Resource !== undefined) return asList(statement.Resource).some((p) => wildcardMatch(p, resource));
  if (statement.NotResource !== undefined)
    return !asList(statement.NotResource).some((p) => wildcardMatch(p, resource));
  // Trust policies name no resource: the role they are attached to is the resource.
  return true;
}

function principalIn(block: PrincipalBlock, principal: readonly string[]): boolean {
  if (block === '*') return true;
  for (const [, values] of Object.entries(block)) {
    for (const value of asList(values)) {
      if (value === '*' || principal.some((id) => wildcardMatch(value, id))) return true;
    }
  }
  return false;
}

function principalMatches(statement: PolicyStatement, principal: readonly string[] | undefined): boolean {
  if (statement.Principal !== undefined) return principal !== undefined && principalIn(statement.Principal, principal);
  if (statement.NotPrincipal !== undefined)
    return principal === undefined || !principalIn(statement.NotPrincipal, principal);
  // Identity-based policies have no Principal: they apply to whoever they are attached to.
  return true;
}

// ----------------------------------------------------------------------------- conditions

type Compare = (policyValue: string, requestValue: string) => boolean;

/** Condition operators as data: how one policy value compares to one request value, and whether it negates. */
const OPERATORS: Readonly<Record<string, { readonly compare: Compare; readonly negated: boolean }>> = {
  stringequals: { compare: (p, r) => p === r, negated: false },
  stringnotequals: { compare: (p, r) => p === r, negated: true },
  stringequalsignorecase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: true },
  stringlike: { compare: (p, r) => wildcardMatch(p, r), negated: false },
  stringnotlike: { compare: (p, r) => wildcardMatch(p, r), negated: true },
  arnequals: { compare: (p, r) => arnLike(p, r), negated: false },
  arnlike: { compare: (p, r) => arnLike(p, r), negated: false },
  arnnotequals: { compare: (p, r) => arnLike(p, r), negated: true },
  arnnotlike: { compare: (p, r) => arnLike(p, r), negated: true },
  bool: { compare: (p, r) => p.toLowerCase() === r.toLowerCase(), negated: false },
};

/** ArnLike/ArnEquals compare the six colon-separated parts of an ARN, each with wildcards (IAM User Guide, "ARN condition operators"). */
function arnLike(pattern: string, arn: string): boolean {
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return wildcardMatch(pattern, arn);
  const head = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const [pp, aa] = [head(p), head(a)];
  return pp.every((part, i) => wildcardMatch(part, aa[i] ?? ''));
}

function contextValues(context: EvaluationRequest['context'], key: string): readonly string[] | undefined {
  if (context === undefined) return undefined;
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) {
    if (name.toLowerCase() === lower) return asList(value);
  }
  return undefined;
}

function conditionHolds(operatorName: string, key: string, policyValue: unknown, request: EvaluationRequest): boolean {
  let name = operatorName;
  let set: 'any' | 'all' | undefined;
  const qualifier = /^(ForAnyValue|ForAllValues):(.+)$/i.exec(name);
  if (qualifier) {
    set = qualifier[1]!.toLowerCase() === 'foranyvalue' ? 'any' : 'all';
    name = qualifier[2]!;
  }
  const values = contextValues(request.context, key);
  const policyValues = asList(policyValue as string | readonly string[]).map(String);
  if (name.toLowerCase() === 'null') {
    const wantsAbsent = policyValues.some((v) => v.toLowerCase() === 'true');
    return wantsAbsent ? values === undefined : values !== undefined;
  }
  let ifExists = false;
  if (/IfExists$/i.test(name)) {
    ifExists = true;
    name = name.slice(0, -'IfExists'.length);
  }
  const operator = OPERATORS[name.toLowerCase()];
  if (operator === undefined) return false; // unknown operators never match (see the module comment)
  if (values === undefined || values.length === 0) {
    if (ifExists) return true;
    if (set === 'all') return true; // ForAllValues over an empty set is true (IAM User Guide)
    if (set === 'any') return false;
    return operator.negated;
  }
  const matchesOne = (value: string) => policyValues.some((p) => operator.compare(p, value));
  if (set === 'all') {
    return values.every((value) => (operator.negated ? !matchesOne(value) : matchesOne(value)));
  }
  // Single-valued keys and ForAnyValue: some request value satisfies the operator.
  return values.some((value) => (operator.negated ? !matchesOne(value) : matchesOne(value)));
}

function conditionsHold(statement: PolicyStatement, request: EvaluationRequest): boolean {
  if (statement.Condition === undefined) return true;
  for (const [operator, block] of Object.entries(statement.Condition)) {
    for (const [key, value] of Object.entries(block ?? {})) {
      if (!conditionHolds(operator, key, value, request)) return false;
    }
  }
  return true;
}

/** True when a statement applies to the request (its effect aside). */
export function statementMatches(statement: PolicyStatement, request: EvaluationRequest): boolean {
  return (
    actionMatches(statement, request.action) &&
    resourceMatches(statement, request.resource) &&
    principalMatches(statement, request.principal) &&
    conditionsHold(statement, request)
  );
}

/** Statements of a document, always as a list. */
export function statementsOf(document: PolicyDocument): readonly PolicyStatement[] {
  return asList(document.Statement);
}

function describe(match: MatchedStatement): string {
  const sid = match.statement.Sid ? ` (statement "${match.statement.Sid}")` : ` (statement ${match.index + 1})`;
  return `${match.policy}${sid}`;
}

/**
 * Evaluates identity-based (or trust, or session) policies for one request: explicit deny, then
 * allow, else implicit deny. `kind` names the policies in the implicit deny's reason, as AWS's
 * messages do (`no identity-based policy allows …`, `no session policy allows …`).
 */
export function evaluate(
  policies: readonly NamedPolicy[],
  request: EvaluationRequest,
  kind: 'identity-based' | 'session' = 'identity-based',
): Evaluation {
  let allow: MatchedStatement | undefined;
  for (const policy of policies) {
    const statements = statementsOf(policy.document);
    for (const [index, statement] of statements.entries()) {
      if (!statementMatches(statement, request)) continue;
      const match = { policy: policy.name, index, statement };
      if (statement.Effect === 'Deny') {
        return { decision: 'ExplicitDeny', matchedStatement: match, reason: `explicit deny in ${describe(match)}` };
      }
      if (statement.Effect === 'Allow') allow ??= match;
    }
  }
  if (allow !== undefined)
    return { decision: 'Allow', matchedStatement: allow, reason: `allowed by ${describe(allow)}` };
  return {
    decision: 'ImplicitDeny',
    reason: `no ${kind} policy allows the ${request.action} action`,
  };
}
