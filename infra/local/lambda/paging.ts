import { LambdaError } from './errors.ts';

/**
 * Lambda's list paging: `MaxItems` (1–10000, default 50) and an opaque `Marker`. The local marker
 * is the key of the last item of the previous page; the next page starts after it.
 */
export function page<T>(
  all: readonly T[],
  query: URLSearchParams,
  keyOf: (item: T) => string,
): { items: T[]; nextMarker?: string } {
  const maxItems = Number(query.get('MaxItems') ?? '50');
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10000) {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${query.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  const marker = query.get('Marker');
  const start = marker === null ? 0 : all.findIndex((item) => keyOf(item) === marker) + 1;
  if (marker !== null && start === 0) return { items: [] };
  const items = all.slice(start, start + maxItems);
  const last = items.at(-1);
  return start + maxItems < all.length && last !== undefined ? { items, nextMarker: keyOf(last) } : { items };
}
