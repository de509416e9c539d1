import { type Action, describeIdentity, encodeToken } from '../context.ts';
import { IDENTITY_POOL_ID, PAGINATION_KEY, QUERY_LIMIT, type Rules, validate } from '../validation.ts';
import { pageOffset } from './listIdentityPools.ts';

const RULES: Rules = {
  IdentityPoolId: { ...IDENTITY_POOL_ID, required: true },
  MaxResults: { ...QUERY_LIMIT, required: true },
  NextToken: PAGINATION_KEY,
  // The local cloud never disables identities, so HideDisabled changes nothing.
  HideDisabled: { type: 'boolean' },
};

/** ListIdentities: the identities of a pool, oldest first, MaxResults (1–60, required) at a time. */
export const listIdentities: Action = (context, input) => {
  validate(input, RULES);
  const pool = context.pool(input.IdentityPoolId as string);
  const offset = pageOffset(input.NextToken);
  const all = context.store.identities(pool.IdentityPoolId);
  const page = all.slice(offset, offset + (input.MaxResults as number));
  const next = offset + page.length;
  return {
    IdentityPoolId: pool.IdentityPoolId,
    Identities: page.map(describeIdentity),
    ...(next < all.length ? { NextToken: encodeToken({ offset: next }) } : {}),
  };
};
