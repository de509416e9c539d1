import type { IncomingHttpHeaders } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { NamedPolicy } from '../iam/evaluate.ts';
import type { ChunkSignatureChain } from './sigv4.ts';

/** Who signed a request, as established by SigV4 verification at the edge. */
/**
 * The Cognito identity that holds credentials an identity pool issued: what Lambda gives the handler
 * as `context.identity` when such credentials invoke it (Lambda developer guide, "Using the Lambda
 * context object to retrieve Node.js function information").
 */
export interface CognitoIdentityContext {
  readonly cognitoIdentityId: string;
  readonly cognitoIdentityPoolId: string;
}

export interface Caller {
  readonly accessKeyId: string;
  readonly accountId: string;
  /** `arn:aws:iam::000000000000:root` for the administrator; a role session ARN for temporary credentials. */
  readonly principalArn: string;
  /** Session token when the credentials are temporary. */
  readonly sessionToken?: string;
  /** For role credentials: the role whose policies apply. */
  readonly roleArn?: string;
  /** Session policies of the credentials: they scope the role's permissions down (see CredentialRecord). */
  readonly sessionPolicies?: readonly NamedPolicy[];
  /** True for requests AWS serves unsigned (see `Service.allowsAnonymous`). */
  readonly anonymous?: boolean;
  /** For credentials an identity pool issued: whose they are. */
  readonly cognitoIdentity?: CognitoIdentityContext;
}

/** What a request asks to do, in IAM's terms, for the policy check at the edge. */
export interface RequestAuthorization {
  /** e.g. `s3:PutObject`, `lambda:InvokeFunction`. */
  readonly action: string;
  /** ARNs the action touches (`*` when the action has no resource, as ListBuckets). */
  readonly resources: readonly string[];
}

/** The parts of a request known before its body is read and its signature checked. */
export interface RequestHead {
  readonly method: string;
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

/** A request after the edge has read the body and worked out which service it is for. */
export interface ServiceRequest {
  readonly method: string;
  /** Raw path as received (still percent-encoded), without the query string. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Full body as received (S3 decodes `aws-chunked` itself). */
  readonly body: Buffer;
  /**
   * The body in the pieces it arrived in, never joined: what a large upload is stored as. The edge
   * joins them into `body` only when that is read. @default [body]
   */
  readonly bodyChunks?: readonly Buffer[];
  /** MD5 (hex) of the body, computed by the edge while it arrived: S3 uploads without aws-chunked framing. */
  readonly bodyMd5?: string;
  /** SHA-256 (hex) of the body, computed by the edge while it arrived: S3 requests whose x-amz-content-sha256 is a digest. */
  readonly bodySha256?: string;
  /**
   * The chunk-signature chain of a body signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD),
   * seeded with the request's verified signature: S3 checks every chunk against it.
   */
  readonly chunkSignatures?: ChunkSignatureChain;
  /** AWS service from the SigV4 credential scope (`s3`, `lambda`, …). */
  readonly service: string;
  readonly region: string;
  readonly requestId: string;
  readonly caller: Caller;
}

/**
 * A streamed body that can write itself to the response, reusing its buffers once the socket has
 * taken them (S3 objects: ../s3/blob-stream.ts). The edge ends the response when it resolves.
 */
export interface SelfWritingBody {
  writeTo(out: Writable): Promise<void>;
}

export const isSelfWriting = (body: Readable): body is Readable & SelfWritingBody =>
  typeof (body as Partial<SelfWritingBody>).writeTo === 'function';

export interface ServiceResponse {
  readonly status: number;
  readonly headers?: Record<string, string | number | readonly string[]>;
  readonly body?: Buffer | string | Readable;
}

/** A service of the local cloud (S3, Lambda, …). Throws nothing: errors become AWS-shaped responses. */
export interface Service {
  /** SigV4 signing names this service answers (`s3`, `lambda`, …). */
  readonly signingNames: readonly string[];
  handle(request: ServiceRequest): Promise<ServiceResponse>;
  /**
   * Requests AWS serves without a signature (Cognito's GetId, an HTTP API's invoke URL).
   * The edge routes an unsigned request here when this returns true.
   */
  allowsAnonymous?(head: RequestHead): boolean;
  /**
   * Who answers CORS for the unsigned requests this service serves: the service itself (an HTTP
   * API applies its own CORS configuration; the default), or the edge, as for signed calls
   * (Cognito's public operations, which browsers call from any allowed page).
   */
  readonly anonymousCors?: 'service' | 'edge';
  /** The IAM action and resources a signed request needs; undefined when IAM does not apply. */
  authorization?(request: ServiceRequest): RequestAuthorization | undefined;
  /** Stops timers, child processes and open files. */
  close?(): Promise<void>;
}

export const ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
