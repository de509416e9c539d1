import { pathToFileURL } from 'node:url';
import { type Action, findFunction, json } from '../context.ts';

/**
 * GetFunction: GET /2015-03-31/functions/{FunctionName}. `Code.Location` is a `file:` URL of the
 * code directory (AWS gives a presigned S3 URL of the zip; the local cloud keeps code unpacked).
 */
export const getFunction: Action = async (context, request) => {
  const record = findFunction(context, request);
  return json(
    200,
    {
      Configuration: record.config,
      Code: { RepositoryType: 'S3', Location: pathToFileURL(record.code.dir).href },
    },
    request.requestId,
  );
};
