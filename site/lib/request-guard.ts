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
