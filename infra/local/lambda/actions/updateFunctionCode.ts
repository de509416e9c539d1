import { randomUUID } from 'node:crypto';
import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { lastModified } from '../store.ts';
import { parseJsonBody, type Rules, validate } from '../validation.ts';
import { publishVersion } from '../versions.ts';

const RULES: Rules = {
  ZipFile: { type: 'string' },
  S3Bucket: { type: 'string', minLength: 3, maxLength: 63 },
  S3Key: { type: 'string', minLength: 1, maxLength: 1024 },
  RevisionId: { type: 'string' },
  Publish: { type: 'boolean' },
  DryRun: { type: 'boolean' },
  Architectures: { type: 'array', minLength: 1, maxLength: 1, enum: ['x86_64', 'arm64'] },
};

/** UpdateFunctionCode: PUT /2015-03-31/functions/{FunctionName}/code. Warm environments are retired. */
export const updateFunctionCode: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const input = parseJsonBody(request.body);
  validate(input, RULES);
  if (typeof input.RevisionId === 'string' && input.RevisionId !== record.config.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const { code, size, sha256 } = await context.resolveCode(record.config.FunctionName, input, request.caller);
  if (input.DryRun === true)
    return json(200, { ...record.config, CodeSize: size, CodeSha256: sha256 }, request.requestId);
  const current = context.store.get(record.config.FunctionName) ?? record;
  const config = {
    ...current.config,
    CodeSize: size,
    CodeSha256: sha256,
    LastModified: lastModified(),
    RevisionId: randomUUID(),
    ...(Array.isArray(input.Architectures) ? { Architectures: input.Architectures as string[] } : {}),
  };
  context.store.put({ ...current, config, code });
  context.retire(config.FunctionName);
  context.trace.publish(
    'lambda.function.updated',
    { functionName: config.FunctionName, change: 'code' },
    request.requestId,
  );
  // `Publish: true` publishes a version of the new code; the answer describes that version.
  if (input.Publish === true) {
    const version = publishVersion(context.store, context.store.get(config.FunctionName)!, context.region);
    return json(200, version.config, request.requestId);
  }
  return json(200, config, request.requestId);
};
