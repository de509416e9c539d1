import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { checkAccess } from '../iam/enforce.ts';
import type { RoleDirectory } from '../iam/store.ts';
import type { TraceBus } from '../trace/bus.ts';
import { browserRefusal, isWellFormedHost, SANDBOX_POLICY } from './browser-guard.ts';
import type { CredentialRecord, CredentialStore } from './credentials.ts';
import { EdgeError, renderError } from './errors.ts';
import { type BodyLimit, bodyLimitFor } from './limits.ts';
import {
  type ChunkSignatureChain,
  chunkSignatureChain,
  parseAmzDate,
  parseSigV4,
  SigV4ParseError,
  signatureMatches,
} from './sigv4.ts';
import {
  type Caller,
  DEFAULT_REGION,
  isSelfWriting,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from './types.ts';

export interface EdgeOptions {
  readonly services: readonly Service[];
  readonly credentials: CredentialStore;
  readonly trace: TraceBus;
  /** Browser origins allowed to call the local cloud (the workbook site). */
  readonly allowedOrigins?: readonly string[];
  /** Largest request body accepted, per signing name, replacing the limits of ./limits.ts (tests). */
  readonly maxBodyBytes?: Readonly<Record<string, number>>;
  /**
   * Where the policies of role credentials come from (IamService.store). Without it no request is
   * evaluated: there is nothing to evaluate against.
   */
  readonly roles?: RoleDirectory;
  /**
   * Evaluate role credentials' identity-based policies before a request reaches its service, and
   * answer AWS's AccessDenied / AccessDeniedException when they do not allow it. `false` lets every
   * authenticated request through, as LocalStack does by default. @default true
   */
  readonly enforceIam?: boolean;
  /** Answers a request over its quota instead of its service (the quota mode, ../quotas/limiter.ts). */
  readonly admit?: (request: ServiceRequest) => ServiceResponse | undefined;
}

/** Allowed clock skew between a signed request and the local clock (as AWS: 15 minutes). */
const MAX_SKEW_MS = 15 * 60 * 1000;

const EXPOSED_HEADERS = [
  'etag',
  'x-amz-request-id',
  'x-amz-id-2',
  'x-amz-version-id',
  'x-amz-function-error',
  'x-amz-log-result',
  'x-amz-executed-version',
  'x-amzn-requestid',
  'x-amzn-errortype',
  'content-range',
  'content-length',
  'last-modified',
].join(', ');

/** `localhost`, `*.localhost`, `127.0.0.1` (any 127/8) and `::1`: the only names the edge answers to. */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  let host = hostHeader.toLowerCase();
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  else host = host.replace(/:\d+$/, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    host === '::1'
  );
}

/**
 * Only the listed pages (the workbook) may call the cloud from a browser. Not the cloud's own
 * origin: what it serves (an uploaded HTML object, an HTTP API's page) is the learner's or anyone's.
 */
function isAllowedOrigin(origin: string, options: EdgeOptions): boolean {
  return (options.allowedOrigins ?? []).includes(origin);
}

/** The service of a credential scope (`Credential=` in the Authorization header, `X-Amz-Credential=` in a query). */
const CREDENTIAL_SCOPE = /Credential=[^/,&]+\/\d{8}\/[^/]+\/([^/]+)\//;

/** Which service an unsigned request was meant for, so its error speaks that protocol. */
function guessService(rawPath: string, headers: IncomingMessage['headers'], rawQuery = ''): string {
  const scope =
    CREDENTIAL_SCOPE.exec(headers.authorization ?? '') ??
    (rawQuery.includes('X-Amz-Credential=') ? CREDENTIAL_SCOPE.exec(decodeURIComponentSafe(rawQuery)) : null);
  if (scope?.[1]) return scope[1];
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    if (target.startsWith('AWSCognitoIdentityService')) return 'cognito-identity';
    if (target.startsWith('DynamoDBStreams')) return 'dynamodb';
    if (target.startsWith('DynamoDB')) return 'dynamodb';
    if (target.startsWith('Kinesis')) return 'kinesis';
    if (target.startsWith('Logs')) return 'logs';
  }
  if (/^\/20\d\d-\d\d-\d\d\/functions/.test(rawPath)) return 'lambda';
  return 's3';
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

interface ReceivedBody {
  readonly chunks: readonly Buffer[];
  readonly size: number;
  /** MD5 hex of the body, when asked for. */
  readonly md5?: string;
  /** SHA-256 hex of the body, when asked for. */
  readonly sha256?: string;
}

/** Digests computed while the body arrives, each piece hashed while still in the CPU's cache. */
interface BodyDigests {
  readonly md5: boolean;
  readonly sha256: boolean;
}

/**
 * An S3 upload whose body is the object's bytes as sent (not `aws-chunked` framing): its MD5 (the
 * ETag) is computed while the pieces arrive, each hashed while still in the CPU's cache.
 */
function isPlainS3Upload(service: string, req: IncomingMessage): boolean {
  if (service !== 's3' || req.method !== 'PUT') return false;
  const sha = req.headers['x-amz-content-sha256'];
  const encoding = req.headers['content-encoding'];
  return !(typeof sha === 'string' && sha.startsWith('STREAMING-')) && !String(encoding ?? '').includes('aws-chunked');
}

/**
 * An S3 request that says its payload's SHA-256 (a hex digest, not UNSIGNED-PAYLOAD or a
 * STREAMING-* value): S3 checks it against the bytes (XAmzContentSHA256Mismatch).
 */
function hasS3PayloadHash(service: string, req: IncomingMessage): boolean {
  const sha = req.headers['x-amz-content-sha256'];
  return service === 's3' && typeof sha === 'string' && /^[0-9a-fA-F]{64}$/.test(sha);
}

/** Reads the body in the pieces it arrives in; nothing is joined here. */
function readBody(
  req: IncomingMessage,
  { bytes: limit, tooLarge }: BodyLimit,
  digests: BodyDigests,
): Promise<ReceivedBody> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) return Promise.reject(tooLarge());
  // Plain events rather than async iteration: this runs on every request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const md5 = digests.md5 ? createHash('md5') : undefined;
    const sha256 = digests.sha256 ? createHash('sha256') : undefined;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      md5?.update(chunk);
      sha256?.update(chunk);
      chunks.push(chunk);
    });
    req.once('end', () => resolve({ chunks, size, md5: md5?.digest('hex'), sha256: sha256?.digest('hex') }));
    req.once('error', reject);
  });
}

const EMPTY = Buffer.alloc(0);

/** The body as one Buffer, joined on first use only (most uploads are never joined). */
function joinedOnDemand({ chunks, size }: ReceivedBody): () => Buffer {
  let joined: Buffer | undefined = chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0] : undefined;
  return () => {
    joined ??= Buffer.concat(chunks, size);
    return joined;
  };
}

function authError(service: string, kind: 'unknown-key' | 'signature' | 'skew' | 'missing' | 'malformed', detail = '') {
  const s3 = service === 's3';
  switch (kind) {
    case 'unknown-key':
      return s3
        ? new EdgeError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.')
        : new EdgeError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
    case 'signature':
      return new EdgeError(
        s3 ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
        403,
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    case 'skew':
      return s3
        ? new EdgeError(
            'RequestTimeTooSkewed',
            403,
            'The difference between the request time and the current time is too large.',
          )
        : new EdgeError('InvalidSignatureException', 403, `Signature expired: ${detail}`);
    case 'missing':
      return s3
        ? new EdgeError(
            'AccessDenied',
            403,
            'Anonymous access is not allowed on the local cloud: sign requests with the test credentials.',
          )
        : new EdgeError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
    case 'malformed':
      return new EdgeError(s3 ? 'AuthorizationHeaderMalformed' : 'IncompleteSignatureException', 400, detail);
  }
}

function authenticate(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  query: URLSearchParams,
  body: () => Buffer,
  options: EdgeOptions,
): {
  caller: Caller;
  service: string;
  region: string;
  presigned: boolean;
  chunkSignatures?: ChunkSignatureChain;
} {
  let parts: ReturnType<typeof parseSigV4>;
  try {
    parts = parseSigV4(req.headers, query);
  } catch (error) {
    const service = guessService(rawPath, req.headers);
    throw authError(service, 'malformed', error instanceof SigV4ParseError ? error.message : 'Malformed signature.');
  }
  if (parts === undefined) throw authError(guessService(rawPath, req.headers), 'missing');
  const record = options.credentials.lookup(parts.accessKeyId);
  if (record === undefined) throw authError(parts.service, 'unknown-key');
  const signedAt = parseAmzDate(parts.amzDate);
  const now = Date.now();
  if (parts.presigned) {
    if (!(now <= signedAt + (parts.expires ?? 900) * 1000 + MAX_SKEW_MS)) {
      throw new EdgeError('AccessDenied', 403, 'Request has expired');
    }
  } else if (!(Math.abs(now - signedAt) <= MAX_SKEW_MS)) {
    throw authError(parts.service, 'skew', `${parts.amzDate} is now earlier than the allowed window.`);
  }
  if (record.expiresAt !== undefined && now > record.expiresAt) {
    throw new EdgeError(
      parts.service === 's3' ? 'ExpiredToken' : 'ExpiredTokenException',
      parts.service === 's3' ? 400 : 403,
      'The security token included in the request is expired',
    );
  }
  const token = req.headers['x-amz-security-token'] ?? query.get('X-Amz-Security-Token') ?? undefined;
  if (record.sessionToken !== undefined && token !== record.sessionToken) {
    throw authError(parts.service, 'unknown-key');
  }
  const signed = {
    method: req.method ?? 'GET',
    rawPath,
    rawQuery,
    headers: req.headers,
    // Hashed only when the client did not send x-amz-content-sha256 (the services other than S3).
    get body() {
      return body();
    },
  };
  if (!signatureMatches(signed, parts, record.secretAccessKey)) throw authError(parts.service, 'signature');
  return {
    service: parts.service,
    region: parts.region,
    presigned: parts.presigned,
    chunkSignatures: chunkSignatureChain(req.headers, parts, record.secretAccessKey),
    caller: callerOf(record),
  };
}

/** The caller a credential record stands for: one object per record (records are replaced, never changed). */
const callers = new WeakMap<CredentialRecord, Caller>();

function callerOf(record: CredentialRecord): Caller {
  let caller = callers.get(record);
  if (caller === undefined) {
    caller = Object.freeze({
      accessKeyId: record.accessKeyId,
      accountId: record.accountId,
      principalArn: record.principalArn,
      sessionToken: record.sessionToken,
      roleArn: record.roleArn,
      ...(record.sessionPolicies !== undefined ? { sessionPolicies: record.sessionPolicies } : {}),
      ...(record.cognitoIdentity !== undefined ? { cognitoIdentity: record.cognitoIdentity } : {}),
    });
    callers.set(record, caller);
  }
  return caller;
}

function send(res: ServerResponse, response: ServiceResponse, extraHeaders: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = response.status;
  // The service's headers win over the edge's (CORS), as they did when merged into one object.
  for (const name in extraHeaders) if (response.headers?.[name] === undefined) res.setHeader(name, extraHeaders[name]!);
  const { headers } = response;
  if (headers !== undefined)
    for (const name in headers) res.setHeader(name, headers[name] as string | number | string[]);
  // Whatever a response says about itself (an HTTP API's function may set its own policy), it is
  // also sandboxed: policies add up, so the document still lands in an opaque origin.
  const own = res.getHeader('content-security-policy');
  res.setHeader(
    'content-security-policy',
    own === undefined ? SANDBOX_POLICY : [own, SANDBOX_POLICY].flat().map(String),
  );
  res.setHeader('x-content-type-options', 'nosniff');
  const { body } = response;
  if (body instanceof Readable) {
    body.on('error', () => res.destroy());
    if (isSelfWriting(body))
      body.writeTo(res).then(
        () => res.end(),
        () => res.destroy(),
      );
    else body.pipe(res);
  } else {
    res.end(body);
  }
}

/**
 * The local cloud's single HTTP entry point: refuses foreign hosts and origins,
 * answers CORS preflights, verifies SigV4 and hands the request to the service
 * named in the credential scope.
 */
export function createEdgeHandler(options: EdgeOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const byName = new Map<string, Service>();
  for (const service of options.services) for (const name of service.signingNames) byName.set(name, service);

  return (req, res) => {
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const query = new URLSearchParams(rawQuery);
    const cors: Record<string, string> = {};
    let service = guessService(rawPath, req.headers, rawQuery);

    const fail = (error: unknown) => {
      const edge =
        error instanceof EdgeError
          ? error
          : new EdgeError('InternalError', 500, 'We encountered an internal error. Please try again.');
      options.trace.publish('edge.error', { service, code: edge.code, status: edge.status, path: rawPath }, requestId);
      send(res, renderError(edge, service, requestId, { headers: req.headers, rawQuery }), cors);
      if (!req.readableEnded) req.resume();
    };

    if (!isWellFormedHost(req.headers.host)) {
      fail(new EdgeError('BadRequest', 400, `The Host header '${req.headers.host ?? ''}' is not a host name.`));
      return;
    }
    // DNS rebinding: a foreign name resolving to 127.0.0.1 must not reach the local cloud.
    if (!isLoopbackHost(req.headers.host)) {
      fail(new EdgeError('AccessDenied', 403, `Host '${req.headers.host ?? ''}' is not a loopback name.`));
      return;
    }
    const origin = req.headers.origin;
    // Unsigned requests a service serves itself (an HTTP API's invoke URL): its own CORS rules apply.
    const head = { method: req.method ?? 'GET', rawPath, query, headers: req.headers };
    const signed = /^AWS4-HMAC-SHA256 /.test(String(req.headers.authorization ?? '')) || query.has('X-Amz-Algorithm');
    const open = signed ? undefined : options.services.find((candidate) => candidate.allowsAnonymous?.(head));
    // An open route that answers its own CORS (an HTTP API) decides for itself, as on AWS: its
    // pages run in an opaque origin (Origin: null) and call it like any other page would.
    if (origin !== undefined && (open === undefined || open.anonymousCors === 'edge')) {
      if (!isAllowedOrigin(origin, options)) {
        fail(new EdgeError('AccessDenied', 403, `Origin '${origin}' is not allowed to call the local cloud.`));
        return;
      }
    }
    if (origin !== undefined && (open === undefined || open.anonymousCors === 'edge')) {
      cors['access-control-allow-origin'] = origin;
      cors.vary = 'Origin';
      cors['access-control-expose-headers'] = EXPOSED_HEADERS;
    }
    if (
      open === undefined &&
      req.method === 'OPTIONS' &&
      origin !== undefined &&
      req.headers['access-control-request-method']
    ) {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE, PATCH',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }

    (async () => {
      const limit = bodyLimitFor(
        { service, method: req.method ?? 'GET', rawPath, headers: req.headers },
        options.maxBodyBytes,
      );
      const received = await readBody(req, limit, {
        md5: isPlainS3Upload(service, req),
        sha256: hasS3PayloadHash(service, req),
      });
      const body = joinedOnDemand(received);
      const auth = open
        ? {
            service: open.signingNames[0] ?? service,
            region: DEFAULT_REGION,
            caller: { accessKeyId: '', accountId: '', principalArn: 'anonymous', anonymous: true },
          }
        : authenticate(req, rawPath, rawQuery, query, body, options);
      service = auth.service;
      if (!open) {
        const refusal = browserRefusal({
          method: req.method ?? 'GET',
          headers: req.headers,
          service: auth.service,
          presigned: 'presigned' in auth && auth.presigned,
          query,
          originAllowed: origin !== undefined && isAllowedOrigin(origin, options),
        });
        if (refusal !== undefined) {
          options.trace.publish('edge.browser-refused', { service, reason: refusal, path: rawPath }, requestId);
          throw new EdgeError('AccessDenied', 403, refusal);
        }
      }
      const target = open ?? byName.get(auth.service);
      if (target === undefined) {
        throw new EdgeError(
          'NotImplemented',
          501,
          `The local cloud does not implement the '${auth.service}' service (yet).`,
        );
      }
      const request: ServiceRequest = {
        method: req.method ?? 'GET',
        rawPath,
        query,
        headers: req.headers,
        get body() {
          return body();
        },
        bodyChunks: received.chunks,
        bodyMd5: received.md5,
        bodySha256: received.sha256,
        chunkSignatures: 'chunkSignatures' in auth ? auth.chunkSignatures : undefined,
        service: auth.service,
        region: auth.region || DEFAULT_REGION,
        requestId,
        caller: auth.caller,
      };
      if (options.roles !== undefined && options.enforceIam !== false) {
        const authorization = target.authorization?.(request);
        const denial =
          authorization &&
          checkAccess({
            caller: request.caller,
            service: request.service,
            region: request.region,
            authorization,
            roles: options.roles,
          });
        if (denial) {
          options.trace.publish(
            'iam.denied',
            { principal: denial.principal, action: denial.action, resource: denial.resource, reason: denial.reason },
            requestId,
          );
          throw new EdgeError(denial.code, denial.status, denial.message);
        }
      }
      const response = options.admit?.(request) ?? (await target.handle(request));
      send(res, response, cors);
    })().catch(fail);
  };
}
