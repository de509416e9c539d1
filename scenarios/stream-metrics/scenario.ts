import type { ScenarioManifest } from '../manifest.ts';

export const scenario = {
  id: 'stream-metrics',
  stackPart: 'StreamMetrics',
  functions: [
    { output: 'MetricsFunctionName', source: 'handler.ts', title: 'Metrics function' },
    { output: 'ClickMetricsFunctionName', source: 'kinesis-handler.ts', title: 'Click metrics function' },
  ],
  outputs: {
    ordersTable: 'OrdersTableName',
    metricsTable: 'MetricsTableName',
    failuresBucket: 'FailuresBucketName',
    clickStream: 'ClickStreamName',
    logGroup: 'MetricsLogGroupName',
  },
  tables: {
    ordersTable: { key: 'orderId' },
    // metrics.ts marks each applied stream record `applied#<eventId>` (the idempotency lesson).
    metricsTable: {
      key: 'metric',
      columns: ['INSERT', 'MODIFY', 'REMOVE', 'revenue', 'clicks'],
      bookkeeping: { prefix: 'applied#', noun: ['idempotency mark', 'idempotency marks'] },
    },
  },
  defaultEvent: 'orders-insert-modify-remove',
  trigger: { kind: 'table-writes', table: 'ordersTable' },
} as const satisfies ScenarioManifest<'stream-metrics'>;
