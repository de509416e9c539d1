import type { ServiceRequest, ServiceResponse } from '../edge/types.ts';
import { type ServiceParameters, unsupportedParameter, unsupportedParameterMessage } from '../shared/parameters.ts';
import type { TraceBus } from '../trace/bus.ts';
import { IamError } from './errors.ts';
import { queryMembers } from './parameters.ts';
import { validateParams } from './validation.ts';
import { queryResponse, type XmlStructure } from './xml.ts';

/** A query-protocol request's parameters: the URL's query string plus a form-encoded body (AWS SDKs POST them). */
export function queryParams(request: Pick<ServiceRequest, 'query' | 'body' | 'headers'>): URLSearchParams {
  const params = new URLSearchParams(request.query);
  const type = String(request.headers['content-type'] ?? '');
  if (request.body.length > 0 && (type === '' || type.includes('x-www-form-urlencoded'))) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(name, value);
  }
  return params;
}

/** How one query-protocol service (IAM, STS) names itself. */
export interface QueryService {
  /** `iam` or `sts`: prefixes the trace events. */
  readonly name: string;
  /** API version, for the InvalidAction message. */
  readonly version: string;
  /** XML namespace of the answers. */
  readonly namespace: string;
  readonly trace: TraceBus;
  /** Each implemented action's parameters, supported or refused (../shared/parameters.ts). */
  readonly parameters: ServiceParameters;
}

/**
 * The query protocol's request cycle, shared by IAM and STS: read `Action`, refuse unknown or
 * unimplemented ones, validate parameters, run the action, render its result or its error.
 */
export function dispatchQuery(
  service: QueryService,
  request: ServiceRequest,
  run: (action: string, params: URLSearchParams) => XmlStructure | undefined,
  implemented: (action: string) => boolean,
): ServiceResponse {
  const { name, version, namespace, trace } = service;
  let action = 'Unknown';
  let response: ServiceResponse;
  try {
    const params = queryParams(request);
    action = params.get('Action') ?? '';
    if (action === '') throw new IamError('MissingAction', 'Missing Action');
    if (!implemented(action)) {
      throw /^[A-Z][A-Za-z]+$/.test(action)
        ? new IamError('NotImplemented', `The local cloud does not implement ${name.toUpperCase()} ${action} (yet).`)
        : new IamError('InvalidAction', `Could not find operation ${action} for version ${version}`);
    }
    const declared = service.parameters[action];
    const problem = declared && unsupportedParameter(queryMembers(params), declared);
    if (problem) throw new IamError('ValidationError', unsupportedParameterMessage(action, problem));
    validateParams(action, params);
    response = queryResponse(action, namespace, request.requestId, run(action, params));
  } catch (thrown) {
    const error = IamError.from(thrown);
    if (error.status >= 500 && error.code !== 'NotImplemented') {
      trace.publish(`${name}.error`, { action, error: String((thrown as Error)?.stack ?? thrown) }, request.requestId);
    }
    response = error.toResponse(request.requestId, namespace);
  }
  trace.publish(`${name}.request`, { action, status: response.status }, request.requestId);
  return response;
}
