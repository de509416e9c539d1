import { type Action, findFunction, json } from '../context.ts';
import { LambdaError } from '../errors.ts';
import { parseJsonBody, type Rules, validate } from '../validation.ts';
import { publishVersion as publish } from '../versions.ts';

const RULES: Rules = {
  CodeSha256: { type: 'string' },
  Description: { type: 'string', maxLength: 256 },
  RevisionId: { type: 'string' },
};

/**
 * PublishVersion: POST /2015-03-31/functions/{FunctionName}/versions → 201 with the version's
 * configuration (`Version: "1"`, FunctionArn qualified). Unchanged code and configuration publish
 * nothing: the last version is answered again (API reference: PublishVersion).
 */
export const publishVersion: Action = async (context, request) => {
  const record = findFunction(context, request, { takesQualifier: false });
  const input = parseJsonBody(request.body);
  validate(input, RULES);
  if (typeof input.CodeSha256 === 'string' && input.CodeSha256 !== record.config.CodeSha256) {
    throw new LambdaError(
      'InvalidParameterValueException',
      `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${record.config.CodeSha256}). Please try again with the current CodeSHA256.`,
    );
  }
  if (typeof input.RevisionId === 'string' && input.RevisionId !== record.config.RevisionId) {
    throw new LambdaError(
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
  const version = publish(context.store, record, context.region, input.Description as string | undefined);
  context.trace.publish(
    'lambda.version.published',
    { functionName: record.config.FunctionName, version: version.config.Version },
    request.requestId,
  );
  return json(201, version.config, request.requestId);
};
