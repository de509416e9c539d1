import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { requireEnv } from '../shared/env.ts';
import { log } from '../shared/log.ts';
import { applyOnce } from './metrics.ts';

const dynamodb = new DynamoDBClient({});

/** The metric item every order change is added to. */
export const ORDERS_METRIC = 'orders';

/**
 * A number attribute of a stream image, or 0 when the image or the attribute is missing. An
 * attribute that is there but not a number (an old app version writes `total` as the string
 * "12,50") is bad data: counting it as 0 would silently corrupt revenue, so it throws.
 */
function numberOf(image: Record<string, AttributeValue> | undefined, name: string): number {
  const attribute = image?.[name];
  if (attribute === undefined) return 0;
  const value = Number(attribute.N);
  if (attribute.N === undefined || !Number.isFinite(value)) {
    throw new Error(`order ${image?.orderId?.S ?? '?'}: '${name}' is not a number: ${JSON.stringify(attribute)}`);
  }
  return value;
}

/**
 * The counters one order change adds: one to its event type, and the change in revenue
 * (an order's `total`). With NEW_AND_OLD_IMAGES a MODIFY carries both sides.
 */
export function countersFor(record: DynamoDBRecord): Record<string, number> {
  const { NewImage, OldImage } = record.dynamodb ?? {};
  switch (record.eventName) {
    case 'INSERT':
      return { INSERT: 1, revenue: numberOf(NewImage, 'total') };
    case 'MODIFY':
      return { MODIFY: 1, revenue: numberOf(NewImage, 'total') - numberOf(OldImage, 'total') };
    case 'REMOVE':
      return { REMOVE: 1, revenue: -numberOf(OldImage, 'total') };
    default:
      throw new Error(`unknown stream eventName '${record.eventName}'`);
  }
}

/**
 * Lambda's event source mapping polls the orders table's stream and invokes this function with a
 * batch of changes; it adds each change to the `orders` item of METRICS_TABLE.
 *
 * Any error fails the whole batch. Records counted before are not counted twice when Lambda
 * retries it: each event id is applied once (see metrics.ts).
 */
export const handler = async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const metricsTable = requireEnv('METRICS_TABLE');
  let applied = 0;
  let duplicates = 0;

  for (const record of event.Records) {
    // The sequence number is what Lambda expects back as itemIdentifier for DynamoDB streams.
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    const outcome = await applyOnce(
      dynamodb,
      metricsTable,
      record.eventID ?? sequenceNumber,
      ORDERS_METRIC,
      countersFor(record),
    );
    if (outcome === 'applied') applied++;
    else duplicates++;
  }

  log('INFO', 'batch aggregated', { records: event.Records.length, applied, duplicates });
  return { batchItemFailures: [] };
};
