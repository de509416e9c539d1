import type { DynamoDBAction } from '../context.ts';
import type { DynaliteOperation, Item } from '../engine.ts';
import { DynamoDBError } from '../errors.ts';
import { validateInput } from '../validation.ts';

/**
 * PutItem, UpdateItem and DeleteItem run in dynalite (their stream records come from the engine's write hook).
 * Added here: ReturnValuesOnConditionCheckFailure=ALL_OLD puts the current item in the
 * ConditionalCheckFailedException (recorded: dynamodb-error-conditionalcheckfailed.json); dynalite ignores it.
 */
export function itemWrite(operation: DynaliteOperation & ('PutItem' | 'UpdateItem' | 'DeleteItem')): DynamoDBAction {
  return async ({ engine }, input) => {
    validateInput(input, {
      ReturnValuesOnConditionCheckFailure: { type: 'String', enum: ['ALL_OLD', 'NONE'] },
    });
    try {
      return await engine.execute(operation, input);
    } catch (error) {
      if (
        input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' &&
        error instanceof DynamoDBError &&
        error.code === 'ConditionalCheckFailedException'
      ) {
        const table = await engine.getTable(String(input.TableName));
        const key = (operation === 'PutItem' ? input.Item : input.Key) as Item;
        const item = table === undefined ? undefined : await engine.getItem(table, key);
        if (item !== undefined) {
          throw new DynamoDBError(error.code, error.message, { type: error.type, extra: { Item: item }, cause: error });
        }
      }
      throw error;
    }
  };
}
