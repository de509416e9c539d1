// AWS::DynamoDB::Table → CreateTable (with its stream). A redeploy keeps the table and its items.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { errorName, exists, type ProvisionContext, type Provisioner, waitFor } from './types.ts';

async function activeTable(name: string, context: ProvisionContext): Promise<TableDescription> {
  let table: TableDescription | undefined;
  await waitFor(async () => {
    table = (await context.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
    return table?.TableStatus === 'ACTIVE';
  }, `table ${name} to become ACTIVE`);
  return table!;
}

export const dynamodbTable: Provisioner = {
  async apply(properties, context) {
    const name = (properties.TableName as string | undefined) ?? context.physicalName({ maxLength: 255 });
    const stream = properties.StreamSpecification as { StreamViewType?: string } | undefined;
    const streamSpecification = stream?.StreamViewType
      ? { StreamEnabled: true, StreamViewType: stream.StreamViewType as never }
      : undefined;
    try {
      await context.clients.dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: properties.AttributeDefinitions as never,
          KeySchema: properties.KeySchema as never,
          BillingMode: properties.BillingMode as never,
          ProvisionedThroughput: properties.ProvisionedThroughput as never,
          GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes as never,
          LocalSecondaryIndexes: properties.LocalSecondaryIndexes as never,
          StreamSpecification: streamSpecification,
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ResourceInUseException') throw error;
      // Exists already: update the stream in place when it changed; keys cannot change in place.
      const current = await activeTable(name, context);
      const currentView = current.StreamSpecification?.StreamEnabled
        ? current.StreamSpecification.StreamViewType
        : undefined;
      if (currentView !== stream?.StreamViewType) {
        if (currentView !== undefined) {
          await context.clients.dynamodb.send(
            new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }),
          );
          await activeTable(name, context);
        }
        if (streamSpecification !== undefined) {
          await context.clients.dynamodb.send(
            new UpdateTableCommand({ TableName: name, StreamSpecification: streamSpecification }),
          );
        }
      }
    }
    const table = await activeTable(name, context);
    return {
      physicalId: name,
      attributes: {
        Arn: table.TableArn,
        ...(table.LatestStreamArn !== undefined ? { StreamArn: table.LatestStreamArn } : {}),
      },
    };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.dynamodb.send(new DescribeTableCommand({ TableName: deployed.physicalId })),
      ['ResourceNotFoundException'],
    ),
  async delete(deployed, context) {
    await context.clients.dynamodb.send(new DeleteTableCommand({ TableName: deployed.physicalId }));
  },
};
