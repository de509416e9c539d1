import { createHash, timingSafeEqual } from 'node:crypto';
import { TOKEN_HEADER } from './workbench-api.ts';

/**
 * The workbench API drives a local cloud with administrator credentials, so only the
 * workbook's own pages may call it: a request must name a loopback host (no DNS
 * rebinding) and, when a browser says where it comes from, come from this very origin.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
}

export type GuardVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 403; readonly reason: string };

export function checkApiRequest(request: Request): GuardVerdict {
  const url = new URL(request.url);
  const host = request.headers.get('host') ?? url.host;
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  if (!isLoopbackHostname(hostname)) {
    return { ok: false, status: 403, reason: `Host '${host}' is not a loopback name.` };
  }
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== `${url.protocol}//${host}`) {
    return { ok: false, status: 403, reason: `Cross-origin requests are refused (Origin '${origin}').` };
  }
  // Browsers send Sec-Fetch-Site on every request; anything but same-origin (or a typed URL) is refused.
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return { ok: false, status: 403, reason: `Cross-site requests are refused (Sec-Fetch-Site '${site}').` };
  }
  return { ok: true };
}

/** Routes that answer without the per-start token: liveness, and the route that hands the token out. */
export const TOKEN_FREE_ROUTES: readonly string[] = ['/api/health', '/api/session'];

/** Compares two secrets in time that does not depend on where they differ (or on their lengths). */
export function tokensEqual(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

export type TokenVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401; readonly error: 'Unauthorized'; readonly reason: string };

/**
 * The per-start token check: the token in the `x-workbook-token` header, or — for EventSource and
 * <img>, which cannot send headers — in the `token` query parameter.
 */
export function checkApiToken(request: Request, expected: string): TokenVerdict {
  const url = new URL(request.url);
  const presented = request.headers.get(TOKEN_HEADER) ?? url.searchParams.get('token');
  if (presented === null || presented === '') {
    return {
      ok: false,
      status: 401,
      error: 'Unauthorized',
      reason: `This route needs the workbook's per-start token (header ${TOKEN_HEADER}, or ?token= for EventSource and images); GET /api/session hands it to the workbook's own pages.`,
    };
  }
  if (!tokensEqual(expected, presented)) {
    return {
      ok: false,
      status: 401,
      error: 'Unauthorized',
      reason: "The token is not this server's: the workbook was restarted, reload the page.",
    };
  }
  return { ok: true };
}
