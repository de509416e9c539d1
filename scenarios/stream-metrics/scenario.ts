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
  defaultEvent: 'orders-insert-modify-remove',
  trigger: { kind: 'table-writes', table: 'ordersTable' },
} as const satisfies ScenarioManifest<'stream-metrics'>;
