import { ACCOUNT_ID } from '../../edge/types.ts';
import { type IamAction, policyXml } from '../context.ts';
import { IamError } from '../errors.ts';
import { uniqueId } from '../store.ts';

export const createPolicy: IamAction = ({ store }, params) => {
  const name = params.get('PolicyName')!;
  const path = params.get('Path') ?? '/';
  const document = params.get('PolicyDocument')!;
  const arn = `arn:aws:iam::${ACCOUNT_ID}:policy${path}${name}`;
  if (store.policies().some((p) => !p.awsManaged && p.PolicyName.toLowerCase() === name.toLowerCase())) {
    throw new IamError(
      'EntityAlreadyExists',
      `A policy called ${name} already exists. Duplicate names are not allowed.`,
    );
  }
  store.document(document, 'identity');
  const now = new Date().toISOString();
  const policy = {
    PolicyName: name,
    PolicyId: uniqueId('ANPA'),
    Arn: arn,
    Path: path,
    Description: params.get('Description') ?? undefined,
    CreateDate: now,
    UpdateDate: now,
    DefaultVersionId: 'v1',
    document,
    awsManaged: false,
  };
  store.putPolicy(policy);
  return { Policy: policyXml(policy, 0) };
};
