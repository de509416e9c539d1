import { type Action, decodeToken, encodeToken } from '../context.ts';
import { CognitoIdentityError } from '../errors.ts';
import { PAGINATION_KEY, QUERY_LIMIT, validate } from '../validation.ts';

/** ListIdentityPools: id and name of every pool, oldest first, MaxResults (1–60, required) at a time. */
export const listIdentityPools: Action = (context, input) => {
  validate(input, { MaxResults: { ...QUERY_LIMIT, required: true }, NextToken: PAGINATION_KEY });
  const offset = pageOffset(input.NextToken);
  const all = context.store.pools();
  const page = all.slice(offset, offset + (input.MaxResults as number));
  const next = offset + page.length;
  return {
    IdentityPools: page.map((pool) => ({
      IdentityPoolId: pool.IdentityPoolId,
      IdentityPoolName: pool.IdentityPoolName,
    })),
    ...(next < all.length ? { NextToken: encodeToken({ offset: next }) } : {}),
  };
};

/** Where a page starts: 0 without a token, the offset a previous page handed out otherwise. */
export function pageOffset(nextToken: unknown): number {
  if (nextToken === undefined) return 0;
  const offset = decodeToken(nextToken as string)?.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new CognitoIdentityError('InvalidParameterException', 'Invalid pagination token.');
  }
  return offset;
}
