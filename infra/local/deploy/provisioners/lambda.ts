// AWS::Lambda::Function, ::Version, ::Alias, ::EventInvokeConfig, ::Permission and ::EventSourceMapping.
import { existsSync, statSync } from 'node:fs';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetAliasCommand,
  GetEventSourceMappingCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  RemovePermissionCommand,
  UpdateAliasCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { errorName, exists, type ProvisionContext, type Provisioner } from './types.ts';

/** The local Lambda takes code from a directory: `{ S3Bucket: '__local__', S3Key: '/abs/dir' }`. */
export const LOCAL_CODE_BUCKET = '__local__';

/** Maps the template's asset reference (`<hash>.zip` in the CDK assets bucket) to its cdk.out directory. */
export function codeDirectory(code: Record<string, unknown>, context: ProvisionContext): string {
  if (code.ZipFile !== undefined) {
    throw new Error('Inline code (Code.ZipFile) is not supported by the local deployer: use an asset directory.');
  }
  if (code.ImageUri !== undefined) throw new Error('Container images (Code.ImageUri) are not supported locally.');
  const key = String(code.S3Key);
  const directory = context.assets.get(key);
  if (directory === undefined || !existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new Error(
      `Code s3://${String(code.S3Bucket)}/${key} is not an asset directory of this cloud assembly (run 'npm run synth').`,
    );
  }
  return directory;
}

export const lambdaFunction: Provisioner = {
  async apply(properties, context) {
    const lambda = context.clients.lambda;
    const name = (properties.FunctionName as string | undefined) ?? context.physicalName({ maxLength: 64 });
    const directory = codeDirectory(properties.Code as Record<string, unknown>, context);
    const layers = (properties.Layers ?? []) as string[];
    if (layers.length > 0) {
      context.log(
        `Layers dropped locally (${layers.length}): the local runtime resolves native modules such as sharp from the project's node_modules`,
      );
    }
    const configuration = {
      FunctionName: name,
      Role: properties.Role as string,
      Handler: properties.Handler as string,
      Runtime: properties.Runtime as never,
      Description: properties.Description as string | undefined,
      Timeout: properties.Timeout as number | undefined,
      MemorySize: properties.MemorySize as number | undefined,
      Environment: properties.Environment as never,
      EphemeralStorage: properties.EphemeralStorage as never,
      TracingConfig: properties.TracingConfig as never,
      // CDK's `logGroup`: the function's lines go to that group instead of /aws/lambda/<name>.
      LoggingConfig: properties.LoggingConfig as never,
      // Passed on so the local Lambda refuses it by name (it has no SQS/SNS to deliver to) rather than dropping it.
      DeadLetterConfig: properties.DeadLetterConfig as never,
    };
    const previousDirectory = context.previous?.attributes.CodeDirectory;
    try {
      await lambda.send(
        new CreateFunctionCommand({
          ...configuration,
          Architectures: properties.Architectures as never,
          Code: { S3Bucket: LOCAL_CODE_BUCKET, S3Key: directory },
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceConflictException') throw error;
      await lambda.send(new UpdateFunctionConfigurationCommand(configuration));
      if (previousDirectory !== directory) {
        await lambda.send(
          new UpdateFunctionCodeCommand({ FunctionName: name, S3Bucket: LOCAL_CODE_BUCKET, S3Key: directory }),
        );
        context.log(`code updated in place from ${directory}`);
      }
    }
    // CDK's `reservedConcurrentExecutions` (0 throttles every invocation, as on AWS).
    const reserved = properties.ReservedConcurrentExecutions as number | undefined;
    if (reserved !== undefined) {
      await lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }),
      );
    } else if (context.previous?.attributes.ReservedConcurrentExecutions !== undefined) {
      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    }
    const current = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    return {
      physicalId: name,
      attributes: {
        Arn: current.FunctionArn,
        CodeDirectory: directory,
        ...(reserved !== undefined ? { ReservedConcurrentExecutions: reserved } : {}),
      },
    };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: deployed.physicalId })),
      ['ResourceNotFoundException'],
    ),
  async delete(deployed, context) {
    await context.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: deployed.physicalId }));
  },
};

/**
 * AWS::Lambda::Version → PublishVersion (CDK's `currentVersion`). Ref is the version's ARN;
 * GetAtt Version its number. Versions are kept when the resource goes (CDK retains them), so there is no delete.
 */
export const lambdaVersion: Provisioner = {
  async apply(properties, context) {
    const published = await context.clients.lambda.send(
      new PublishVersionCommand({
        FunctionName: properties.FunctionName as string,
        Description: properties.Description as string | undefined,
        CodeSha256: properties.CodeSha256 as string | undefined,
      }),
    );
    if (properties.ProvisionedConcurrencyConfig !== undefined) {
      context.log('ProvisionedConcurrencyConfig not modelled locally: every environment starts on demand');
    }
    return {
      physicalId: published.FunctionArn!,
      attributes: { Version: published.Version, FunctionArn: published.FunctionArn },
    };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: deployed.physicalId })),
      ['ResourceNotFoundException'],
    ),
};

/** CloudFormation's `[{FunctionVersion, FunctionWeight}]` as the API's `{ version: weight }`. */
function routingConfig(value: unknown): { AdditionalVersionWeights: Record<string, number> } | undefined {
  const weights = (
    value as { AdditionalVersionWeights?: { FunctionVersion: string; FunctionWeight: number }[] } | undefined
  )?.AdditionalVersionWeights;
  if (weights === undefined) return undefined;
  return { AdditionalVersionWeights: Object.fromEntries(weights.map((w) => [w.FunctionVersion, w.FunctionWeight])) };
}

/** AWS::Lambda::Alias → CreateAlias / UpdateAlias (CDK's `addAlias`, `new lambda.Alias`). Ref is the alias's ARN. */
export const lambdaAlias: Provisioner = {
  async apply(properties, context) {
    const lambda = context.clients.lambda;
    const input = {
      FunctionName: properties.FunctionName as string,
      Name: properties.Name as string,
      FunctionVersion: properties.FunctionVersion as string,
      Description: properties.Description as string | undefined,
      RoutingConfig: routingConfig(properties.RoutingConfig),
    };
    if (properties.ProvisionedConcurrencyConfig !== undefined) {
      context.log('ProvisionedConcurrencyConfig not modelled locally: every environment starts on demand');
    }
    let alias: { AliasArn?: string };
    try {
      alias = await lambda.send(new CreateAliasCommand(input));
    } catch (error) {
      if (errorName(error) !== 'ResourceConflictException') throw error;
      alias = await lambda.send(
        new UpdateAliasCommand({ ...input, RoutingConfig: input.RoutingConfig ?? { AdditionalVersionWeights: {} } }),
      );
    }
    return {
      physicalId: alias.AliasArn!,
      attributes: { AliasArn: alias.AliasArn, FunctionName: input.FunctionName, Name: input.Name },
    };
  },
  exists: (deployed, context) =>
    exists(
      () =>
        context.clients.lambda.send(
          new GetAliasCommand({
            FunctionName: deployed.attributes.FunctionName as string,
            Name: deployed.attributes.Name as string,
          }),
        ),
      ['ResourceNotFoundException'],
    ),
  async delete(deployed, context) {
    await context.clients.lambda.send(
      new DeleteAliasCommand({
        FunctionName: deployed.attributes.FunctionName as string,
        Name: deployed.attributes.Name as string,
      }),
    );
  },
};

/**
 * AWS::Lambda::EventInvokeConfig → PutFunctionEventInvokeConfig (CDK's `onSuccess`, `onFailure`,
 * `retryAttempts`, `maxEventAge` on a function or alias).
 */
export const lambdaEventInvokeConfig: Provisioner = {
  async apply(properties, context) {
    const functionName = properties.FunctionName as string;
    const qualifier = properties.Qualifier as string;
    await context.clients.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: functionName,
        Qualifier: qualifier,
        MaximumRetryAttempts: properties.MaximumRetryAttempts as number | undefined,
        MaximumEventAgeInSeconds: properties.MaximumEventAgeInSeconds as number | undefined,
        DestinationConfig: properties.DestinationConfig as never,
      }),
    );
    return {
      physicalId: `${functionName}:${qualifier}`,
      attributes: { FunctionName: functionName, Qualifier: qualifier },
    };
  },
  async delete(deployed, context) {
    await context.clients.lambda.send(
      new DeleteFunctionEventInvokeConfigCommand({
        FunctionName: deployed.attributes.FunctionName as string,
        Qualifier: deployed.attributes.Qualifier as string,
      }),
    );
  },
};

/** AWS::Lambda::Permission → AddPermission (a changed permission is removed and added again). */
export const lambdaPermission: Provisioner = {
  async apply(properties, context) {
    const lambda = context.clients.lambda;
    const statementId = context.physicalName({ maxLength: 100 });
    // A permission on an alias or version (`FunctionName: <alias ARN>`) becomes that qualifier's own statement.
    const functionName = properties.FunctionName as string;
    const previousFunction = context.previous?.attributes.FunctionName as string | undefined;
    if (previousFunction !== undefined) {
      await lambda
        .send(new RemovePermissionCommand({ FunctionName: previousFunction, StatementId: statementId }))
        .catch(() => undefined);
    }
    const add = () =>
      lambda.send(
        new AddPermissionCommand({
          FunctionName: functionName,
          StatementId: statementId,
          Action: properties.Action as string,
          Principal: properties.Principal as string,
          SourceArn: properties.SourceArn as string | undefined,
          SourceAccount: properties.SourceAccount as string | undefined,
          EventSourceToken: properties.EventSourceToken as string | undefined,
          FunctionUrlAuthType: properties.FunctionUrlAuthType as never,
          PrincipalOrgID: properties.PrincipalOrgID as string | undefined,
        }),
      );
    try {
      await add();
    } catch (error) {
      if (errorName(error) !== 'ResourceConflictException') throw error;
      await lambda.send(new RemovePermissionCommand({ FunctionName: functionName, StatementId: statementId }));
      await add();
    }
    return { physicalId: statementId, attributes: { FunctionName: functionName } };
  },
  async delete(deployed, context) {
    await context.clients.lambda
      .send(
        new RemovePermissionCommand({
          FunctionName: deployed.attributes.FunctionName as string,
          StatementId: deployed.physicalId,
        }),
      )
      .catch(() => undefined);
  },
};

const MAPPING_SETTINGS = [
  'BatchSize',
  'BisectBatchOnFunctionError',
  'DestinationConfig',
  'Enabled',
  'FilterCriteria',
  'FunctionResponseTypes',
  'MaximumBatchingWindowInSeconds',
  'MaximumRecordAgeInSeconds',
  'MaximumRetryAttempts',
  'ParallelizationFactor',
  'TumblingWindowInSeconds',
] as const;

/** AWS::Lambda::EventSourceMapping → Create/UpdateEventSourceMapping. */
export const lambdaEventSourceMapping: Provisioner = {
  async apply(properties, context) {
    const lambda = context.clients.lambda;
    const settings = Object.fromEntries(
      MAPPING_SETTINGS.filter((key) => properties[key] !== undefined).map((key) => [key, properties[key]]),
    );
    const previousId = context.previous?.physicalId;
    if (previousId !== undefined && context.previous?.attributes.EventSourceArn === properties.EventSourceArn) {
      try {
        await lambda.send(
          new UpdateEventSourceMappingCommand({
            UUID: previousId,
            FunctionName: properties.FunctionName as string,
            ...settings,
          }),
        );
        return { physicalId: previousId, attributes: { Id: previousId, EventSourceArn: properties.EventSourceArn } };
      } catch (error) {
        if (errorName(error) !== 'ResourceNotFoundException') throw error;
      }
    } else if (previousId !== undefined) {
      await lambda.send(new DeleteEventSourceMappingCommand({ UUID: previousId })).catch(() => undefined);
    }
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: properties.FunctionName as string,
        EventSourceArn: properties.EventSourceArn as string,
        StartingPosition: properties.StartingPosition as never,
        StartingPositionTimestamp: properties.StartingPositionTimestamp as never,
        ...settings,
      }),
    );
    return { physicalId: created.UUID!, attributes: { Id: created.UUID, EventSourceArn: properties.EventSourceArn } };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.lambda.send(new GetEventSourceMappingCommand({ UUID: deployed.physicalId })),
      ['ResourceNotFoundException'],
    ),
  async delete(deployed, context) {
    await context.clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID: deployed.physicalId }));
  },
};
