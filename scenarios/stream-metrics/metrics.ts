import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * Marks an event as applied (a conditional put of `applied#<eventId>`), so a retried batch does
 * not count it twice. Returns false when the event was applied before.
 *
 * Lambda delivers stream records at least once: after a failure it retries the batch, records
 * that already succeeded included. Real DynamoDB could do mark-and-add in one TransactWriteItems
 * (at twice the write units); the local cloud's engine has no transactions, so the mark comes
 * first and is removed again when the metric update throws. A crash between the two writes
 * (timeout, out of memory) leaves the mark without the add: that change is never counted.
 */
export async function markApplied(client: DynamoDBClient, table: string, eventId: string): Promise<boolean> {
  try {
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { metric: { S: `applied#${eventId}` }, appliedAt: { S: new Date().toISOString() } },
        ConditionExpression: 'attribute_not_exists(metric)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Forgets an applied mark, so the retry of a failed record applies it. */
export async function unmarkApplied(client: DynamoDBClient, table: string, eventId: string): Promise<void> {
  await client.send(new DeleteItemCommand({ TableName: table, Key: { metric: { S: `applied#${eventId}` } } }));
}

/** Atomically adds `counters` to the metric item `metric` (UpdateItem ADD creates missing attributes at 0). */
export async function addToMetric(
  client: DynamoDBClient,
  table: string,
  metric: string,
  counters: Record<string, number>,
): Promise<void> {
  const entries = Object.entries(counters);
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, { N: string } | { S: string }> = { ':updatedAt': { S: new Date().toISOString() } };
  entries.forEach(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = { N: String(value) };
  });
  await client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: { metric: { S: metric } },
      UpdateExpression: `SET #updatedAt = :updatedAt ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

/** Applies a record's counters once: marks it, adds, and unmarks when the add fails. */
export async function applyOnce(
  client: DynamoDBClient,
  table: string,
  eventId: string,
  metric: string,
  counters: Record<string, number>,
): Promise<'applied' | 'duplicate'> {
  if (!(await markApplied(client, table, eventId))) return 'duplicate';
  try {
    await addToMetric(client, table, metric, counters);
  } catch (error) {
    await unmarkApplied(client, table, eventId).catch(() => undefined);
    throw error;
  }
  return 'applied';
}
