import { ApiGatewayError } from './errors.ts';

/** Methods a route key may name (HTTP APIs: "Working with routes for HTTP APIs"). */
export const ROUTE_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export const DEFAULT_ROUTE = '$default';

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

/** A parsed route key: `$default`, or a method and a path template. */
export type ParsedRouteKey =
  | { readonly isDefault: true }
  | {
      readonly isDefault: false;
      readonly method: string;
      readonly path: string;
      readonly segments: readonly Segment[];
    };

const PARAM = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

function invalid(routeKey: string, why: string): ApiGatewayError {
  return new ApiGatewayError('BadRequestException', `Invalid route key '${routeKey}': ${why}`);
}

/**
 * Parses and validates a route key: `$default`, or `METHOD /path` where segments are literals,
 * `{param}` or a greedy `{proxy+}` that must come last.
 */
export function parseRouteKey(routeKey: string): ParsedRouteKey {
  if (routeKey === DEFAULT_ROUTE) return { isDefault: true };
  const match = /^(\S+) (\/\S*)$/.exec(routeKey);
  if (!match) throw invalid(routeKey, "expected '$default' or '<METHOD> /<path>'.");
  const [, method = '', path = ''] = match;
  if (!(ROUTE_METHODS as readonly string[]).includes(method)) {
    throw invalid(routeKey, `method must be one of ${ROUTE_METHODS.join(', ')}.`);
  }
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const segments: Segment[] = parts.map((part, index) => {
    if (part === '') throw invalid(routeKey, 'empty path segment.');
    const param = PARAM.exec(part);
    if (param) {
      const [, name = '', plus] = param;
      if (plus) {
        if (index !== parts.length - 1) throw invalid(routeKey, 'a greedy path variable must be the last segment.');
        return { kind: 'greedy', name };
      }
      return { kind: 'param', name };
    }
    if (/[{}]/.test(part)) throw invalid(routeKey, `malformed path variable '${part}'.`);
    return { kind: 'literal', value: part };
  });
  const names = segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));
  if (new Set(names).size !== names.length) throw invalid(routeKey, 'duplicate path variable.');
  return { isDefault: false, method, path, segments };
}

export interface RouteMatch<R> {
  readonly route: R;
  /** Path variables as they appear in the request path (not decoded, as AWS sends them). */
  readonly pathParameters: Readonly<Record<string, string>>;
}

/** Rank of a segment kind: literal beats `{param}` beats greedy `{proxy+}`. */
const RANK = { literal: 2, param: 1, greedy: 0 } as const;

function matchPath(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      params[segment.name] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.value !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return segments.length === parts.length ? params : undefined;
}

/** Orders two candidate routes: negative when `a` is more specific than `b`. */
function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const ra = a[i] ? RANK[a[i]!.kind] : -1;
    const rb = b[i] ? RANK[b[i]!.kind] : -1;
    if (ra !== rb) return rb - ra;
  }
  return 0;
}

/**
 * Picks the route for a request as HTTP APIs do ("Routing API requests"): the most specific
 * path wins (a literal segment beats `{param}`, which beats a greedy `{proxy+}`, compared from the
 * left); for the same path an exact method beats `ANY`; `$default` catches what nothing else matches.
 * A trailing slash is ignored (`/items/` matches `GET /items`), as the recorded proxy events show.
 */
export function matchRoute<R extends { readonly routeKey: string }>(
  routes: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const parts = trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
  let best: { route: R; segments: readonly Segment[]; exact: boolean; params: Record<string, string> } | undefined;
  let fallback: R | undefined;
  for (const route of routes) {
    let parsed: ParsedRouteKey;
    try {
      parsed = parseRouteKey(route.routeKey);
    } catch {
      continue;
    }
    if (parsed.isDefault) {
      fallback = route;
      continue;
    }
    if (parsed.method !== method && parsed.method !== 'ANY') continue;
    const params = matchPath(parsed.segments, parts);
    if (params === undefined) continue;
    const exact = parsed.method === method;
    const order = best === undefined ? -1 : compareSpecificity(parsed.segments, best.segments);
    if (order < 0 || (order === 0 && exact && !best?.exact)) {
      best = { route, segments: parsed.segments, exact, params };
    }
  }
  if (best) return { route: best.route, pathParameters: best.params };
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}
