import { addPermission } from './actions/addPermission.ts';
import { createAlias } from './actions/createAlias.ts';
import { createFunction } from './actions/createFunction.ts';
import { deleteAlias } from './actions/deleteAlias.ts';
import { deleteFunction } from './actions/deleteFunction.ts';
import { deleteFunctionConcurrency } from './actions/deleteFunctionConcurrency.ts';
import { deleteFunctionEventInvokeConfig } from './actions/deleteFunctionEventInvokeConfig.ts';
import { getAlias } from './actions/getAlias.ts';
import { getFunction } from './actions/getFunction.ts';
import { getFunctionConcurrency } from './actions/getFunctionConcurrency.ts';
import { getFunctionConfiguration } from './actions/getFunctionConfiguration.ts';
import { getFunctionEventInvokeConfig } from './actions/getFunctionEventInvokeConfig.ts';
import { getFunctionRecursionConfig } from './actions/getFunctionRecursionConfig.ts';
import { getPolicy } from './actions/getPolicy.ts';
import { invoke } from './actions/invoke.ts';
import { invokeAsync } from './actions/invokeAsync.ts';
import { listAliases } from './actions/listAliases.ts';
import { listFunctionEventInvokeConfigs } from './actions/listFunctionEventInvokeConfigs.ts';
import { listFunctions } from './actions/listFunctions.ts';
import { listVersionsByFunction } from './actions/listVersionsByFunction.ts';
import { publishVersion } from './actions/publishVersion.ts';
import { putFunctionConcurrency } from './actions/putFunctionConcurrency.ts';
import { putFunctionEventInvokeConfig } from './actions/putFunctionEventInvokeConfig.ts';
import { putFunctionRecursionConfig } from './actions/putFunctionRecursionConfig.ts';
import { removePermission } from './actions/removePermission.ts';
import { updateAlias } from './actions/updateAlias.ts';
import { updateFunctionCode } from './actions/updateFunctionCode.ts';
import { updateFunctionConfiguration } from './actions/updateFunctionConfiguration.ts';
import { updateFunctionEventInvokeConfig } from './actions/updateFunctionEventInvokeConfig.ts';
import type { Action } from './context.ts';
import { LambdaError } from './errors.ts';

export interface Route {
  readonly method: string;
  readonly path: RegExp;
  readonly params: readonly string[];
  readonly operation: string;
  /** The IAM action (Service Authorization Reference, AWS Lambda); resource: the function's ARN, `*` for ListFunctions. */
  readonly iamAction: string;
  readonly action: Action;
}

/** `[method, path (with {FunctionName}-style parameters), operation, action]`; the IAM action is `lambda:<operation>` unless given. */
type RouteSpec = readonly [string, string, string, Action, string?];

const SPECS: readonly RouteSpec[] = [
  ['POST', '/2015-03-31/functions', 'CreateFunction', createFunction],
  ['GET', '/2015-03-31/functions', 'ListFunctions', listFunctions],
  ['GET', '/2015-03-31/functions/{FunctionName}', 'GetFunction', getFunction],
  ['DELETE', '/2015-03-31/functions/{FunctionName}', 'DeleteFunction', deleteFunction],
  ['GET', '/2015-03-31/functions/{FunctionName}/configuration', 'GetFunctionConfiguration', getFunctionConfiguration],
  [
    'PUT',
    '/2015-03-31/functions/{FunctionName}/configuration',
    'UpdateFunctionConfiguration',
    updateFunctionConfiguration,
  ],
  ['PUT', '/2015-03-31/functions/{FunctionName}/code', 'UpdateFunctionCode', updateFunctionCode],
  ['POST', '/2015-03-31/functions/{FunctionName}/invocations', 'Invoke', invoke, 'lambda:InvokeFunction'],
  ['POST', '/2015-03-31/functions/{FunctionName}/policy', 'AddPermission', addPermission],
  ['GET', '/2015-03-31/functions/{FunctionName}/policy', 'GetPolicy', getPolicy],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/policy/{StatementId}', 'RemovePermission', removePermission],
  ['POST', '/2015-03-31/functions/{FunctionName}/versions', 'PublishVersion', publishVersion],
  ['GET', '/2015-03-31/functions/{FunctionName}/versions', 'ListVersionsByFunction', listVersionsByFunction],
  ['POST', '/2015-03-31/functions/{FunctionName}/aliases', 'CreateAlias', createAlias],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases', 'ListAliases', listAliases],
  ['GET', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'GetAlias', getAlias],
  ['PUT', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'UpdateAlias', updateAlias],
  ['DELETE', '/2015-03-31/functions/{FunctionName}/aliases/{Name}', 'DeleteAlias', deleteAlias],
  [
    'PUT',
    '/2019-09-25/functions/{FunctionName}/event-invoke-config',
    'PutFunctionEventInvokeConfig',
    putFunctionEventInvokeConfig,
  ],
  [
    'POST',
    '/2019-09-25/functions/{FunctionName}/event-invoke-config',
    'UpdateFunctionEventInvokeConfig',
    updateFunctionEventInvokeConfig,
  ],
  [
    'GET',
    '/2019-09-25/functions/{FunctionName}/event-invoke-config',
    'GetFunctionEventInvokeConfig',
    getFunctionEventInvokeConfig,
  ],
  [
    'DELETE',
    '/2019-09-25/functions/{FunctionName}/event-invoke-config',
    'DeleteFunctionEventInvokeConfig',
    deleteFunctionEventInvokeConfig,
  ],
  [
    'GET',
    '/2019-09-25/functions/{FunctionName}/event-invoke-config/list',
    'ListFunctionEventInvokeConfigs',
    listFunctionEventInvokeConfigs,
  ],
  ['PUT', '/2017-10-31/functions/{FunctionName}/concurrency', 'PutFunctionConcurrency', putFunctionConcurrency],
  ['GET', '/2019-09-30/functions/{FunctionName}/concurrency', 'GetFunctionConcurrency', getFunctionConcurrency],
  [
    'PUT',
    '/2024-08-31/functions/{FunctionName}/recursion-config',
    'PutFunctionRecursionConfig',
    putFunctionRecursionConfig,
  ],
  [
    'GET',
    '/2024-08-31/functions/{FunctionName}/recursion-config',
    'GetFunctionRecursionConfig',
    getFunctionRecursionConfig,
  ],
  [
    'DELETE',
    '/2017-10-31/functions/{FunctionName}/concurrency',
    'DeleteFunctionConcurrency',
    deleteFunctionConcurrency,
  ],
  // The deprecated InvokeAsync API.
  ['POST', '/2014-11-13/functions/{FunctionName}/invoke-async', 'InvokeAsync', invokeAsync, 'lambda:InvokeFunction'],
];

function compile([method, template, operation, action, iamAction]: RouteSpec): Route {
  const params: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return {
    method,
    path: new RegExp(`^${source}/?$`),
    params,
    operation,
    iamAction: iamAction ?? `lambda:${operation}`,
    action,
  };
}

/** The Lambda API's operations the local cloud implements (REST-JSON, one module per action in actions/). */
export const ROUTES: readonly Route[] = SPECS.map(compile);

/** The route of a request, with its decoded path parameters; NotImplemented for other Lambda operations. */
export function routeOf(method: string, rawPath: string): { route: Route; params: Record<string, string> } {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.path.exec(rawPath);
    if (!match) continue;
    const params: Record<string, string> = {};
    for (const [index, name] of route.params.entries()) {
      try {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      } catch {
        throw new LambdaError(
          'ValidationException',
          `1 validation error detected: Value '${match[index + 1]}' at '${name}' is not a valid URL encoding`,
        );
      }
    }
    return { route, params };
  }
  if (/^\/20\d\d-\d\d-\d\d\//.test(rawPath)) {
    throw new LambdaError(
      'NotImplemented',
      `The local cloud does not implement this Lambda operation (${method} ${rawPath}).`,
    );
  }
  throw new LambdaError('UnknownOperationException', `Unknown operation ${method} ${rawPath}`);
}
