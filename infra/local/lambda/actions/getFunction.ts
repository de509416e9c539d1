import { pathToFileURL } from 'node:url';
import { type Action, findQualified, json } from '../context.ts';

/**
 * GetFunction: GET /2015-03-31/functions/{FunctionName}[?Qualifier=]. `Code.Location` is a `file:`
 * URL of the code directory (AWS gives a presigned S3 URL of the zip; the local cloud keeps code
 * unpacked). `Concurrency` appears when the function has reserved concurrency, as on AWS.
 */
export const getFunction: Action = async (context, request) => {
  const target = findQualified(context, request);
  const reserved = target.record.reservedConcurrency;
  return json(
    200,
    {
      Configuration: target.config,
      Code: { RepositoryType: 'S3', Location: pathToFileURL(target.code.dir).href },
      ...(reserved !== undefined ? { Concurrency: { ReservedConcurrentExecutions: reserved } } : {}),
    },
    request.requestId,
  );
};
