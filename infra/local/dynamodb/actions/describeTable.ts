import type { DynamoDBAction } from '../context.ts';
import { publicTable } from '../context.ts';

/** dynalite's DescribeTable; the stored record already carries StreamSpecification and LatestStreamArn/Label. */
export const describeTable: DynamoDBAction = async ({ engine, transitions }, input) => {
  const result = await engine.execute('DescribeTable', input);
  return { ...result, Table: transitions.describe(publicTable(result.Table) as Record<string, unknown>) };
};
