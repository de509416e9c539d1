// What a web browser may ask of the local cloud. A page can make a browser send requests without
// any script (`<img>`, links, forms) and without an Origin header; a page the cloud serves itself
// (an S3 object, an HTTP API's response) shares the cloud's origin. Neither may change anything.
// Browsers say where a request comes from in the Fetch Metadata headers (Sec-Fetch-Site,
// Sec-Fetch-Mode), which pages cannot set or remove; clients that are not browsers send none.
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The policy every response of the cloud carries: its documents (an HTML object, an HTTP API's
 * page) run in an opaque origin, so nothing they do is a request from the cloud's own origin.
 * Scripts, forms and pop-ups still work, as on AWS, in that opaque origin.
 */
export const SANDBOX_POLICY = 'sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads';

/** `Host`: a DNS name or an IP (IPv6 in brackets), with an optional port; nothing else (no `@`, no path). */
const HOST_SHAPE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::\d{1,5})?$/;

/** True when a Host header is a well-formed `host[:port]`. */
export function isWellFormedHost(host: string | undefined): host is string {
  return host !== undefined && host.length <= 255 && HOST_SHAPE.test(host);
}

export interface SignedHead {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** The signing name of the request's credential scope (`s3`, `iam`, …). */
  readonly service: string;
  /** Signed in the query string (a presigned URL) rather than the Authorization header. */
  readonly presigned: boolean;
  /** The query, for the action of a presigned STS call. */
  readonly query: URLSearchParams;
  /** Whether the request's Origin is one of the pages allowed to call the cloud (the workbook). */
  readonly originAllowed: boolean;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** S3 reads a browser may make from a presigned URL: an `<img>`, a download link. */
const isObjectRead = (head: SignedHead) => head.service === 's3' && (head.method === 'GET' || head.method === 'HEAD');

/**
 * Why a signed request is refused, or undefined when it may proceed:
 *
 * - Query-string signatures only for S3 (presigned GET/PUT, as the SDKs and CLI make them) and STS
 *   GetCallerIdentity (a read): a presigned IAM or Lambda URL is a state change any `<img>` can make.
 * - `Sec-Fetch-Site: same-origin`: a page the cloud serves itself; it is not trusted.
 * - `Sec-Fetch-Site: cross-site` without an allowed Origin: a foreign page.
 * - A browser request that is not a CORS request (`Sec-Fetch-Mode` navigate, no-cors…: an image, a
 *   link, a form) may only read an S3 object.
 */
export function browserRefusal(head: SignedHead): string | undefined {
  if (head.presigned && head.service !== 's3') {
    const action = head.query.get('Action');
    if (!(head.service === 'sts' && action === 'GetCallerIdentity')) {
      return `The local cloud accepts query-string (presigned) signatures for S3 only, not for ${head.service}${action ? ` ${action}` : ''}: sign the Authorization header.`;
    }
  }
  const site = header(head.headers, 'sec-fetch-site');
  const mode = header(head.headers, 'sec-fetch-mode');
  if (site === 'same-origin') {
    return 'Pages the local cloud serves (objects, HTTP API responses) may not make signed calls to it.';
  }
  if (site === 'cross-site' && !head.originAllowed && !isObjectRead(head)) {
    return 'A page of another site may not make signed calls to the local cloud.';
  }
  if (mode !== undefined && mode !== 'cors' && !isObjectRead(head)) {
    return `A browser ${mode === 'navigate' || mode === 'nested-navigate' ? 'navigation or form' : `'${mode}' request (an image, a script, a frame…)`} may only read S3 objects from the local cloud.`;
  }
  return undefined;
}
