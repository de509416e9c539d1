import type { ScenarioManifest } from '../manifest.ts';

export const scenario = {
  id: 'web-backend',
  stackPart: 'WebBackend',
  functions: [{ output: 'ApiFunctionName', source: 'handler.ts', title: 'API function' }],
  outputs: { apiUrl: 'ApiUrl', itemsTable: 'ItemsTableName', logGroup: 'ApiLogGroupName' },
  tables: { itemsTable: { key: 'id' } },
  defaultEvent: 'get-items',
  trigger: { kind: 'http', table: 'itemsTable' },
} as const satisfies ScenarioManifest<'web-backend'>;
