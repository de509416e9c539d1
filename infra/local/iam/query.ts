import type { ServiceRequest } from '../edge/types.ts';

/** A query-protocol request's parameters: the URL's query string plus a form-encoded body (AWS SDKs POST them). */
export function queryParams(request: Pick<ServiceRequest, 'query' | 'body' | 'headers'>): URLSearchParams {
  const params = new URLSearchParams(request.query);
  const type = String(request.headers['content-type'] ?? '');
  if (request.body.length > 0 && (type === '' || type.includes('x-www-form-urlencoded'))) {
    for (const [name, value] of new URLSearchParams(request.body.toString('utf8'))) params.set(name, value);
  }
  return params;
}
