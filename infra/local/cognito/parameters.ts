import { refused, type ServiceParameters, supported } from '../shared/parameters.ts';

const POOL_CONFIGURATION = [
  'IdentityPoolName',
  'AllowUnauthenticatedIdentities',
  'AllowClassicFlow',
  'SupportedLoginProviders',
  'DeveloperProviderName',
  'OpenIdConnectProviderARNs',
  'CognitoIdentityProviders',
  'SamlProviderARNs',
  'IdentityPoolTags',
] as const;

/** The Cognito Identity request members (API reference) of each implemented operation. */
export const COGNITO_IDENTITY_PARAMETERS: ServiceParameters = {
  CreateIdentityPool: supported(...POOL_CONFIGURATION),
  DescribeIdentityPool: supported('IdentityPoolId'),
  ListIdentityPools: supported('MaxResults', 'NextToken'),
  UpdateIdentityPool: supported('IdentityPoolId', ...POOL_CONFIGURATION),
  DeleteIdentityPool: supported('IdentityPoolId'),
  // Role mappings are kept and answered back; they map external providers' tokens, which are refused.
  SetIdentityPoolRoles: supported('IdentityPoolId', 'Roles', 'RoleMappings'),
  GetIdentityPoolRoles: supported('IdentityPoolId'),
  GetId: supported('AccountId', 'IdentityPoolId', 'Logins'),
  GetCredentialsForIdentity: {
    ...supported('IdentityId', 'Logins'),
    CustomRoleArn: refused("it picks among roles an external provider's token carries"),
  },
  GetOpenIdToken: supported('IdentityId', 'Logins'),
  GetOpenIdTokenForDeveloperIdentity: {
    ...supported('IdentityPoolId', 'IdentityId', 'Logins', 'TokenDuration'),
    PrincipalTags: refused('principal tags for access control are not modelled'),
  },
  LookupDeveloperIdentity: supported(
    'IdentityPoolId',
    'IdentityId',
    'DeveloperUserIdentifier',
    'MaxResults',
    'NextToken',
  ),
  DescribeIdentity: supported('IdentityId'),
  // The local cloud never disables identities: HideDisabled hides none.
  ListIdentities: supported('IdentityPoolId', 'MaxResults', 'NextToken', 'HideDisabled'),
  DeleteIdentities: supported('IdentityIdsToDelete'),
};
