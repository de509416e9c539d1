import type { IncomingHttpHeaders } from 'node:http';
import type { CorsConfiguration } from './store.ts';

/** `https://*.example.com`-style origins match any subdomain, as HTTP APIs allow. */
function originAllowed(cors: CorsConfiguration, origin: string): boolean {
  return (cors.allowOrigins ?? []).some((allowed) => {
    if (allowed === '*') return true;
    if (!allowed.includes('*')) return allowed.toLowerCase() === origin.toLowerCase();
    const pattern = allowed
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(origin.toLowerCase());
  });
}

const allowOrigin = (cors: CorsConfiguration): string | undefined =>
  (cors.allowOrigins ?? []).includes('*') && !cors.allowCredentials ? '*' : undefined;

/** True for a CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
}

/**
 * API Gateway's own answer to a preflight when the API has a CORS configuration ("Configuring CORS
 * for an HTTP API": it answers even without an OPTIONS route). A disallowed origin or method gets
 * the 204 without `Access-Control-*` headers, and the browser refuses the call.
 */
export function preflightHeaders(cors: CorsConfiguration, headers: IncomingHttpHeaders): Record<string, string> {
  const origin = String(headers.origin);
  const method = String(headers['access-control-request-method']).toUpperCase();
  const methods = (cors.allowMethods ?? []).map((m) => m.toUpperCase());
  if (!originAllowed(cors, origin) || !(methods.includes('*') || methods.includes(method))) return {};
  const answer: Record<string, string> = {
    'access-control-allow-origin': allowOrigin(cors) ?? origin,
    'access-control-allow-methods': methods.join(','),
  };
  if (cors.allowHeaders?.length) answer['access-control-allow-headers'] = cors.allowHeaders.join(',').toLowerCase();
  if (cors.maxAge !== undefined && cors.maxAge >= 0) answer['access-control-max-age'] = String(cors.maxAge);
  if (cors.allowCredentials) answer['access-control-allow-credentials'] = 'true';
  if (answer['access-control-allow-origin'] !== '*') answer.vary = 'Origin';
  return answer;
}

/** CORS headers API Gateway adds to an integration's response for an allowed origin. */
export function responseCorsHeaders(cors: CorsConfiguration, headers: IncomingHttpHeaders): Record<string, string> {
  const origin = headers.origin;
  if (origin === undefined || !originAllowed(cors, origin)) return {};
  const answer: Record<string, string> = { 'access-control-allow-origin': allowOrigin(cors) ?? origin };
  if (cors.exposeHeaders?.length) answer['access-control-expose-headers'] = cors.exposeHeaders.join(',').toLowerCase();
  if (cors.allowCredentials) answer['access-control-allow-credentials'] = 'true';
  if (answer['access-control-allow-origin'] !== '*') answer.vary = 'Origin';
  return answer;
}
