// `POST …/trigger`: real events for the scenario, sent the way an application would — a photo
// uploaded with PutObject, an item written or deleted, a record put on the click stream, an HTTP
// request to the API. Each body is validated before anything reaches the target.
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { TriggerRequest, TriggerResult } from '../lib/workbench-api.ts';
import { scenarioOutputs } from './deploy-edit.ts';
import { toItem } from './dynamodb-json.ts';
import { badRequest, HttpError } from './http.ts';
import { scenarioResources } from './resources.ts';
import { clientConfig, reachableApiUrl, type Target } from './target.ts';

/** Largest photo an upload trigger sends. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Largest HTTP request body, and the most of an HTTP answer returned. */
export const MAX_HTTP_BODY = 1024 * 1024;
/** API Gateway gives up on an integration after 30 s; so does the trigger. */
export const HTTP_TIMEOUT_MS = 30_000;
/** Kinesis: a record's data is at most 1 MiB, its partition key 1-256 characters. */
const MAX_RECORD_BYTES = 1024 * 1024;

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Headers fetch sets itself or that would change where the request goes. */
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-authorization',
]);

/** An S3 key a learner may use: 1-1024 bytes of UTF-8, no control characters, no `.`/`..` segments. */
export function validateKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) throw badRequest(`'${field}' is required: the object's key.`);
  if (Buffer.byteLength(key, 'utf8') > 1024) throw badRequest(`'${field}' is longer than S3's 1024 bytes.`);
  if (/[\u0000-\u001f\u007f]/.test(key)) throw badRequest(`'${field}' contains control characters.`);
  if (key.startsWith('/')) throw badRequest(`'${field}' must not start with '/'.`);
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw badRequest(`'${field}' must not contain '.' or '..' segments.`);
  }
  return key;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a trigger body against its `kind`. */
export function parseTriggerRequest(body: Readonly<Record<string, unknown>>): TriggerRequest {
  switch (body.kind) {
    case 'upload': {
      const key = validateKey(body.key);
      const contentType = body.contentType;
      if (
        typeof contentType !== 'string' ||
        !/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(contentType) ||
        contentType.length > 256
      ) {
        throw badRequest("'contentType' is required and must be a media type such as 'image/jpeg'.");
      }
      const bodyBase64 = body.bodyBase64;
      if (typeof bodyBase64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(bodyBase64) || bodyBase64.length % 4 !== 0) {
        throw badRequest("'bodyBase64' is required and must be the file's bytes in base64.");
      }
      if ((bodyBase64.length / 4) * 3 > MAX_UPLOAD_BYTES + 2) {
        throw new HttpError(413, 'PayloadTooLarge', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB.`);
      }
      return { kind: 'upload', key, contentType, bodyBase64 };
    }
    case 'put-item':
    case 'delete-item': {
      const table = body.table;
      if (table !== undefined && (typeof table !== 'string' || table === '')) {
        throw badRequest("'table' must be the table's role (e.g. 'ordersTable') or its name.");
      }
      const field = body.kind === 'put-item' ? 'item' : 'key';
      const value = body[field];
      if (!isPlainObject(value) || Object.keys(value).length === 0) {
        throw badRequest(`'${field}' is required and must be a non-empty JSON object (attribute name → value).`);
      }
      try {
        toItem(value);
      } catch (error) {
        throw badRequest(`'${field}' cannot be stored in DynamoDB: ${(error as Error).message}`);
      }
      return body.kind === 'put-item'
        ? { kind: 'put-item', ...(table !== undefined ? { table } : {}), item: value }
        : { kind: 'delete-item', ...(table !== undefined ? { table } : {}), key: value };
    }
    case 'kinesis-record': {
      const { data, partitionKey } = body;
      if (typeof data !== 'string') throw badRequest("'data' is required: the record's text (e.g. JSON).");
      if (Buffer.byteLength(data, 'utf8') > MAX_RECORD_BYTES)
        throw badRequest("'data' is larger than Kinesis's 1 MiB.");
      if (typeof partitionKey !== 'string' || partitionKey.length < 1 || partitionKey.length > 256) {
        throw badRequest("'partitionKey' is required: 1 to 256 characters.");
      }
      return { kind: 'kinesis-record', data, partitionKey };
    }
    case 'http': {
      const method = typeof body.method === 'string' ? body.method.toUpperCase() : '';
      if (!HTTP_METHODS.has(method)) throw badRequest(`'method' must be one of ${[...HTTP_METHODS].join(', ')}.`);
      const path = body.path;
      if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.length > 2048) {
        throw badRequest("'path' is required: the path below the API's URL, starting with a single '/'.");
      }
      if (/[\u0000-\u001f\u007f\s\\]/.test(path))
        throw badRequest("'path' must not contain spaces, backslashes or control characters.");
      const headers = body.headers;
      if (headers !== undefined) {
        if (!isPlainObject(headers)) throw badRequest("'headers' must be an object of header name → string value.");
        for (const [name, value] of Object.entries(headers)) {
          if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || typeof value !== 'string' || /[\r\n]/.test(value)) {
            throw badRequest(`Header '${name}' is not a valid header name with a one-line string value.`);
          }
          if (FORBIDDEN_HEADERS.has(name.toLowerCase()))
            throw badRequest(`Header '${name}' is set by the request itself.`);
        }
      }
      const requestBody = body.body;
      if (requestBody !== undefined && typeof requestBody !== 'string') throw badRequest("'body' must be a string.");
      if (requestBody !== undefined && Buffer.byteLength(requestBody, 'utf8') > MAX_HTTP_BODY) {
        throw new HttpError(413, 'PayloadTooLarge', "'body' is larger than 1 MiB.");
      }
      if (requestBody !== undefined && (method === 'GET' || method === 'HEAD')) {
        throw badRequest(`A ${method} request has no body.`);
      }
      return {
        kind: 'http',
        method,
        path,
        ...(headers !== undefined ? { headers: headers as Record<string, string> } : {}),
        ...(requestBody !== undefined ? { body: requestBody } : {}),
      };
    }
    default:
      throw badRequest("'kind' must be one of upload, put-item, delete-item, kinesis-record, http.");
  }
}

/** The scenario's table a trigger names (by role or name), or its default one. */
function tableFor(outputs: Readonly<Record<string, string>>, scenario: ScenarioId, table: string | undefined): string {
  const tables = scenarioResources(outputs, scenario, 'Table');
  if (tables.length === 0) throw badRequest(`The ${scenario} scenario has no table.`);
  const wanted = table ?? SCENARIOS[scenario].trigger.table;
  const found = tables.find(({ role, name }) => role === wanted || name === wanted);
  if (found === undefined) {
    throw badRequest(
      `'${wanted ?? ''}' is not a table of the ${scenario} scenario (tables: ${tables.map(({ role }) => role).join(', ')}).`,
    );
  }
  return found.name;
}

function outputFor(
  outputs: Readonly<Record<string, string>>,
  scenario: ScenarioId,
  role: string,
  what: string,
): string {
  const output = (SCENARIOS[scenario].outputs as Record<string, string | undefined>)[role];
  const value = output === undefined ? undefined : outputs[output];
  if (value === undefined) throw badRequest(`The ${scenario} scenario has no ${what}.`);
  return value;
}

const bytes = (count: number) => `${count.toLocaleString('en-US')} byte${count === 1 ? '' : 's'}`;

/** Sends the trigger to the target. */
export async function runTrigger(
  target: Target,
  scenario: ScenarioId,
  trigger: TriggerRequest,
  signal?: AbortSignal,
): Promise<TriggerResult> {
  const outputs = scenarioOutputs(target, scenario);
  const started = performance.now();
  const options = signal ? { abortSignal: signal } : {};
  const done = (summary: string, extra: Partial<TriggerResult> = {}): TriggerResult => ({
    kind: trigger.kind,
    summary,
    ...extra,
    durationMs: Math.round(performance.now() - started),
  });
  switch (trigger.kind) {
    case 'upload': {
      const role = SCENARIOS[scenario].trigger.upload;
      if (role === undefined) throw badRequest(`The ${scenario} scenario has no bucket to upload photos to.`);
      const bucket = outputFor(outputs, scenario, role, 'upload bucket');
      const body = Buffer.from(trigger.bodyBase64, 'base64');
      const s3 = new S3Client(clientConfig(target));
      try {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: trigger.key, Body: body, ContentType: trigger.contentType }),
          options,
        );
      } finally {
        s3.destroy();
      }
      return done(`PutObject ${bucket}/${trigger.key} (${bytes(body.length)})`);
    }
    case 'put-item':
    case 'delete-item': {
      const table = tableFor(outputs, scenario, trigger.table);
      const dynamodb = new DynamoDBClient(clientConfig(target));
      try {
        if (trigger.kind === 'put-item') {
          await dynamodb.send(new PutItemCommand({ TableName: table, Item: toItem(trigger.item) }), options);
          return done(`PutItem ${table} ${JSON.stringify(trigger.item).slice(0, 200)}`);
        }
        await dynamodb.send(new DeleteItemCommand({ TableName: table, Key: toItem(trigger.key) }), options);
        return done(`DeleteItem ${table} ${JSON.stringify(trigger.key).slice(0, 200)}`);
      } finally {
        dynamodb.destroy();
      }
    }
    case 'kinesis-record': {
      const stream = scenarioResources(outputs, scenario, 'Stream')[0]?.name;
      if (stream === undefined) throw badRequest(`The ${scenario} scenario has no Kinesis stream.`);
      const kinesis = new KinesisClient(clientConfig(target));
      try {
        const put = await kinesis.send(
          new PutRecordCommand({
            StreamName: stream,
            Data: Buffer.from(trigger.data, 'utf8'),
            PartitionKey: trigger.partitionKey,
          }),
          options,
        );
        return done(`PutRecord ${stream} (${put.ShardId ?? 'shard'}, sequence ${put.SequenceNumber ?? '?'})`);
      } finally {
        kinesis.destroy();
      }
    }
    case 'http': {
      const base = new URL(reachableApiUrl(outputFor(outputs, scenario, 'apiUrl', 'HTTP API'), target));
      const url = new URL(`${base.pathname.replace(/\/$/, '')}${trigger.path}`, base);
      if (url.origin !== base.origin) throw badRequest("'path' must stay below the API's URL.");
      const timeout = AbortSignal.timeout(HTTP_TIMEOUT_MS);
      let response: Response;
      try {
        response = await fetch(url, {
          method: trigger.method,
          headers: trigger.headers ?? {},
          ...(trigger.body !== undefined ? { body: trigger.body } : {}),
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (timeout.aborted) {
          throw new HttpError(504, 'GatewayTimeout', `The API did not answer within ${HTTP_TIMEOUT_MS / 1000} s.`);
        }
        throw new HttpError(
          502,
          'ApiUnreachable',
          `The API at ${base.origin} could not be reached: ${(error as Error).message}`,
        );
      }
      const text = await readLimited(response, MAX_HTTP_BODY);
      return done(`${trigger.method} ${url.pathname}${url.search} → ${response.status}`, {
        response: { status: response.status, headers: Object.fromEntries(response.headers), body: text },
      });
    }
  }
}

/** A response's text, cut after `limit` bytes (an API may answer a lot). */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      cut = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const text = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  return cut ? `${text}… (cut at ${limit} bytes)` : text;
}
