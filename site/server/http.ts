// What every workbench API route shares: JSON answers, ApiError bodies, bounded JSON request
// bodies, and the translation of AWS SDK errors (from the local cloud or a sandbox) into answers a
// learner can act on. A route's handler throws; `route()` turns whatever it threw into an answer.
import { isScenarioId, SCENARIOS, type ScenarioId } from '../../scenarios/catalog.ts';
import type { ApiError } from '../lib/workbench-api.ts';
import { type ExplainContext, explainAwsError } from './aws-errors.ts';
import { NotDeployedError } from './deploy-edit.ts';
import { workbenchRuntime } from './runtime.ts';

/** An answer with an ApiError body (plus any extra fields, e.g. a CompileFailure's `errors`). */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}

/** A 400 BadRequest. */
export const badRequest = (message: string): HttpError => new HttpError(400, 'BadRequest', message);

const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** A JSON answer that no cache keeps. */
export function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
  });
}

/** An ApiError answer. */
export function errorResponse(status: number, error: string, message: string, extra: object = {}): Response {
  const body: ApiError & Record<string, unknown> = { ...extra, error, message };
  return json(status, body);
}

/** Errors the AWS SDK throws: service errors (with `$metadata`), network and credential failures. */
export function isSdkError(thrown: unknown): boolean {
  if (typeof thrown !== 'object' || thrown === null) return false;
  const error = thrown as { $metadata?: unknown; $fault?: unknown; code?: unknown; name?: unknown };
  if (error.$metadata !== undefined || error.$fault !== undefined) return true;
  if (typeof error.code === 'string' && /^E[A-Z]+$/.test(error.code)) return true;
  return (
    error.name === 'CredentialsProviderError' || error.name === 'TokenProviderError' || error.name === 'TimeoutError'
  );
}

/** An AWS SDK error as an answer: explained for a learner, with the AWS error code and message kept. */
export function fromAwsError(thrown: unknown, doing?: string): HttpError {
  let context: ExplainContext = { target: 'local' };
  try {
    const target = workbenchRuntime()?.target();
    if (target) context = { target: target.kind, region: target.region };
  } catch {
    // no target: explain as for the local cloud
  }
  const explained = explainAwsError(thrown, { ...context, ...(doing ? { doing } : {}) });
  const error = thrown as { name?: unknown; message?: unknown; code?: unknown };
  const awsCode = typeof error.name === 'string' && error.name !== 'Error' ? error.name : error.code;
  const { status, error: code, message, ...extra } = explained;
  return new HttpError(status, code, message, {
    ...extra,
    ...(typeof awsCode === 'string' ? { awsCode } : {}),
    ...(typeof error.message === 'string' ? { awsMessage: error.message } : {}),
  });
}

/** Any thrown value as an answer; unexpected errors become a 500 that names the cause. */
export function toErrorResponse(thrown: unknown, doing?: string): Response {
  if (thrown instanceof HttpError) return errorResponse(thrown.status, thrown.code, thrown.message, thrown.extra);
  if (thrown instanceof NotDeployedError) return errorResponse(409, 'NotDeployed', thrown.message);
  if (isSdkError(thrown)) {
    const error = fromAwsError(thrown, doing);
    return errorResponse(error.status, error.code, error.message, error.extra);
  }
  if (thrown instanceof Error && thrown.name === 'AbortError') {
    return errorResponse(499, 'ClientClosedRequest', 'The request was cancelled.');
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  console.error('[workbench api]', thrown);
  return errorResponse(500, 'InternalError', `The workbook server failed${doing ? ` while ${doing}` : ''}: ${message}`);
}

/** Runs a route's handler and answers its thrown errors as ApiErrors. */
export async function answer(handler: () => Promise<Response>, doing?: string): Promise<Response> {
  try {
    return await handler();
  } catch (thrown) {
    return toErrorResponse(thrown, doing);
  }
}

/** The scenario named by a route parameter, or a 404 that lists the known ones. */
export function scenarioParam(value: string | undefined): ScenarioId {
  if (value !== undefined && isScenarioId(value)) return value;
  throw new HttpError(
    404,
    'UnknownScenario',
    `There is no scenario '${value ?? ''}'; the scenarios are ${Object.keys(SCENARIOS).join(', ')}.`,
  );
}

/** Body size limits per route, in bytes. */
export const BODY_LIMITS = {
  /** A handler's source. */
  source: 1024 * 1024,
  /** An event for Invoke: Lambda's synchronous payload limit is 6 MB. */
  invoke: 6 * 1024 * 1024,
  /** A trigger, including a photo (10 MiB) in base64. */
  trigger: 14 * 1024 * 1024,
} as const;

/** Reads the request's body as text, refusing more than `limit` bytes (413) without buffering them. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    'PayloadTooLarge',
    `The request body is larger than this route accepts (${(limit / 1024 / 1024).toFixed(0)} MiB).`,
  );
}

/** Reads a JSON object body: 415 when it is not declared JSON, 400 when it does not parse or is not an object. */
export async function readJsonObject(request: Request, limit: number): Promise<Record<string, unknown>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, 'UnsupportedMediaType', 'Send the request body as JSON (Content-Type: application/json).');
  }
  const text = await readBodyText(request, limit);
  if (text.trim() === '') throw badRequest('The request needs a JSON body.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/** A required string field (non-empty unless `allowEmpty`), at most `max` characters. */
export function stringField(
  body: Readonly<Record<string, unknown>>,
  name: string,
  { max = 1024 * 1024, allowEmpty = false }: { max?: number; allowEmpty?: boolean } = {},
): string {
  const value = body[name];
  if (typeof value !== 'string') {
    throw badRequest(`'${name}' is required and must be a string.`);
  }
  if (!allowEmpty && value.length === 0) throw badRequest(`'${name}' must not be empty.`);
  if (value.length > max) throw badRequest(`'${name}' is longer than ${max} characters.`);
  return value;
}

/** An optional map of path → text (the workspace's edited files); `undefined` when absent. */
export function filesField(
  body: Readonly<Record<string, unknown>>,
  name: string,
  { max = 1024 * 1024 }: { max?: number } = {},
): Record<string, string> | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`'${name}' must be an object mapping file paths to their text.`);
  }
  let total = 0;
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(value)) {
    if (typeof text !== 'string') throw badRequest(`'${name}.${path}' must be a string (the file's text).`);
    total += text.length;
    files[path] = text;
  }
  if (total > max) throw badRequest(`'${name}' holds more than ${max} characters.`);
  return files;
}

/** An optional function index (which of the scenario's functions), within range. */
export function functionIndexField(body: Readonly<Record<string, unknown>>, scenario: ScenarioId): number {
  const value = body.functionIndex;
  if (value === undefined) return 0;
  const count = SCENARIOS[scenario].functions.length;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= count) {
    throw badRequest(`'functionIndex' must be an integer from 0 to ${count - 1} for the ${scenario} scenario.`);
  }
  return value;
}
