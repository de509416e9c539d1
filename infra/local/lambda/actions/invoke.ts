import type { Action, InvokeOptions } from '../context.ts';
import { LambdaError } from '../errors.ts';

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function enumHeader<T extends string>(value: string | undefined, allowed: readonly T[], member: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/**
 * Invoke: POST /2015-03-31/functions/{FunctionName}/invocations. Headers X-Amz-Invocation-Type,
 * X-Amz-Log-Type, X-Amz-Client-Context; query Qualifier. Answers 200 with the payload (and
 * X-Amz-Function-Error / X-Amz-Log-Result / X-Amz-Executed-Version), 202 for Event, 204 for DryRun
 * (recorded: test/recordings/aws/lambda-invoke-*.json).
 */
export const invoke: Action = async (context, request) => {
  const options: InvokeOptions = {
    invocationType: enumHeader(header(request.headers['x-amz-invocation-type']), INVOCATION_TYPES, 'invocationType'),
    logType: enumHeader(header(request.headers['x-amz-log-type']), LOG_TYPES, 'logType'),
    clientContext: header(request.headers['x-amz-client-context']),
    identity: request.caller.cognitoIdentity,
    qualifier: request.query.get('Qualifier') ?? undefined,
    requestId: request.requestId,
    source: 'api',
    traceHeader: header(request.headers['x-amzn-trace-id']),
  };
  const result = await context.invoke(request.params.FunctionName ?? '', request.body, options);
  if (result.statusCode !== 200) {
    return { status: result.statusCode, headers: { 'x-amzn-requestid': result.requestId }, body: '' };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-requestid': result.requestId,
    'x-amz-executed-version': result.executedVersion ?? '$LATEST',
  };
  if (result.functionError) headers['x-amz-function-error'] = result.functionError;
  if (result.logResult !== undefined) headers['x-amz-log-result'] = result.logResult;
  return { status: 200, headers, body: result.payload ?? 'null' };
};
