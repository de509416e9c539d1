import { randomUUID } from 'node:crypto';
import { type Action, findQualified, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import type { PolicyStatement } from '../store.ts';
import { parseJsonBody, type Rules, validate } from '../validation.ts';

const RULES: Rules = {
  StatementId: { type: 'string', required: true, minLength: 1, maxLength: 100, pattern: /([a-zA-Z0-9-_.]+)/ },
  Action: { type: 'string', required: true, pattern: /(lambda:[*]|lambda:[a-zA-Z]+|[*])/ },
  Principal: { type: 'string', required: true, pattern: /[^\s]+/ },
  SourceArn: {
    type: 'string',
    pattern: /arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)/,
  },
  SourceAccount: { type: 'string', maxLength: 12, pattern: /\d{12}/ },
  PrincipalOrgID: { type: 'string', minLength: 12, maxLength: 34 },
  EventSourceToken: { type: 'string', maxLength: 256 },
  FunctionUrlAuthType: { type: 'string', enum: ['NONE', 'AWS_IAM'] },
  RevisionId: { type: 'string' },
};

/** How Lambda writes a principal in a policy statement. */
function principal(value: string): PolicyStatement['Principal'] {
  if (value === '*') return '*';
  if (/^\d{12}$/.test(value)) return { AWS: `arn:aws:iam::${value}:root` };
  if (value.startsWith('arn:')) return { AWS: value };
  return { Service: value };
}

/**
 * AddPermission: POST /2015-03-31/functions/{FunctionName}/policy[?Qualifier=] → 201 `{ Statement }`
 * (a JSON string). With a Qualifier the statement is the version's or alias's own: its Resource is
 * that qualified ARN, and it lets invoke that qualifier only (Lambda developer guide: resource-based policies).
 */
export const addPermission: Action = async (context, request) => {
  const target = findQualified(context, request);
  const { record } = target;
  const input = parseJsonBody(request.body);
  validate(input, RULES);
  if (typeof input.RevisionId === 'string' && input.RevisionId !== record.config.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const sid = input.StatementId as string;
  const resource = target.config.FunctionArn;
  if (record.policy.some((statement) => statement.Sid === sid && statement.Resource === resource)) {
    throw new LambdaError(
      'ResourceConflictException',
      'The statement id (sid) provided already exists. Please specify a different statement id, or remove the existing statement.',
    );
  }
  const condition: Record<string, Record<string, string>> = {};
  if (typeof input.SourceAccount === 'string') condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
  if (typeof input.PrincipalOrgID === 'string')
    condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': input.PrincipalOrgID };
  if (typeof input.EventSourceToken === 'string')
    condition.StringEquals = { ...condition.StringEquals, 'lambda:EventSourceToken': input.EventSourceToken };
  if (typeof input.FunctionUrlAuthType === 'string')
    condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': input.FunctionUrlAuthType };
  if (typeof input.SourceArn === 'string') condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  const statement: PolicyStatement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: principal(input.Principal as string),
    Action: input.Action as string,
    Resource: resource,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
  context.store.put({
    ...record,
    policy: [...record.policy, statement],
    config: { ...record.config, RevisionId: randomUUID() },
  });
  context.trace.publish(
    'lambda.permission.added',
    { functionName: record.config.FunctionName, statement },
    request.requestId,
  );
  return json(201, { Statement: JSON.stringify(statement) }, request.requestId);
};
