import type { Action } from '../context.ts';
import { IDENTITY_POOL_ID, validate } from '../validation.ts';

/** DeleteIdentityPool: the pool and its identities go; their credentials already issued keep working until they expire. */
export const deleteIdentityPool: Action = (context, input) => {
  validate(input, { IdentityPoolId: { ...IDENTITY_POOL_ID, required: true } });
  const pool = context.pool(input.IdentityPoolId as string);
  context.store.deletePool(pool.IdentityPoolId);
  return {};
};
