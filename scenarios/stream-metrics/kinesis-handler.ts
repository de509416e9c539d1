import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { requireEnv } from '../shared/env.ts';
import { describeError, log } from '../shared/log.ts';
import { applyOnce } from './metrics.ts';

const dynamodb = new DynamoDBClient({});

/** A click event as the app writes it to the stream: `{ "page": "/pricing", "clientId": "…" }`. */
export interface ClickEvent {
  readonly page: string;
  readonly clientId?: string;
}

/** The click in a Kinesis record (base64 JSON), or an explanation of why it is not one. */
export function parseClick(record: KinesisStreamRecord): ClickEvent | { readonly invalid: string } {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
  } catch {
    return { invalid: 'data is not JSON' };
  }
  if (typeof body !== 'object' || body === null) return { invalid: 'data is not a JSON object' };
  const { page, clientId } = body as Record<string, unknown>;
  if (typeof page !== 'string' || !page.startsWith('/') || page.length > 200) {
    return { invalid: `page must be a path starting with '/', got ${JSON.stringify(page)}` };
  }
  return { page, clientId: typeof clientId === 'string' ? clientId : undefined };
}

/**
 * The custom-app variant: an app writes click events to a Kinesis stream, Lambda polls its shards
 * and invokes this function with batches. Each click adds one to `page#<path>` in METRICS_TABLE.
 *
 * A record that can never be a click (a poison record) is logged and skipped, not failed: failing
 * it would block its shard until the record expires. Write failures stop the batch and are
 * reported in `batchItemFailures`, so Lambda retries from that record.
 */
export const handler = async (event: KinesisStreamEvent, _context: Context): Promise<KinesisStreamBatchResponse> => {
  const metricsTable = requireEnv('METRICS_TABLE');
  let applied = 0;
  let skipped = 0;

  for (const record of event.Records) {
    const click = parseClick(record);
    if ('invalid' in click) {
      skipped++;
      log('WARN', 'skipping record that is not a click', {
        reason: click.invalid,
        sequenceNumber: record.kinesis.sequenceNumber,
      });
      continue;
    }
    try {
      const outcome = await applyOnce(dynamodb, metricsTable, record.eventID, `page#${click.page}`, { clicks: 1 });
      if (outcome === 'applied') applied++;
    } catch (error) {
      log('ERROR', 'record failed; Lambda retries the batch from it', {
        sequenceNumber: record.kinesis.sequenceNumber,
        ...describeError(error),
      });
      return { batchItemFailures: [{ itemIdentifier: record.kinesis.sequenceNumber }] };
    }
  }

  log('INFO', 'batch aggregated', { records: event.Records.length, applied, skipped });
  return { batchItemFailures: [] };
};
