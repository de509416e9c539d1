import { type Action, describeIdentity as describe } from '../context.ts';
import { IDENTITY_ID, validate } from '../validation.ts';

/** DescribeIdentity: when an identity was created and last changed, and the providers linked to it. */
export const describeIdentity: Action = (context, input) => {
  validate(input, { IdentityId: { ...IDENTITY_ID, required: true } });
  return describe(context.identity(input.IdentityId as string));
};
