import type { DynamoDBAction } from '../context.ts';
import { publicTable } from '../context.ts';
import type { TableRecord } from '../engine.ts';
import { DynamoDBError, validationError } from '../errors.ts';
import { STREAM_SPECIFICATION, validateInput } from '../validation.ts';

interface StreamSpecificationInput {
  readonly StreamEnabled: boolean;
  readonly StreamViewType?: string;
}

/** dynalite's CreateTable plus StreamSpecification (which dynalite does not know) and DeletionProtectionEnabled. */
export const createTable: DynamoDBAction = async ({ engine, streams, region }, input) => {
  validateInput(input, {
    StreamSpecification: STREAM_SPECIFICATION,
    DeletionProtectionEnabled: { type: 'Boolean' },
  });
  const data = engine.validate('CreateTable', input) as unknown as TableRecord;
  const spec = input.StreamSpecification as StreamSpecificationInput | undefined;
  // Messages as DynamoDB answers them (ack-api-quirks' catalogue of live CreateTable errors).
  if (spec?.StreamEnabled === true && spec.StreamViewType === undefined) {
    throw validationError(
      'One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required',
    );
  }
  if (spec?.StreamEnabled === false && spec.StreamViewType !== undefined) {
    throw validationError(
      'One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified',
    );
  }
  data.DeletionProtectionEnabled = input.DeletionProtectionEnabled === true;
  if (spec?.StreamEnabled === true) {
    const { arn, label } = streams.newIdentity(data.TableName);
    data.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.StreamViewType! };
    data.LatestStreamArn = arn;
    data.LatestStreamLabel = label;
    data.LocalCloudStreamViewType = spec.StreamViewType;
  }
  const tags = Array.isArray(input.Tags) && input.Tags.length > 0 ? input.Tags : undefined;
  const tagTarget = { ResourceArn: `arn:aws:dynamodb:${region}:000000000000:table/${data.TableName}`, Tags: tags };
  if (tags !== undefined) engine.validate('TagResource', tagTarget);
  let result: Record<string, unknown>;
  try {
    result = await engine.run('CreateTable', data as unknown as Record<string, unknown>);
  } catch (error) {
    // dynalite leaves this message empty (recorded: dynamodb-error-resourceinuse-table-exists.json).
    if (error instanceof DynamoDBError && error.code === 'ResourceInUseException' && error.message === '') {
      throw new DynamoDBError('ResourceInUseException', `Table already exists: ${data.TableName}`);
    }
    throw error;
  }
  if (spec?.StreamEnabled === true) streams.open(data);
  // dynalite keeps no tags given at creation: they go through its TagResource, as on AWS they are the table's.
  if (tags !== undefined) await engine.execute('TagResource', tagTarget);
  return { ...result, TableDescription: publicTable(result.TableDescription) };
};
