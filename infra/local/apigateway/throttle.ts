// Stage and route throttling of HTTP APIs: "API Gateway throttles requests to your API using the
// token bucket algorithm, where a token counts for a request" — the burst limit is the bucket's
// size, the rate limit the tokens added per second; a route's own settings (the stage's
// RouteSettings) take the place of the stage's DefaultRouteSettings. A request that finds no token
// is answered 429 Too Many Requests without reaching the integration.
// (API Gateway Developer Guide, "Throttling requests to your HTTP API".) Account-level throttling
// (10,000 requests per second across the account's APIs) is not modelled.
import type { RouteSettings, StageRecord } from './store.ts';

/** The limits that apply to `routeKey` on `stage`, or undefined when none are set. */
export function routeLimits(stage: StageRecord, routeKey: string): RouteSettings | undefined {
  const own = stage.routeSettings?.[routeKey];
  const limits = own ?? stage.defaultRouteSettings;
  if (limits?.throttlingBurstLimit === undefined && limits?.throttlingRateLimit === undefined) return undefined;
  return limits;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** The limits the bucket was filled for: new limits start a full bucket. */
  readonly burst: number;
  readonly rate: number;
}

/** Token buckets per API, stage and route. */
export class RouteThrottle {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * Takes a token for one request to `routeKey`; false when the bucket is empty (throttled). A
   * limit left unset does not limit: no burst limit is a bucket as large as the rate's second, no
   * rate limit a bucket that refills at once.
   */
  take(apiId: string, stage: string, routeKey: string, limits: RouteSettings): boolean {
    const rate = limits.throttlingRateLimit ?? Number.POSITIVE_INFINITY;
    const burst = limits.throttlingBurstLimit ?? Math.max(1, Math.ceil(rate));
    const key = `${apiId} ${stage} ${routeKey}`;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (bucket === undefined || bucket.burst !== burst || bucket.rate !== rate) {
      bucket = { tokens: burst, updatedAt: now, burst, rate };
      this.#buckets.set(key, bucket);
    }
    const refill = rate === Number.POSITIVE_INFINITY ? burst : ((now - bucket.updatedAt) / 1000) * rate;
    bucket.tokens = Math.min(burst, bucket.tokens + refill);
    bucket.updatedAt = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
