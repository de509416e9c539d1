// What the workbook's web server (tools/start.ts) does before the built site sees a request: a Host
// that is not a host name is answered 400 (Astro would fail on it with a 500), and every page is
// refused to frames of other pages (clickjacking: a page framing the workbench and luring clicks).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWellFormedHost } from '../infra/local/edge/browser-guard.ts';

/** Sent with every response of the workbook: no page may frame it (CSP, and the older header). */
export const FRAME_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/** Sets the frame headers; answers 400 and returns false when the request's Host is malformed. */
export function guardSiteRequest(req: IncomingMessage, res: ServerResponse): boolean {
  for (const [name, value] of Object.entries(FRAME_HEADERS)) res.setHeader(name, value);
  if (isWellFormedHost(req.headers.host)) return true;
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`Bad request: the Host header '${req.headers.host ?? ''}' is not a host name.\n`);
  req.resume();
  return false;
}
