import { type Action, describePool } from '../context.ts';
import { IDENTITY_POOL_ID, validate } from '../validation.ts';

/** DescribeIdentityPool: the pool's configuration (its roles come from GetIdentityPoolRoles). */
export const describeIdentityPool: Action = (context, input) => {
  validate(input, { IdentityPoolId: { ...IDENTITY_POOL_ID, required: true } });
  return describePool(context.pool(input.IdentityPoolId as string));
};
