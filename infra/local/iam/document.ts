import { IamError } from './errors.ts';
import type { PolicyDocument, PolicyStatement } from './evaluate.ts';

/** What a document is for: identity-based permissions, or a role's trust policy (who may assume it). */
export type DocumentKind = 'identity' | 'trust';

const EFFECTS = new Set(['Allow', 'Deny']);
const STATEMENT_FIELDS = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Principal',
  'NotPrincipal',
  'Condition',
]);
/** `service:Action` (IAM: "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."). */
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]*)$/;

const malformed = (message: string) => new IamError('MalformedPolicyDocument', message);

function strings(value: unknown): value is string | string[] {
  return (
    typeof value === 'string' || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string'))
  );
}

/** Rules each statement must satisfy, as data: [test, message]. */
const STATEMENT_RULES: readonly [(s: Record<string, unknown>, kind: DocumentKind) => boolean, string][] = [
  [(s) => Object.keys(s).every((key) => STATEMENT_FIELDS.has(key)), 'Syntax errors in policy.'],
  [(s) => typeof s.Effect === 'string' && EFFECTS.has(s.Effect), 'Syntax errors in policy.'],
  [(s) => (s.Action === undefined) !== (s.NotAction === undefined), 'Policy statement must contain actions.'],
  [(s) => [s.Action, s.NotAction].every((a) => a === undefined || strings(a)), 'Syntax errors in policy.'],
  [
    (s) => [s.Action, s.NotAction].flat().every((a) => a === undefined || ACTION.test(a as string)),
    'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  ],
  [
    (s, kind) => kind === 'trust' || (s.Resource === undefined) !== (s.NotResource === undefined),
    'Policy statement must contain resources.',
  ],
  [(s) => [s.Resource, s.NotResource].every((r) => r === undefined || strings(r)), 'Syntax errors in policy.'],
  [
    (s, kind) => kind === 'trust' || (s.Principal === undefined && s.NotPrincipal === undefined),
    'Policy document should not specify a principal.',
  ],
  [
    (s, kind) => kind === 'identity' || s.Principal !== undefined || s.NotPrincipal !== undefined,
    'AssumeRolepolicy contained an invalid principal: Missing principal.',
  ],
  [
    (s, kind) => kind === 'identity' || (s.Resource === undefined && s.NotResource === undefined),
    'Has prohibited field Resource',
  ],
  [
    (s) =>
      s.Condition === undefined ||
      (typeof s.Condition === 'object' &&
        s.Condition !== null &&
        Object.values(s.Condition).every(
          (block) => typeof block === 'object' && block !== null && !Array.isArray(block),
        )),
    'Syntax errors in policy.',
  ],
];

/**
 * Parses and checks a policy document the way IAM does on Put/Create (MalformedPolicyDocument
 * otherwise). Accepts URL-encoded text as well, as the AWS CLI and CloudFormation sometimes send it.
 */
export function parsePolicyDocument(text: string, kind: DocumentKind): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = JSON.parse(decodeURIComponent(text));
    } catch {
      throw malformed('This policy contains invalid Json');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw malformed('Syntax errors in policy.');
  const document = parsed as Record<string, unknown>;
  if (document.Version !== undefined && document.Version !== '2012-10-17' && document.Version !== '2008-10-17') {
    throw malformed('The policy failed legacy parsing');
  }
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  if (document.Statement === undefined || statements.length === 0) throw malformed('Syntax errors in policy.');
  for (const statement of statements) {
    if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) {
      throw malformed('Syntax errors in policy.');
    }
    for (const [rule, message] of STATEMENT_RULES) {
      if (!rule(statement as Record<string, unknown>, kind)) throw malformed(message);
    }
  }
  return document as unknown as PolicyDocument & { Statement: PolicyStatement | PolicyStatement[] };
}
