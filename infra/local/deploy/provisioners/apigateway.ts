// AWS::ApiGatewayV2::Api, ::Stage, ::Integration and ::Route → the local API Gateway (HTTP APIs).
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetIntegrationCommand,
  GetRouteCommand,
  GetStageCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { errorName, exists, type Provisioner, tagMap } from './types.ts';

const NOT_FOUND = ['NotFoundException'];

export const apiGatewayV2Api: Provisioner = {
  async apply(properties, context) {
    const client = context.clients.apigateway;
    if (properties.Body !== undefined || properties.BodyS3Location !== undefined) {
      throw new Error('OpenAPI definitions (Body/BodyS3Location) are not supported by the local deployer.');
    }
    const settings = {
      Name: (properties.Name as string | undefined) ?? context.physicalName({ maxLength: 128 }),
      CorsConfiguration: properties.CorsConfiguration as never,
      Description: properties.Description as string | undefined,
      RouteSelectionExpression: properties.RouteSelectionExpression as string | undefined,
      DisableExecuteApiEndpoint: properties.DisableExecuteApiEndpoint as boolean | undefined,
    };
    const previousId = context.previous?.physicalId;
    if (previousId !== undefined) {
      try {
        const updated = await client.send(new UpdateApiCommand({ ApiId: previousId, ...settings }));
        return { physicalId: previousId, attributes: { ApiId: previousId, ApiEndpoint: updated.ApiEndpoint } };
      } catch (error) {
        if (!NOT_FOUND.includes(errorName(error))) throw error;
      }
    }
    const created = await client.send(
      new CreateApiCommand({
        ...settings,
        ProtocolType: properties.ProtocolType as never,
        Tags: tagMap(properties.Tags),
      }),
    );
    return { physicalId: created.ApiId!, attributes: { ApiId: created.ApiId, ApiEndpoint: created.ApiEndpoint } };
  },
  exists: (deployed, context) =>
    exists(() => context.clients.apigateway.send(new GetApiCommand({ ApiId: deployed.physicalId })), NOT_FOUND),
  // The endpoint names the cloud's port, which may differ from the last deploy's.
  async refresh(deployed, context) {
    const api = await context.clients.apigateway.send(new GetApiCommand({ ApiId: deployed.physicalId }));
    return { ...deployed.attributes, ApiEndpoint: api.ApiEndpoint };
  },
  async delete(deployed, context) {
    await context.clients.apigateway.send(new DeleteApiCommand({ ApiId: deployed.physicalId }));
  },
};

export const apiGatewayV2Stage: Provisioner = {
  async apply(properties, context) {
    const client = context.clients.apigateway;
    const input = {
      ApiId: properties.ApiId as string,
      StageName: properties.StageName as string,
      AutoDeploy: properties.AutoDeploy as boolean | undefined,
      Description: properties.Description as string | undefined,
      StageVariables: properties.StageVariables as never,
      // Throttling limits, passed on as given: the local API Gateway honours or refuses them by name.
      DefaultRouteSettings: properties.DefaultRouteSettings as never,
      RouteSettings: properties.RouteSettings as never,
    };
    try {
      await client.send(new CreateStageCommand({ ...input, Tags: tagMap(properties.Tags) }));
    } catch (error) {
      if (errorName(error) !== 'ConflictException') throw error;
      await client.send(new UpdateStageCommand(input));
    }
    return { physicalId: input.StageName, attributes: { ApiId: input.ApiId } };
  },
  exists: (deployed, context) =>
    exists(
      () =>
        context.clients.apigateway.send(
          new GetStageCommand({ ApiId: deployed.attributes.ApiId as string, StageName: deployed.physicalId }),
        ),
      NOT_FOUND,
    ),
  async delete(deployed, context) {
    await context.clients.apigateway
      .send(new DeleteStageCommand({ ApiId: deployed.attributes.ApiId as string, StageName: deployed.physicalId }))
      .catch(() => undefined);
  },
};

export const apiGatewayV2Integration: Provisioner = {
  async apply(properties, context) {
    const client = context.clients.apigateway;
    const apiId = properties.ApiId as string;
    const input = {
      ApiId: apiId,
      IntegrationType: properties.IntegrationType as never,
      IntegrationUri: properties.IntegrationUri as string | undefined,
      IntegrationMethod: properties.IntegrationMethod as string | undefined,
      PayloadFormatVersion: properties.PayloadFormatVersion as string | undefined,
      TimeoutInMillis: properties.TimeoutInMillis as number | undefined,
      Description: properties.Description as string | undefined,
    };
    const previous = context.previous;
    if (previous !== undefined && previous.attributes.ApiId === apiId) {
      try {
        await client.send(new UpdateIntegrationCommand({ ...input, IntegrationId: previous.physicalId }));
        return { physicalId: previous.physicalId, attributes: { ApiId: apiId } };
      } catch (error) {
        if (!NOT_FOUND.includes(errorName(error))) throw error;
      }
    }
    const created = await client.send(new CreateIntegrationCommand(input));
    return { physicalId: created.IntegrationId!, attributes: { ApiId: apiId } };
  },
  exists: (deployed, context) =>
    exists(
      () =>
        context.clients.apigateway.send(
          new GetIntegrationCommand({ ApiId: deployed.attributes.ApiId as string, IntegrationId: deployed.physicalId }),
        ),
      NOT_FOUND,
    ),
  async delete(deployed, context) {
    await context.clients.apigateway
      .send(
        new DeleteIntegrationCommand({
          ApiId: deployed.attributes.ApiId as string,
          IntegrationId: deployed.physicalId,
        }),
      )
      .catch(() => undefined);
  },
};

export const apiGatewayV2Route: Provisioner = {
  async apply(properties, context) {
    const client = context.clients.apigateway;
    const apiId = properties.ApiId as string;
    const input = {
      ApiId: apiId,
      RouteKey: properties.RouteKey as string,
      Target: properties.Target as string | undefined,
      AuthorizationType: properties.AuthorizationType as never,
      AuthorizerId: properties.AuthorizerId as string | undefined,
      AuthorizationScopes: properties.AuthorizationScopes as string[] | undefined,
    };
    const previous = context.previous;
    if (previous !== undefined && previous.attributes.ApiId === apiId) {
      try {
        await client.send(new UpdateRouteCommand({ ...input, RouteId: previous.physicalId }));
        return { physicalId: previous.physicalId, attributes: { ApiId: apiId } };
      } catch (error) {
        if (!NOT_FOUND.includes(errorName(error))) throw error;
      }
    }
    const created = await client.send(new CreateRouteCommand(input));
    return { physicalId: created.RouteId!, attributes: { ApiId: apiId } };
  },
  exists: (deployed, context) =>
    exists(
      () =>
        context.clients.apigateway.send(
          new GetRouteCommand({ ApiId: deployed.attributes.ApiId as string, RouteId: deployed.physicalId }),
        ),
      NOT_FOUND,
    ),
  async delete(deployed, context) {
    await context.clients.apigateway
      .send(new DeleteRouteCommand({ ApiId: deployed.attributes.ApiId as string, RouteId: deployed.physicalId }))
      .catch(() => undefined);
  },
};
