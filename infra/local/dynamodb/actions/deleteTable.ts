import type { DynamoDBAction } from '../context.ts';
import { publicTable } from '../context.ts';
import { validationError } from '../errors.ts';

/** dynalite's DeleteTable; honours DeletionProtectionEnabled and disables the table's stream (readable 24 h more). */
export const deleteTable: DynamoDBAction = async ({ engine, streams, transitions }, input) => {
  const data = engine.validate('DeleteTable', input);
  const name = String(data.TableName);
  const table = await engine.getTable(name);
  if (table?.DeletionProtectionEnabled === true) {
    throw validationError(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  }
  const result = await engine.run('DeleteTable', data);
  streams.disable(name);
  transitions.forget(name);
  return { ...result, TableDescription: publicTable(result.TableDescription) };
};
