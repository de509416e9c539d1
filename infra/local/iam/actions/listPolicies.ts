import { type IamAction, paginate, policyXml } from '../context.ts';

export const listPolicies: IamAction = ({ store }, params) => {
  const scope = params.get('Scope') ?? 'All';
  const onlyAttached = params.get('OnlyAttached') === 'true';
  const prefix = params.get('PathPrefix') ?? '/';
  const matching = store
    .policies()
    .filter((p) => scope === 'All' || (scope === 'AWS') === p.awsManaged)
    .filter((p) => p.Path.startsWith(prefix))
    .filter((p) => !onlyAttached || store.attachmentCount(p.Arn) > 0);
  const { page, IsTruncated, Marker } = paginate(matching, params);
  // ListPolicies leaves out descriptions (IAM API reference, ListPolicies).
  return { Policies: page.map((p) => policyXml(p, store.attachmentCount(p.Arn), false)), IsTruncated, Marker };
};
