import type { DynamoDBAction } from '../context.ts';
import { STREAM_ARN, TABLE_NAME, validateInput } from '../validation.ts';

/** DynamoDB Streams ListStreams: every stream (enabled, or disabled and still retained), optionally of one table. */
export const listStreams: DynamoDBAction = async ({ streams }, input) => {
  validateInput(input, {
    TableName: TABLE_NAME,
    Limit: { type: 'Integer', min: 1, max: 100 },
    ExclusiveStartStreamArn: STREAM_ARN,
  });
  const all = streams.list(input.TableName as string | undefined);
  const after = input.ExclusiveStartStreamArn as string | undefined;
  const start = after === undefined ? 0 : all.findIndex((stream) => stream.arn === after) + 1;
  const limit = (input.Limit as number | undefined) ?? 100;
  const page = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return {
    Streams: page.map((stream) => ({ StreamArn: stream.arn, TableName: stream.tableName, StreamLabel: stream.label })),
    ...(more ? { LastEvaluatedStreamArn: page.at(-1)!.arn } : {}),
  };
};
