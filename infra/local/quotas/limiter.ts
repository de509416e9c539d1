// The local cloud's quota mode (`npm run cloud -- --quotas aws`): account-level token buckets, keyed
// by the caller's account and Region as AWS keys them (so every learner of a class shares them), for
// the operations of ./aws-quotas.ts. A request over its quota gets the error AWS answers, in the
// service's shape; the edge asks `admit` before the service sees the request.
import { renderError } from '../edge/errors.ts';
import { ACCOUNT_ID, type ServiceRequest, type ServiceResponse } from '../edge/types.ts';
import { routeOf } from '../lambda/routes.ts';
import { LAMBDA_QUOTAS, LOGS_QUOTAS, type RateQuota, rateIn, S3_QUOTAS } from './aws-quotas.ts';

/** Which quota a request counts against. */
interface Charge {
  readonly service: 'logs' | 'lambda' | 's3';
  /** The quota's label in reports (`logs:FilterLogEvents`, `lambda:control plane`, `s3:GET/HEAD per prefix`). */
  readonly label: string;
  /** One bucket per key: the label plus the account and Region (plus the prefix for S3). */
  readonly key: string;
  readonly perSecond: number;
}

export interface QuotaUsage {
  readonly label: string;
  /** The quota in requests per second. */
  readonly perSecond: number;
  /** The most requests admitted in one wall-clock second (for S3: on its busiest prefix). */
  readonly maxPerSecond: number;
  readonly admitted: number;
  readonly throttled: number;
}

export interface QuotaLimiterOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** Replace a quota's rate by label (tests, or an account with raised quotas). */
  readonly overrides?: Readonly<Record<string, number>>;
}

interface Bucket {
  tokens: number;
  at: number;
  second: number;
  inSecond: number;
}

interface Tally {
  perSecond: number;
  maxPerSecond: number;
  admitted: number;
  throttled: number;
}

const LOGS_TARGET = /^Logs_\d+\.(\w+)$/;

export class QuotaLimiter {
  readonly #now: () => number;
  readonly #overrides: Readonly<Record<string, number>>;
  readonly #buckets = new Map<string, Bucket>();
  readonly #tallies = new Map<string, Tally>();

  constructor({ now = Date.now, overrides = {} }: QuotaLimiterOptions = {}) {
    this.#now = now;
    this.#overrides = overrides;
  }

  /** Undefined when the request is within its quota (or has none); else AWS's throttling response. */
  admit(request: ServiceRequest): ServiceResponse | undefined {
    const charge = this.#chargeOf(request);
    if (charge === undefined) return undefined;
    const now = this.#now();
    let bucket = this.#buckets.get(charge.key);
    if (bucket === undefined) {
      // A full bucket holds one second's worth: AWS's per-second rates allow that burst.
      bucket = { tokens: charge.perSecond, at: now, second: Math.floor(now / 1000), inSecond: 0 };
      this.#buckets.set(charge.key, bucket);
    }
    bucket.tokens = Math.min(charge.perSecond, bucket.tokens + ((now - bucket.at) / 1000) * charge.perSecond);
    bucket.at = now;
    let tally = this.#tallies.get(charge.label);
    if (tally === undefined) {
      tally = { perSecond: charge.perSecond, maxPerSecond: 0, admitted: 0, throttled: 0 };
      this.#tallies.set(charge.label, tally);
    }
    if (bucket.tokens < 1) {
      tally.throttled++;
      return throttled(charge.service, request);
    }
    bucket.tokens -= 1;
    const second = Math.floor(now / 1000);
    if (second !== bucket.second) {
      bucket.second = second;
      bucket.inSecond = 0;
    }
    bucket.inSecond++;
    tally.admitted++;
    tally.maxPerSecond = Math.max(tally.maxPerSecond, bucket.inSecond);
    return undefined;
  }

  /** What each quota saw since the start (or the last `reset`). */
  usage(): QuotaUsage[] {
    return [...this.#tallies].map(([label, tally]) => ({ label, ...tally }));
  }

  /**
   * Forgets the tallies and the current second's counts; the buckets keep their tokens, so what
   * was spent before the reset still limits what follows, but is not reported as its usage.
   */
  resetUsage(): void {
    this.#tallies.clear();
    for (const bucket of this.#buckets.values()) bucket.inSecond = 0;
  }

  #rate(label: string, quota: RateQuota, region: string): number {
    return this.#overrides[label] ?? rateIn(quota, region);
  }

  #chargeOf(request: ServiceRequest): Charge | undefined {
    const account = request.caller.accountId || ACCOUNT_ID;
    const scope = `${account}/${request.region}`;
    switch (request.service) {
      case 'logs': {
        const operation = LOGS_TARGET.exec(String(request.headers['x-amz-target'] ?? ''))?.[1];
        const quota =
          operation === undefined ? undefined : (LOGS_QUOTAS as Readonly<Record<string, RateQuota>>)[operation];
        if (operation === undefined || quota === undefined) return undefined;
        const label = `logs:${operation}`;
        return {
          service: 'logs',
          label,
          key: `${label}/${scope}`,
          perSecond: this.#rate(label, quota, request.region),
        };
      }
      case 'lambda': {
        let operation: string;
        try {
          operation = routeOf(request.method, request.rawPath).route.operation;
        } catch {
          // Event source mappings and unknown paths: the control plane's shared quota.
          operation = 'ControlPlane';
        }
        if (operation === 'Invoke' || operation === 'InvokeAsync') return undefined; // concurrency, not a rate
        const quota =
          operation === 'GetFunction'
            ? LAMBDA_QUOTAS.GetFunction
            : operation === 'GetPolicy'
              ? LAMBDA_QUOTAS.GetPolicy
              : LAMBDA_QUOTAS.ControlPlane;
        const label = quota === LAMBDA_QUOTAS.ControlPlane ? 'lambda:control plane' : `lambda:${operation}`;
        return {
          service: 'lambda',
          label,
          key: `${label}/${scope}`,
          perSecond: this.#rate(label, quota, request.region),
        };
      }
      case 's3': {
        const read = request.method === 'GET' || request.method === 'HEAD';
        const write = ['PUT', 'POST', 'DELETE'].includes(request.method);
        if (!read && !write) return undefined;
        const quota = read ? S3_QUOTAS.Read : S3_QUOTAS.Write;
        const label = read ? 's3:GET/HEAD per prefix' : 's3:PUT/COPY/POST/DELETE per prefix';
        return {
          service: 's3',
          label,
          key: `${label}/${scope}/${prefixOf(request.rawPath)}`,
          perSecond: this.#rate(label, quota, request.region),
        };
      }
      default:
        return undefined;
    }
  }
}

/** The bucket and the key's "folder" of a path-style S3 request (`photos/2026/`), AWS's unit of request rate. */
export function prefixOf(rawPath: string): string {
  const path = rawPath.replace(/^\/+/, '');
  const slash = path.indexOf('/');
  if (slash === -1) return `${path}/`;
  const bucket = path.slice(0, slash);
  const key = path.slice(slash + 1);
  return `${bucket}/${key.slice(0, key.lastIndexOf('/') + 1)}`;
}

/** AWS's answer to a request over its rate, per service. */
function throttled(service: Charge['service'], request: ServiceRequest): ServiceResponse {
  switch (service) {
    case 'logs':
      // CloudWatch Logs: HTTP 400 ThrottlingException "Rate exceeded" (Logs common errors).
      return renderError(
        { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
        'logs',
        request.requestId,
        {
          headers: request.headers,
        },
      );
    case 'lambda':
      // Lambda: HTTP 429 TooManyRequestsException with Reason CallerRateLimitExceeded (Lambda API
      // reference, TooManyRequestsException: Reason, retryAfterSeconds as the Retry-After header).
      return {
        status: 429,
        headers: {
          'content-type': 'application/json',
          'x-amzn-requestid': request.requestId,
          'x-amzn-errortype': 'TooManyRequestsException',
          'retry-after': '1',
        },
        body: JSON.stringify({ Reason: 'CallerRateLimitExceeded', Type: 'User', message: 'Rate exceeded' }),
      };
    case 's3':
      // S3: HTTP 503 SlowDown "Please reduce your request rate." (S3 error responses).
      return renderError(
        { code: 'SlowDown', status: 503, message: 'Please reduce your request rate.' },
        's3',
        request.requestId,
        { headers: request.headers },
      );
  }
}
