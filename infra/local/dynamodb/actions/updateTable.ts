import type { DynamoDBAction } from '../context.ts';
import { publicTable, tableNotFound } from '../context.ts';
import { DynamoDBError, validationError } from '../errors.ts';
import { STREAM_SPECIFICATION, validateInput } from '../validation.ts';

interface StreamSpecificationInput {
  readonly StreamEnabled: boolean;
  readonly StreamViewType?: string;
}

/** Members dynalite's UpdateTable acts on. */
const DYNALITE_MEMBERS = ['ProvisionedThroughput', 'BillingMode', 'GlobalSecondaryIndexUpdates', 'SSESpecification'];

/**
 * UpdateTable: StreamSpecification and DeletionProtectionEnabled here, the rest by dynalite. Stream rules and
 * messages as DynamoDB answers them (ack-api-quirks DDB-TABLE-050): a view type cannot change in place, disabling
 * takes no view type, a disabled stream leaves LatestStreamArn/Label but no StreamSpecification, and every
 * re-enable creates a new stream ARN. The change is applied at once, and the table then answers UPDATING for a
 * short window (as AWS does for seconds), during which another UpdateTable is refused as AWS refuses it.
 */
export const updateTable: DynamoDBAction = async ({ engine, streams, transitions }, input) => {
  validateInput(input, {
    StreamSpecification: STREAM_SPECIFICATION,
    DeletionProtectionEnabled: { type: 'Boolean' },
  });
  const spec = input.StreamSpecification as StreamSpecificationInput | undefined;
  const protection = input.DeletionProtectionEnabled as boolean | undefined;
  const forDynalite = DYNALITE_MEMBERS.some((name) => {
    const value = input[name];
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  });
  // dynalite insists on one of its own members; ours count too.
  const data = engine.validate('UpdateTable', input, {
    custom: forDynalite || (spec === undefined && protection === undefined),
  });
  const name = String(data.TableName);
  // dynalite validates index creation and deletion, then leaves the indexes as they were.
  const indexUpdates = Array.isArray(input.GlobalSecondaryIndexUpdates) ? input.GlobalSecondaryIndexUpdates : [];
  for (const update of indexUpdates as Record<string, unknown>[]) {
    for (const kind of ['Create', 'Delete'] as const) {
      if (update?.[kind] != null) {
        throw validationError(
          `The local cloud does not support GlobalSecondaryIndexUpdates.${kind} in UpdateTable (indexes are set by CreateTable).`,
        );
      }
    }
  }
  if (transitions.isUpdating(name)) {
    // Recorded in public issue reports of DynamoDB's answer while a table is UPDATING.
    throw new DynamoDBError(
      'ResourceInUseException',
      `Attempt to change a resource which is still in use: Table is being updated: ${name}`,
    );
  }

  if (spec !== undefined) {
    if (spec.StreamEnabled && spec.StreamViewType === undefined) {
      throw validationError(
        'One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required',
      );
    }
    if (!spec.StreamEnabled && spec.StreamViewType !== undefined) {
      throw validationError(
        'One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be specified',
      );
    }
    if (input.ProvisionedThroughput != null) {
      throw validationError(
        'One or more parameter values were invalid: You cannot modify stream status while updating table IOPS',
      );
    }
    if (Array.isArray(input.GlobalSecondaryIndexUpdates) && input.GlobalSecondaryIndexUpdates.length > 0) {
      throw validationError(
        'One or more parameter values were invalid: You cannot create or delete index while changing stream status',
      );
    }
  }

  let description: unknown;
  if (spec !== undefined || protection !== undefined) {
    // Applied before dynalite's part: dynalite re-reads the record under the same lock and keeps these members.
    description = await engine.updateTableRecord(name, (table) => {
      if (table === undefined) throw tableNotFound(name);
      if (spec?.StreamEnabled === true) {
        if (table.StreamSpecification?.StreamEnabled) {
          throw validationError(`Table already has an enabled stream: TableName: ${name}`);
        }
        const { arn, label } = streams.newIdentity(name);
        table.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.StreamViewType! };
        table.LatestStreamArn = arn;
        table.LatestStreamLabel = label;
        table.LocalCloudStreamViewType = spec.StreamViewType;
        streams.open(table);
      } else if (spec?.StreamEnabled === false) {
        if (!table.StreamSpecification?.StreamEnabled) {
          throw validationError(`Table has no stream to disable: TableName: ${name}`);
        }
        delete table.StreamSpecification;
        streams.disable(name);
      }
      if (protection !== undefined) table.DeletionProtectionEnabled = protection;
      return publicTable(table);
    });
  }
  if (forDynalite) {
    const result = await engine.run('UpdateTable', data);
    description = publicTable(result.TableDescription);
  }
  transitions.startUpdate(name);
  return { TableDescription: transitions.describe(description as Record<string, unknown>) };
};
