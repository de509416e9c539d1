import type { ScenarioManifest } from '../manifest.ts';

export const scenario = {
  id: 'mobile-clicks',
  stackPart: 'MobileClicks',
  functions: [{ output: 'ClicksFunctionName', source: 'handler.ts', title: 'Clicks function' }],
  outputs: {
    identityPool: 'IdentityPoolId',
    // The app assumes it with AssumeRoleWithWebIdentity (the basic flow).
    unauthenticatedRole: 'UnauthenticatedRoleArn',
    clicksTable: 'ClicksTableName',
    logGroup: 'ClicksLogGroupName',
  },
  tables: { clicksTable: { key: 'button' } },
  defaultEvent: 'click',
  trigger: { kind: 'app', table: 'clicksTable' },
} as const satisfies ScenarioManifest<'mobile-clicks'>;
