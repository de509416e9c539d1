// The configuration view's logic without the DOM: reading the form into a change Lambda would
// accept (AWS's limits, site/lib/function-config.ts), and putting triggers and policies in words.
import {
  type ConfigUpdateRequest,
  checkConfigUpdate,
  type FieldProblem,
  type FunctionConfigView,
  type FunctionTrigger,
} from '../../../lib/function-config.ts';

/** One row of the variables table as typed. */
export interface VariableRow {
  readonly name: string;
  readonly value: string;
}

/** The form as typed: text, as the inputs hold it. */
export interface ConfigForm {
  readonly memorySize: string;
  readonly timeout: string;
  readonly variables: readonly VariableRow[];
}

/** The form's verdict: what to send (only what changed), or the problems to show beside the fields. */
export type FormVerdict =
  | { readonly ok: true; readonly update: Omit<ConfigUpdateRequest, 'functionIndex'>; readonly changed: boolean }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/** A number typed in a field: digits only (`12.5`, `1e3`, `` → NaN, which the limits refuse). */
const whole = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

/** Checks the form against Lambda's limits and keeps only what differs from `current`. */
export function readConfigForm(form: ConfigForm, current: FunctionConfigView): FormVerdict {
  // Rows left entirely empty are not variables (the learner added a row and left it).
  const variables = form.variables
    .map((row) => ({ name: row.name.trim(), value: row.value }))
    .filter((row) => row.name !== '' || row.value !== '');
  const memorySize = whole(form.memorySize);
  const timeout = whole(form.timeout);
  const problems = checkConfigUpdate({ memorySize, timeout, environment: variables });
  if (problems.length > 0) return { ok: false, problems };
  const environment = Object.fromEntries(variables.map((row) => [row.name, row.value]));
  const sameEnvironment =
    JSON.stringify(Object.entries(environment).sort()) === JSON.stringify(Object.entries(current.environment).sort());
  const update = {
    ...(memorySize !== current.memorySize ? { memorySize } : {}),
    ...(timeout !== current.timeout ? { timeout } : {}),
    ...(sameEnvironment ? {} : { environment }),
  };
  return { ok: true, update, changed: Object.keys(update).length > 0 };
}

/** What the change does, in one line a learner reads after saving. */
export function describeChange(update: Omit<ConfigUpdateRequest, 'functionIndex'>): string {
  const parts: string[] = [];
  if (update.memorySize !== undefined) parts.push(`memory ${update.memorySize.toLocaleString('en-US')} MB`);
  if (update.timeout !== undefined) parts.push(`timeout ${update.timeout} s`);
  if (update.environment !== undefined) {
    const count = Object.keys(update.environment).length;
    parts.push(`${count} environment variable${count === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/** The last part of an ARN's resource (`arn:…:table/Orders/stream/2024…` → `Orders`), for a short label. */
export function shortArn(arn: string): string {
  const table = /:table\/([^/]+)/.exec(arn);
  if (table?.[1]) return table[1];
  const stream = /:stream\/([^/]+)/.exec(arn);
  if (stream?.[1]) return stream[1];
  return arn.slice(arn.lastIndexOf(':') + 1).replace(/^[a-z]+\//, '');
}

/** A trigger as the view shows it: a title and its settings, each a label and a value. */
export interface TriggerSummary {
  readonly title: string;
  /** What kind of source, in the lesson's words. */
  readonly kind: string;
  readonly settings: readonly (readonly [string, string])[];
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function summarizeTrigger(trigger: FunctionTrigger): TriggerSummary {
  switch (trigger.kind) {
    case 's3-notification':
      return {
        kind: 'S3 bucket notification (asynchronous invoke)',
        title: trigger.bucket,
        settings: [
          ['Events', trigger.events.join(', ') || '—'],
          ...trigger.filters.map((rule) => [`Key ${rule.name}`, rule.value] as const),
        ],
      };
    case 'event-source-mapping': {
      const source = trigger.eventSourceArn.includes(':kinesis:') ? 'Kinesis stream' : 'DynamoDB stream';
      const settings: (readonly [string, string])[] = [['State', trigger.state]];
      if (trigger.batchSize !== undefined) settings.push(['Batch size', String(trigger.batchSize)]);
      if (trigger.maximumBatchingWindowInSeconds !== undefined)
        settings.push(['Batching window', `${trigger.maximumBatchingWindowInSeconds} s`]);
      if (trigger.startingPosition) settings.push(['Starting position', trigger.startingPosition]);
      if (trigger.maximumRetryAttempts !== undefined)
        settings.push([
          'Retry attempts',
          trigger.maximumRetryAttempts === -1 ? 'until the record expires' : String(trigger.maximumRetryAttempts),
        ]);
      if (trigger.maximumRecordAgeInSeconds !== undefined)
        settings.push([
          'Maximum record age',
          trigger.maximumRecordAgeInSeconds === -1
            ? 'the stream’s retention'
            : `${trigger.maximumRecordAgeInSeconds} s`,
        ]);
      if (trigger.bisectBatchOnFunctionError !== undefined)
        settings.push(['Split batch on error', yesNo(trigger.bisectBatchOnFunctionError)]);
      if (trigger.functionResponseTypes?.length)
        settings.push(['Function response types', trigger.functionResponseTypes.join(', ')]);
      if (trigger.onFailure) settings.push(['On failure', trigger.onFailure]);
      for (const pattern of trigger.filterPatterns ?? []) settings.push(['Filter', pattern]);
      settings.push(['Source ARN', trigger.eventSourceArn]);
      return {
        kind: `${source} (event source mapping: Lambda polls)`,
        title: shortArn(trigger.eventSourceArn),
        settings,
      };
    }
    case 'identity-pool-invoke':
      return {
        kind: 'Direct Invoke by the mobile app (RequestResponse, with identity pool credentials)',
        title: 'The app, signed in as a guest of the identity pool',
        settings: [
          ['Role', trigger.roleName],
          [
            'Who calls',
            'Guests of the identity pool: the app signs in as one and gets this role’s temporary credentials',
          ],
          ...(trigger.identityPoolId ? [['Identity pool', trigger.identityPoolId] as const] : []),
          ['Invocation type', `${trigger.invocationType} (the app waits for the answer)`],
          [
            'Allowed by',
            trigger.statements.length > 0
              ? trigger.statements
                  .map(({ policy, statement }) => `${policy}: ${policyStatements({ Statement: [statement] }).join('')}`)
                  .join('; ')
              : 'nothing: no statement of the role allows lambda:InvokeFunction on this function, so the app’s calls are refused',
          ],
          ['Role ARN', trigger.roleArn],
        ],
      };
    case 'http-route':
      return {
        kind: 'HTTP API route (synchronous invoke)',
        title: trigger.routeKey,
        settings: [
          ['API', trigger.apiId],
          ...(trigger.payloadFormatVersion ? [['Payload format', trigger.payloadFormatVersion] as const] : []),
          ...(trigger.authorizationType ? [['Authorization', trigger.authorizationType] as const] : []),
          ...(trigger.timeoutInMillis !== undefined
            ? [['Integration timeout', `${trigger.timeoutInMillis.toLocaleString('en-US')} ms`] as const]
            : []),
        ],
      };
  }
}

const list = (value: unknown): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => String(item));

/** A policy document's statements in one line each: `Allow s3:GetObject on arn:…`. */
export function policyStatements(document: unknown): string[] {
  if (typeof document !== 'object' || document === null) return [];
  const raw = (document as { Statement?: unknown }).Statement;
  const statements: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return statements.map((statement) => {
    const s = (statement ?? {}) as Record<string, unknown>;
    const actions = list(s.Action ?? s.NotAction).join(', ');
    const resources = list(s.Resource ?? s.NotResource).join(', ');
    const not = s.NotAction !== undefined ? ' everything but' : '';
    const condition = s.Condition !== undefined ? ' (with a condition)' : '';
    return `${String(s.Effect ?? 'Allow')}${not} ${actions} on ${resources || '—'}${condition}`;
  });
}

/** A principal as the lesson names it: `S3 (s3.amazonaws.com)`, `API Gateway (…)`, or the ARN. */
function principalWords(principal: unknown): string {
  if (principal === '*') return 'Anyone';
  const p = (principal ?? {}) as { Service?: unknown; AWS?: unknown };
  const services: Record<string, string> = {
    's3.amazonaws.com': 'S3',
    'apigateway.amazonaws.com': 'API Gateway',
    'events.amazonaws.com': 'EventBridge',
    'sns.amazonaws.com': 'SNS',
  };
  const named = [
    ...list(p.Service).map((service) => (services[service] ? `${services[service]} (${service})` : service)),
    ...list(p.AWS).map((arn) =>
      /^\d{12}$/.test(arn) || arn.endsWith(':root')
        ? `account ${arn.replace(/^arn:[^:]+:iam::(\d+):root$/, '$1')}`
        : arn,
    ),
  ];
  return named.join(' and ') || 'Someone';
}

/** The values of one condition key, whatever operator holds it (`ArnLike`, `StringEquals`…). */
function conditionValues(condition: unknown, key: string): string[] {
  const found: string[] = [];
  for (const block of Object.values((condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [name, value] of Object.entries(block ?? {})) {
      if (name.toLowerCase() === key.toLowerCase()) found.push(...list(value));
    }
  }
  return found;
}

/** `arn:aws:execute-api:region:account:apiId/stage/METHOD/path…` → what the lesson calls it. */
function executeApiWords(arn: string): string {
  const match = /^arn:[^:]+:execute-api:[^:]*:[^:]*:([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(arn);
  if (!match) return `requests matching ${arn}`;
  const [, api, stage, method, path] = match;
  const route = `${method === '*' ? 'any method' : method} ${path && path !== '/*' ? path : 'on any path'}`;
  return `requests to HTTP API ${api}, ${stage === '*' ? 'any stage' : `stage ${stage}`}, ${route}`;
}

/**
 * A resource-based policy's statements in the lesson's words: who may invoke the function, and
 * for what (`S3 (s3.amazonaws.com) may invoke it for notifications from bucket photos, in account 1…`).
 */
export function describeResourcePolicy(document: unknown): string[] {
  if (typeof document !== 'object' || document === null) return [];
  const raw = (document as { Statement?: unknown }).Statement;
  const statements: unknown[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return statements.map((statement) => {
    const s = (statement ?? {}) as Record<string, unknown>;
    const who = principalWords(s.Principal);
    const actions = list(s.Action);
    const verb =
      actions.length === 1 && actions[0] === 'lambda:InvokeFunction'
        ? 'may invoke it'
        : `may call ${actions.join(', ')}`;
    const sources = conditionValues(s.Condition, 'AWS:SourceArn').map((arn) => {
      const bucket = /^arn:[^:]+:s3:::([^/]+)$/.exec(arn);
      if (bucket) return `notifications from bucket ${bucket[1]}`;
      if (arn.includes(':execute-api:')) return executeApiWords(arn);
      return `calls from ${arn}`;
    });
    const accounts = conditionValues(s.Condition, 'AWS:SourceAccount');
    const effect = s.Effect === 'Deny' ? 'Denied: ' : '';
    return `${effect}${who} ${verb}${sources.length > 0 ? ` for ${sources.join(' or ')}` : ''}${accounts.length > 0 ? `, in account ${accounts.join(' or ')}` : ''}.`;
  });
}
