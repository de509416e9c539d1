// What the workbook needs to know about each scenario, beyond its CDK construct: which stack
// holds it, which stack outputs name its resources, and which handler file a learner edits.
// Knows only AWS names (stack outputs), nothing of the local cloud.

/** Ids of the four scenarios (their folder names under `scenarios/`). */
export const SCENARIO_IDS = ['thumbnails', 'stream-metrics', 'web-backend', 'mobile-clicks'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

export interface ScenarioFunction {
  /** Stack output holding the deployed function's name. */
  readonly output: string;
  /** The handler's source file, relative to the scenario folder; its export `handler` is the entry point. */
  readonly source: string;
}

export interface ScenarioEntry {
  readonly id: ScenarioId;
  /** Stack name in the local cloud and in a single-learner sandbox (class mode prefixes it per learner). */
  readonly stack: string;
  /** The function a learner edits in the workbench, first; other functions of the scenario after it. */
  readonly functions: readonly [ScenarioFunction, ...ScenarioFunction[]];
  /** Stack outputs naming resources the workbench shows (buckets, tables, streams, APIs, pools). */
  readonly outputs: Readonly<Record<string, string>>;
  /**
   * How the workbench shows a table (by its output's role): its key attribute (items sorted by it,
   * its column first) and items that are bookkeeping rather than what the lesson is about (shown
   * folded under a count). @default the first attribute of the first item, nothing folded
   */
  readonly tables?: Readonly<Record<string, TablePresentation>>;
}

export interface TablePresentation {
  /** The partition key attribute. */
  readonly key: string;
  /** The attributes the lesson is about, in this order after the key (any others follow, by name). */
  readonly columns?: readonly string[];
  /** Items whose key starts with `prefix` are bookkeeping, named `noun` (singular, plural). */
  readonly bookkeeping?: { readonly prefix: string; readonly noun: readonly [string, string] };
}

export const SCENARIOS: Readonly<Record<ScenarioId, ScenarioEntry>> = {
  thumbnails: {
    id: 'thumbnails',
    stack: 'LambdaWorkbook-Thumbnails',
    functions: [{ output: 'ThumbnailFunctionName', source: 'handler.ts' }],
    outputs: {
      photosBucket: 'PhotosBucketName',
      thumbnailsBucket: 'ThumbnailsBucketName',
      logGroup: 'ThumbnailLogGroupName',
    },
  },
  'stream-metrics': {
    id: 'stream-metrics',
    stack: 'LambdaWorkbook-StreamMetrics',
    functions: [
      { output: 'MetricsFunctionName', source: 'handler.ts' },
      { output: 'ClickMetricsFunctionName', source: 'kinesis-handler.ts' },
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
  },
  'web-backend': {
    id: 'web-backend',
    stack: 'LambdaWorkbook-WebBackend',
    functions: [{ output: 'ApiFunctionName', source: 'handler.ts' }],
    outputs: { apiUrl: 'ApiUrl', itemsTable: 'ItemsTableName', logGroup: 'ApiLogGroupName' },
    tables: { itemsTable: { key: 'id' } },
  },
  'mobile-clicks': {
    id: 'mobile-clicks',
    stack: 'LambdaWorkbook-MobileClicks',
    functions: [{ output: 'ClicksFunctionName', source: 'handler.ts' }],
    outputs: {
      identityPool: 'IdentityPoolId',
      // The app assumes it with AssumeRoleWithWebIdentity (the basic flow).
      unauthenticatedRole: 'UnauthenticatedRoleArn',
      clicksTable: 'ClicksTableName',
      logGroup: 'ClicksLogGroupName',
    },
    tables: { clicksTable: { key: 'button' } },
  },
};

export const isScenarioId = (value: string): value is ScenarioId => (SCENARIO_IDS as readonly string[]).includes(value);
