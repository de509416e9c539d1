import type { IncomingHttpHeaders } from 'node:http';
import { MalformedResponseError } from './types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `requestContext.time` / `requestTime`: `12/Mar/2020:19:03:58 +0000` (CLF, always UTC). */
export function clfTime(date: Date): string {
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

/**
 * Content types whose bodies reach the function as text; any other body (images, octet streams,
 * form posts, a body without a content type) is base64-encoded with `isBase64Encoded: true`, the
 * rule Lambda function URLs document for the same payload format.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    [
      'application/json',
      'application/javascript',
      'application/xml',
      'application/yaml',
      'application/graphql',
    ].includes(type) ||
    type.endsWith('+json') ||
    type.endsWith('+xml')
  );
}

/** The request body as the event carries it. */
export function eventBody(headers: IncomingHttpHeaders, body: Buffer): { body: string; isBase64Encoded: boolean } {
  const text = isTextContentType(headers['content-type']);
  return { body: body.toString(text ? 'utf8' : 'base64'), isBase64Encoded: !text };
}

/** Query parameters in order, decoded (`+` is a space), as `name → values`. */
export function queryValues(rawQueryString: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  return values;
}

/** Header values as strings (Node gives `set-cookie` as an array). */
export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export { isRecord };

/** A status code as the proxy response formats accept it: an integer, or a string holding one. */
export function statusCodeOf(value: unknown): number {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedResponseError(
      `Lambda body contains an invalid value for field "statusCode": ${JSON.stringify(value)}`,
    );
  }
  return status;
}

const scalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** `headers` of a proxy response: a map of scalars, stringified (a boolean `true` becomes `'true'`, as recorded). */
export function singleHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || !Object.values(value).every(scalar)) {
    throw new MalformedResponseError('Lambda body contains the wrong type for field "headers"');
  }
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, String(v)]));
}

/** The response body: a string, decoded from base64 when `isBase64Encoded` is true. */
export function responseBody(body: unknown, isBase64Encoded: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body !== 'string')
    throw new MalformedResponseError('Lambda body contains the wrong type for field "body"');
  if (isBase64Encoded !== undefined && isBase64Encoded !== null && typeof isBase64Encoded !== 'boolean') {
    throw new MalformedResponseError('Lambda body contains the wrong type for field "isBase64Encoded"');
  }
  return Buffer.from(body, isBase64Encoded === true ? 'base64' : 'utf8');
}

/** Lambda's result is JSON text; anything else cannot be mapped. */
export function parseResult(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new MalformedResponseError('The Lambda result is not valid JSON.', { cause: error });
  }
}
