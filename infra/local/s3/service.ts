import {
  DEFAULT_REGION,
  type RequestAuthorization,
  type RequestHead,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../edge/types.ts';
import type { LambdaInvoker } from '../lambda/invoker.ts';
import { unsupportedParameterMessage } from '../shared/parameters.ts';
import type { TraceBus } from '../trace/bus.ts';
import { ACTIONS } from './actions/index.ts';
import { verifyContentSha256 } from './checksums.ts';
import { baseHeaders, type S3Context } from './context.ts';
import { S3Error } from './errors.ts';
import { refusedS3Parameter } from './parameters.ts';
import { IAM_ACTION_BY_OPERATION, locate, resolveOperation, type Target } from './routes.ts';
import { S3Store } from './store.ts';
import { validateParameters } from './validation.ts';
import { children, childText, parseXml } from './xml.ts';

/** A request header as one string (repeated headers joined, as HTTP does). */
function header(request: ServiceRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export interface S3ServiceOptions {
  /** Where buckets and objects persist (under `<dataDir>/s3/`). @default undefined — in memory */
  readonly dataDir?: string;
  readonly trace: TraceBus;
  /** Receives bucket notifications (asynchronous invokes). */
  readonly lambda: Pick<LambdaInvoker, 'functionExists' | 'invokeAsync'>;
  /** @default DEFAULT_REGION ('us-east-1') */
  readonly region?: string;
}

/**
 * The local cloud's S3: REST/XML, path-style and virtual-hosted-style addressing,
 * AWS-shaped errors, bucket notifications to Lambda.
 */
export class S3Service implements Service {
  readonly signingNames = ['s3'] as const;
  readonly store: S3Store;
  readonly #trace: TraceBus;
  readonly #lambda: Pick<LambdaInvoker, 'functionExists' | 'invokeAsync'>;
  readonly #region: string;

  constructor({ dataDir, trace, lambda, region = DEFAULT_REGION }: S3ServiceOptions) {
    this.store = new S3Store(dataDir);
    this.#trace = trace;
    this.#lambda = lambda;
    this.#region = region;
  }

  /** Unsigned requests that reach S3 are the browser-form uploads below: their CORS is the edge's. */
  readonly anonymousCors = 'edge' as const;

  /**
   * A browser-form upload (POST Object: `multipart/form-data` to a bucket) carries its signature in
   * the form — the POST policy and `x-amz-signature` fields — not in the request's headers, so the
   * edge lets it through unsigned and S3 answers it itself: NotImplemented naming the feature, where
   * the edge would have said "anonymous access". Paths and hosts of HTTP APIs stay theirs.
   */
  allowsAnonymous(head: RequestHead): boolean {
    if (head.method !== 'POST') return false;
    if (!/^multipart\/form-data/i.test(String(head.headers['content-type'] ?? ''))) return false;
    if (head.rawPath.startsWith('/_aws/') || /\.execute-api\./i.test(String(head.headers.host ?? ''))) return false;
    try {
      const { bucket, key } = locate(head.rawPath, head.headers.host);
      return bucket !== '' && key === '';
    } catch {
      return false;
    }
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    let operation = 'Unknown';
    let bucket = '';
    let key = '';
    let response: ServiceResponse;
    try {
      const host = request.headers.host;
      ({ bucket, key } = locate(request.rawPath, host));
      const target: Target = bucket === '' ? 'service' : key === '' ? 'bucket' : 'object';
      operation = resolveOperation(request.method, target, request.query, request.headers);
      verifyContentSha256(
        header(request, 'x-amz-content-sha256'),
        request.bodyChunks ?? [request.body],
        request.bodySha256,
      );
      const context: S3Context = {
        request,
        operation,
        bucket,
        key,
        store: this.store,
        lambda: this.#lambda,
        trace: this.#trace,
        region: this.#region,
      };
      const lookup = (name: string) => header(request, name);
      validateParameters(operation, request.query, lookup);
      // S3's answer to a header it does not implement: NotImplemented, here naming the parameter.
      const refused = refusedS3Parameter(operation, request.query, lookup);
      if (refused !== undefined) throw new S3Error('NotImplemented', unsupportedParameterMessage(operation, refused));
      const action = ACTIONS[operation];
      if (action === undefined) {
        throw new S3Error('NotImplemented', `The local cloud does not implement ${operation}.`);
      }
      response = await action(context);
    } catch (thrown) {
      const error = S3Error.from(thrown);
      if (error.code === 'InternalError') {
        const cause = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
        this.#trace.publish('s3.error', { operation, bucket, key, error: cause }, request.requestId);
      }
      response = this.#errorResponse(request, error);
    }
    this.#trace.publish(
      's3.request',
      { operation, bucket, key, status: response.status, caller: request.caller.principalArn },
      request.requestId,
    );
    return response;
  }

  /**
   * The IAM action and resources of a request, for the edge's policy check: bucket operations act
   * on `arn:aws:s3:::bucket`, object operations on `arn:aws:s3:::bucket/key`, ListBuckets on `*`,
   * DeleteObjects on each key it names. Requests that do not resolve to an operation are left to
   * `handle`, which answers them with S3's error. (CopyObject/UploadPartCopy are checked for
   * s3:PutObject on the destination only; AWS also wants s3:GetObject on the source.)
   */
  authorization(request: ServiceRequest): RequestAuthorization | undefined {
    try {
      const { bucket, key } = locate(request.rawPath, request.headers.host);
      const target: Target = bucket === '' ? 'service' : key === '' ? 'bucket' : 'object';
      const operation = resolveOperation(request.method, target, request.query, request.headers);
      const action = IAM_ACTION_BY_OPERATION[operation];
      if (action === undefined) return undefined;
      if (target === 'service') return { action, resources: ['*'] };
      if (operation === 'DeleteObjects') {
        const objects = children(parseXml(request.body), 'Object');
        const keys = objects.map((object) => childText(object, 'Key') ?? '');
        return { action, resources: keys.map((k) => `arn:aws:s3:::${bucket}/${k}`) };
      }
      return { action, resources: [target === 'bucket' ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`] };
    } catch {
      return undefined;
    }
  }

  /** Lets pending writes finish; in memory, the objects' bytes are removed with their folder. */
  async close(): Promise<void> {
    await this.store.close();
  }

  #errorResponse(request: ServiceRequest, error: S3Error): ServiceResponse {
    const headers = {
      ...baseHeaders({ request } as S3Context),
      'content-type': 'application/xml',
    };
    // HEAD responses have no body: SDKs derive the error from the status alone (recorded: s3-error-headobject-404.json).
    if (request.method === 'HEAD') return { status: error.status, headers };
    return { status: error.status, headers, body: error.toXML(request.requestId) };
  }
}
