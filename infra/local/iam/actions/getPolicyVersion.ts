import { encodeDocument, type IamAction } from '../context.ts';
import { IamError } from '../errors.ts';
import { requirePolicy } from './policies.ts';

/** Only the default version is kept (CreatePolicyVersion is not implemented). */
export const getPolicyVersion: IamAction = ({ store }, params) => {
  const policy = requirePolicy(store, params.get('PolicyArn')!);
  const versionId = params.get('VersionId')!;
  if (versionId !== policy.DefaultVersionId) {
    throw new IamError(
      'NoSuchEntity',
      `Policy ${policy.Arn} version ${versionId} does not exist or is not attachable.`,
    );
  }
  return {
    PolicyVersion: {
      Document: encodeDocument(policy.document),
      VersionId: versionId,
      IsDefaultVersion: true,
      CreateDate: policy.UpdateDate,
    },
  };
};
