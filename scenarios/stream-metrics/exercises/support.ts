// Helpers the stream-metrics exercises' checks share: reading the `orders` metric, and stream
// records shaped as the orders table's stream sends them. Runs in the checker, never deployed.
import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { CheckContext } from '../../../site/server/checks/types.ts';

/** The metric item every order change is added to (see the handler's ORDERS_METRIC). */
export const METRIC = 'orders';

/** The counters the metrics table holds for the orders metric. */
export type Counters = { INSERT: number; MODIFY: number; REMOVE: number; revenue: number };

/** The orders metric now (absent counters as 0). */
export async function readMetric(ctx: CheckContext): Promise<Counters> {
  const { Item } = await ctx.clients.dynamodb.send(
    new GetItemCommand({ TableName: ctx.resources.metricsTable, Key: { metric: { S: METRIC } }, ConsistentRead: true }),
  );
  const n = (name: string) => Number(Item?.[name]?.N ?? 0);
  return { INSERT: n('INSERT'), MODIFY: n('MODIFY'), REMOVE: n('REMOVE'), revenue: n('revenue') };
}

/** `after - before`, counter by counter, revenue rounded to cents. */
export function change(before: Counters, after: Counters): Counters {
  return {
    INSERT: after.INSERT - before.INSERT,
    MODIFY: after.MODIFY - before.MODIFY,
    REMOVE: after.REMOVE - before.REMOVE,
    revenue: Math.round((after.revenue - before.revenue) * 100) / 100,
  };
}

export const sameChange = (a: Counters, b: Counters): boolean =>
  a.INSERT === b.INSERT && a.MODIFY === b.MODIFY && a.REMOVE === b.REMOVE && a.revenue === b.revenue;

type Image = Record<string, { S: string } | { N: string }>;

export interface RecordSpec {
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly orderId: string;
  /** `total` of the old image (MODIFY, REMOVE). */
  readonly oldTotal?: number | string;
  /** `total` of the new image (INSERT, MODIFY); a string is written as a DynamoDB string (a bad order). */
  readonly newTotal?: number | string;
}

let sequence = 0;

/** Stream records for `specs`, each with a fresh eventID and increasing sequence numbers. */
export function streamRecords(ctx: CheckContext, specs: readonly RecordSpec[]): Record<string, unknown>[] {
  const sample = ctx.events['orders-insert-modify-remove'] as { Records: Record<string, unknown>[] };
  const template = sample.Records[0] as Record<string, unknown>;
  const image = (orderId: string, total: number | string): Image => ({
    orderId: { S: orderId },
    total: typeof total === 'number' ? { N: String(total) } : { S: total },
    status: { S: 'placed' },
  });
  return specs.map((spec) => {
    sequence += 1;
    const base = BigInt(Date.now()) * 1000n + BigInt(sequence);
    return {
      ...template,
      eventID: `${ctx.runId}${base.toString(16)}`,
      eventName: spec.eventName,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: { orderId: { S: spec.orderId } },
        ...(spec.newTotal !== undefined ? { NewImage: image(spec.orderId, spec.newTotal) } : {}),
        ...(spec.oldTotal !== undefined ? { OldImage: image(spec.orderId, spec.oldTotal) } : {}),
        SequenceNumber: `9${base.toString().padStart(23, '0')}`,
        SizeBytes: 84,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  });
}

/** The `applied#…` marks an idempotent handler may write for these records (removed after a check). */
export async function removeMarks(ctx: CheckContext, records: readonly Record<string, unknown>[]): Promise<void> {
  for (const record of records) {
    await ctx.clients.dynamodb
      .send(
        new DeleteItemCommand({
          TableName: ctx.resources.metricsTable,
          Key: { metric: { S: `applied#${String(record.eventID)}` } },
        }),
      )
      .catch(() => undefined);
  }
}

/** Describes a change for a learner: `INSERT +1, MODIFY +0, REMOVE +0, revenue +42.5`. */
export const describeChange = (c: Counters): string =>
  `INSERT ${sign(c.INSERT)}, MODIFY ${sign(c.MODIFY)}, REMOVE ${sign(c.REMOVE)}, revenue ${sign(c.revenue)}`;

const sign = (n: number) => (n >= 0 ? `+${n}` : String(n));
