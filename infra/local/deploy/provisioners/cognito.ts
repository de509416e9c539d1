// AWS::Cognito::IdentityPool and ::IdentityPoolRoleAttachment → the local Cognito Identity.
import {
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { errorName, exists, type Provisioner, tagMap } from './types.ts';

export const cognitoIdentityPool: Provisioner = {
  async apply(properties, context) {
    const client = context.clients.cognito;
    // Pool names allow [\w\s+=,.@-]; CloudFormation generates `<LogicalId>_<suffix>`.
    const name =
      (properties.IdentityPoolName as string | undefined) ??
      (context.previous?.attributes.Name as string | undefined) ??
      context.physicalName({ maxLength: 128, separator: '_' });
    const providers = properties.CognitoIdentityProviders as never[] | undefined;
    const settings = {
      IdentityPoolName: name,
      AllowUnauthenticatedIdentities: Boolean(properties.AllowUnauthenticatedIdentities),
      AllowClassicFlow: properties.AllowClassicFlow as boolean | undefined,
      SupportedLoginProviders: properties.SupportedLoginProviders as never,
      DeveloperProviderName: properties.DeveloperProviderName as string | undefined,
      OpenIdConnectProviderARNs: properties.OpenIdConnectProviderARNs as string[] | undefined,
      SamlProviderARNs: properties.SamlProviderARNs as string[] | undefined,
      CognitoIdentityProviders: providers !== undefined && providers.length > 0 ? providers : undefined,
    };
    const previousId = context.previous?.physicalId;
    if (previousId !== undefined) {
      try {
        await client.send(new UpdateIdentityPoolCommand({ IdentityPoolId: previousId, ...settings }));
        return { physicalId: previousId, attributes: { Id: previousId, Name: name } };
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException') throw error;
      }
    }
    const created = await client.send(
      new CreateIdentityPoolCommand({ ...settings, IdentityPoolTags: tagMap(properties.IdentityPoolTags) }),
    );
    return { physicalId: created.IdentityPoolId!, attributes: { Id: created.IdentityPoolId, Name: name } };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.cognito.send(new DescribeIdentityPoolCommand({ IdentityPoolId: deployed.physicalId })),
      ['ResourceNotFoundException'],
    ),
  async delete(deployed, context) {
    await context.clients.cognito.send(new DeleteIdentityPoolCommand({ IdentityPoolId: deployed.physicalId }));
  },
};

export const cognitoIdentityPoolRoleAttachment: Provisioner = {
  async apply(properties, context) {
    const identityPoolId = properties.IdentityPoolId as string;
    await context.clients.cognito.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: identityPoolId,
        Roles: (properties.Roles ?? {}) as Record<string, string>,
        RoleMappings: properties.RoleMappings as never,
      }),
    );
    return { physicalId: `${identityPoolId}-roles`, attributes: {} };
  },
};
