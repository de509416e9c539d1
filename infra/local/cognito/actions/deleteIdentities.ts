import type { Action } from '../context.ts';
import { IDENTITY_ID, validate } from '../validation.ts';

/** DeleteIdentities: 1–60 identities; ids that do not exist are skipped, as already deleted. */
export const deleteIdentities: Action = (context, input) => {
  validate(input, {
    IdentityIdsToDelete: { type: 'array', required: true, minLength: 1, maxLength: 60, value: IDENTITY_ID },
  });
  for (const id of input.IdentityIdsToDelete as string[]) context.store.deleteIdentity(id);
  return { UnprocessedIdentityIds: [] };
};
