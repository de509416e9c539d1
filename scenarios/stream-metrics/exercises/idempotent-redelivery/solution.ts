import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { requireEnv } from '../shared/env.ts';
import { describeError, log } from '../shared/log.ts';
import { applyOnce } from './metrics.ts';

const dynamodb = new DynamoDBClient({});

/** The metric item every order change is added to. */
export const ORDERS_METRIC = 'orders';

/** A number attribute of a stream image, or 0 when it is missing or not a number. */
function numberOf(image: Record<string, AttributeValue> | undefined, name: string): number {
  const value = Number(image?.[name]?.N);
  return Number.isFinite(value) ? value : 0;
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
 * Records of one item arrive in order, so processing stops at the first failure and reports it
 * in `batchItemFailures`: Lambda retries from that record, and the records after it are not
 * counted now (they will be on the retry). Records counted before are not counted twice: each
 * event id is applied once (see metrics.ts).
 */
export const handler = async (event: DynamoDBStreamEvent, _context: Context): Promise<DynamoDBBatchResponse> => {
  const metricsTable = requireEnv('METRICS_TABLE');
  let applied = 0;
  let duplicates = 0;

  for (const record of event.Records) {
    // The sequence number is what Lambda expects back as itemIdentifier for DynamoDB streams.
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      const outcome = await applyOnce(
        dynamodb,
        metricsTable,
        record.eventID ?? sequenceNumber,
        ORDERS_METRIC,
        countersFor(record),
      );
      if (outcome === 'applied') applied++;
      else duplicates++;
    } catch (error) {
      log('ERROR', 'record failed; Lambda retries the batch from it', {
        eventID: record.eventID,
        sequenceNumber,
        ...describeError(error),
      });
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    }
  }

  log('INFO', 'batch aggregated', { records: event.Records.length, applied, duplicates });
  return { batchItemFailures: [] };
};
