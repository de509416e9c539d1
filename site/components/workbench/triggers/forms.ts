// The triggers panel's forms as data: what a learner typed or chose, checked and turned into a
// `TriggerRequest` — or into a message saying what to fix. No DOM here, so it is unit-tested.
import type { TriggerRequest } from '../../../lib/workbench-api.ts';

/** Largest photo the panel sends (base64 in JSON makes it a third larger on the wire). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Key suffixes for which the photos bucket notifies the thumbnail function (the construct's
 * default `suffixes` in scenarios/thumbnails/infra.ts). S3's suffix filters are case-sensitive.
 */
export const NOTIFIED_SUFFIXES = ['.jpg', '.jpeg', '.png'] as const;

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(error: string): Checked<T> => ({ ok: false, error });

const TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  txt: 'text/plain',
  json: 'application/json',
};

/** The content type to send: the browser's, else one guessed from the extension. */
export function contentTypeFor(name: string, browserType = ''): string {
  if (browserType !== '') return browserType;
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return TYPES[extension] ?? 'application/octet-stream';
}

/** An S3 key from a file name: no folders, no control characters, at most 200 characters. */
export function keyFor(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '') return 'photo.jpg';
  if (clean.length <= 200) return clean;
  const dot = clean.lastIndexOf('.');
  const extension = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return `${clean.slice(0, 200 - extension.length)}${extension}`;
}

/** Why an upload with this key will not notify the function, or undefined when it will. */
export function notificationWarning(key: string): string | undefined {
  if (NOTIFIED_SUFFIXES.some((suffix) => key.endsWith(suffix))) return undefined;
  const lower = NOTIFIED_SUFFIXES.find((suffix) => key.toLowerCase().endsWith(suffix));
  if (lower !== undefined) {
    return `S3's suffix filters are case-sensitive: "${key}" does not end with ${lower}, so the bucket will not notify the function. Rename it to end in ${lower} to see a thumbnail.`;
  }
  return `The photos bucket notifies the function only for keys ending in ${NOTIFIED_SUFFIXES.join(', ')}: "${key}" will be stored but not turned into a thumbnail.`;
}

/** A file as the panel sees it (a `File`'s metadata). */
export interface FileFacts {
  readonly name: string;
  readonly size: number;
  readonly type: string;
}

/** Whether a file may be uploaded, with its key and content type (and a warning if it will not notify). */
export function checkUpload(file: FileFacts): Checked<{ key: string; contentType: string; warning?: string }> {
  if (file.size === 0) return fail(`"${file.name}" is empty.`);
  if (file.size > MAX_UPLOAD_BYTES) {
    return fail(
      `"${file.name}" is ${(file.size / 1024 / 1024).toFixed(1)} MB; the workbench sends photos up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Choose a smaller one (or try the sample photo).`,
    );
  }
  const key = keyFor(file.name);
  const warning = notificationWarning(key);
  return ok({ key, contentType: contentTypeFor(file.name, file.type), ...(warning ? { warning } : {}) });
}

/** Bytes as base64 (in slices, so large photos do not overflow the argument list). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) {
    binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  }
  return btoa(binary);
}

/** The `upload` trigger for a checked file's bytes. */
export function uploadRequest(key: string, contentType: string, bytes: Uint8Array): TriggerRequest {
  return { kind: 'upload', key, contentType, bodyBase64: bytesToBase64(bytes) };
}

/** Order statuses the form offers (any string is valid for the handler; these read well). */
export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'cancelled'] as const;

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The order form's fields, as typed. */
export interface OrderForm {
  readonly orderId: string;
  readonly total: string;
  readonly status: string;
}

function checkOrderId(orderId: string): Checked<string> {
  const id = orderId.trim();
  if (!ORDER_ID.test(id)) return fail('Order id must be 1–64 letters, digits, "-" or "_" (e.g. order-1001).');
  return ok(id);
}

/**
 * A `put-item` into the orders table (`orderId` is its partition key; the metrics function sums
 * `total` into revenue). Writing an existing order id replaces it: a MODIFY on the stream.
 */
export function orderItemRequest(form: OrderForm, table?: string): Checked<TriggerRequest> {
  const id = checkOrderId(form.orderId);
  if (!id.ok) return id;
  const totalText = form.total.trim();
  const total = Number(totalText);
  if (totalText === '' || !Number.isFinite(total) || total < 0 || total > 1_000_000) {
    return fail('Total must be a number from 0 to 1000000 (e.g. 42.5).');
  }
  const status = form.status.trim();
  if (status === '' || status.length > 32) return fail('Status must be 1–32 characters (e.g. placed).');
  return ok({
    kind: 'put-item',
    ...(table ? { table } : {}),
    item: { orderId: id.value, total, status },
  });
}

/** A `delete-item` of an order: a REMOVE on the stream (revenue goes down by its total). */
export function deleteOrderRequest(orderId: string, table?: string): Checked<TriggerRequest> {
  const id = checkOrderId(orderId);
  if (!id.ok) return id;
  return ok({ kind: 'delete-item', ...(table ? { table } : {}), key: { orderId: id.value } });
}

/** The click form's fields, as typed. */
export interface ClickForm {
  readonly page: string;
  readonly clientId: string;
}

/**
 * A `kinesis-record` carrying a click as the app writes it: `{"page": "/pricing", "clientId": …}`
 * as JSON text (the handler counts it under `page#<path>`). `raw` sends the text as typed instead,
 * to see how the function treats a record that is not a click.
 */
export function clickRecordRequest(form: ClickForm, raw?: string): Checked<TriggerRequest> {
  const clientId = form.clientId.trim() || 'browser';
  if (clientId.length > 128) return fail('Client id must be at most 128 characters.');
  if (raw !== undefined) {
    if (raw === '') return fail('Type the record data to send.');
    return ok({ kind: 'kinesis-record', data: raw, partitionKey: clientId });
  }
  const page = form.page.trim();
  if (!page.startsWith('/') || page.length > 200) return fail('Page must be a path starting with "/" (e.g. /pricing).');
  return ok({ kind: 'kinesis-record', data: JSON.stringify({ page, clientId }), partitionKey: clientId });
}

/** HTTP methods the request form offers. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The HTTP form's fields, as typed. */
export interface HttpForm {
  readonly method: string;
  readonly path: string;
  /** One `name: value` per line. */
  readonly headers: string;
  readonly body: string;
}

/** `name: value` lines as a header record; blank lines are skipped. */
export function parseHeaders(text: string): Checked<Record<string, string>> {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      return fail(`Header line ${index + 1} must look like "name: value", got "${line.trim()}".`);
    }
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  return ok(headers);
}

/** An `http` trigger: the request API Gateway receives and hands to the function. */
export function httpRequest(form: HttpForm): Checked<TriggerRequest> {
  const method = form.method.trim().toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    return fail(`Method must be one of ${HTTP_METHODS.join(', ')}.`);
  }
  const path = form.path.trim();
  if (!path.startsWith('/') || /\s/.test(path))
    return fail('Path must start with "/" and contain no spaces (e.g. /items).');
  const headers = parseHeaders(form.headers);
  if (!headers.ok) return headers;
  const hasBody = form.body !== '';
  if (hasBody && (method === 'GET' || method === 'HEAD')) {
    return fail(`A ${method} request has no body: clear the body or choose POST.`);
  }
  return ok({
    kind: 'http',
    method,
    path,
    ...(Object.keys(headers.value).length > 0 ? { headers: headers.value } : {}),
    ...(hasBody ? { body: form.body } : {}),
  });
}
