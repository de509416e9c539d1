import { DynamoDBError } from './errors.ts';

/**
 * DynamoDB's document depth limit: "nested attributes up to 32 levels deep" (Service, account, and
 * table quotas in Amazon DynamoDB). Real DynamoDB accepts a value wrapped in 31 maps/lists and
 * refuses 32 with this ValidationException, for stored items and expression attribute values alike.
 */
export const MAX_NESTED_WRAPS = 31;

const NESTING_MESSAGE =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/** True when the AttributeValue is wrapped in more maps/lists than allowed (walks no further than the limit). */
function tooDeep(value: unknown, wraps: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const { M, L } = value as { M?: unknown; L?: unknown };
  const children =
    M !== null && typeof M === 'object' && !Array.isArray(M) ? Object.values(M) : Array.isArray(L) ? L : undefined;
  if (children === undefined) return false;
  if (wraps + 1 > MAX_NESTED_WRAPS) return true;
  return children.some((child) => tooDeep(child, wraps + 1));
}

function checkAttributes(attributes: unknown): void {
  if (attributes === null || typeof attributes !== 'object') return;
  for (const value of Object.values(attributes)) {
    if (tooDeep(value, 0)) throw new DynamoDBError('ValidationException', NESTING_MESSAGE);
  }
}

/** Deeper than any request within the limits (each level is two JSON levels: `{"M": {"name": …}}`). */
const MAX_JSON_DEPTH = 2 * (MAX_NESTED_WRAPS + 1) + 16;

function jsonDepthExceeds(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Refuses a request whose items or expression values nest deeper than DynamoDB allows, with AWS's
 * ValidationException, before the engine sees it (a 1,000-level document used to reach dynalite and
 * come back as a 500).
 */
export function checkNesting(input: Readonly<Record<string, unknown>>): void {
  checkAttributes(input.Item);
  checkAttributes(input.ExpressionAttributeValues);
  const updates = input.AttributeUpdates;
  if (updates !== null && typeof updates === 'object') {
    for (const update of Object.values(updates)) checkAttributes({ value: (update as { Value?: unknown })?.Value });
  }
  const requestItems = input.RequestItems;
  if (requestItems !== null && typeof requestItems === 'object') {
    for (const writes of Object.values(requestItems)) {
      if (!Array.isArray(writes)) continue;
      for (const write of writes) checkAttributes((write as { PutRequest?: { Item?: unknown } })?.PutRequest?.Item);
    }
  }
  // Anything else this deep (a key, an Expected value…) is no valid request either.
  if (jsonDepthExceeds(input, MAX_JSON_DEPTH)) throw new DynamoDBError('ValidationException', NESTING_MESSAGE);
}
