// The configuration view in AWS mode with a learner's own, limited credentials: a local cloud
// stands in for the class sandbox and the workbook signs with a learner role's temporary
// credentials. For web-backend the role has less than the sandbox grants (run, inspect, redeploy:
// no configuration reads, no UpdateFunctionConfiguration), so the view says, in each section it
// may not read, which action was refused to which role, and a refused change says the same. For
// mobile-clicks it has what the sandbox grants the view (infra/cdk/constructs/workbook-function.ts
// and scenarios/mobile-clicks/infra.ts grantLearnerAccess), and the app's trigger and the missing
// resource-based policy read. Never a blank panel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientConfig } from '../../site/server/target.ts';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { openWorkbench } from '../helpers/workbench-page.ts';
import { type RunningWorkbook, startWorkbook } from '../helpers/workbook.ts';
import { cleanAwsEnv, freePort } from '../helpers/workbook-modes.ts';
import { type DeployedCloud, startDeployedCloud } from '../site/server/checks/cloud.ts';

const STACK = 'LambdaWorkbook-WebBackend';
const CLICKS = 'LambdaWorkbook-MobileClicks';
const ROLE = 'LambdaWorkbook-ada-Learner';
let dir: string;
let sandbox: DeployedCloud | undefined;
let workbook: RunningWorkbook | undefined;
let browser: TestBrowser | undefined;
let page: Page;

/** The learner's role, as the sandbox grants it for this scenario, and its temporary credentials. */
async function learnerCredentials(cloud: DeployedCloud) {
  const outputs = cloud.outputsFile.stacks[STACK] ?? {};
  const clicks = cloud.outputsFile.stacks[CLICKS] ?? {};
  const account = 'arn:aws:lambda:us-east-1:000000000000';
  const iam = new IAMClient(clientConfig(cloud.target));
  const sts = new STSClient(clientConfig(cloud.target));
  try {
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE,
        PolicyName: 'web-backend',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'lambda:InvokeFunction',
                'lambda:GetFunction',
                'lambda:GetFunctionConfiguration',
                'lambda:UpdateFunctionCode',
              ],
              Resource: `${account}:function:${outputs.ApiFunctionName}`,
            },
            {
              Effect: 'Allow',
              Action: ['logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
              Resource: `arn:aws:logs:us-east-1:000000000000:log-group:${outputs.ApiLogGroupName}:*`,
            },
            {
              Effect: 'Allow',
              Action: ['dynamodb:*'],
              Resource: `arn:aws:dynamodb:us-east-1:000000000000:table/${outputs.ItemsTableName}`,
            },
          ],
        }),
      }),
    );
    // mobile-clicks: what the sandbox's learner role is granted for it.
    const lambda = new LambdaClient(clientConfig(cloud.target));
    const clicksFunction = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: clicks.ClicksFunctionName }),
    );
    lambda.destroy();
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE,
        PolicyName: 'mobile-clicks',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'lambda:InvokeFunction',
                'lambda:GetFunction',
                'lambda:GetFunctionConfiguration',
                'lambda:GetPolicy',
                'lambda:UpdateFunctionCode',
              ],
              Resource: clicksFunction.FunctionArn,
            },
            {
              Effect: 'Allow',
              Action: ['iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
              Resource: clicksFunction.Role,
            },
            {
              Effect: 'Allow',
              Action: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
              Resource: clicks.UnauthenticatedRoleArn,
            },
          ],
        }),
      }),
    );
    const session = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: 'ada' }));
    return session.Credentials;
  } finally {
    iam.destroy();
    sts.destroy();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'workbook-config-aws-'));
  const port = await freePort();
  sandbox = await startDeployedCloud([STACK, CLICKS], [`http://127.0.0.1:${port}`]);
  const credentials = await learnerCredentials(sandbox);
  const outputs = join(dir, 'sandbox-outputs.json');
  writeFileSync(outputs, JSON.stringify(sandbox.outputsFile.stacks));
  workbook = await startWorkbook(
    ['--target', 'aws', '--stack-outputs', outputs, '--port', String(port)],
    cleanAwsEnv(dir, {
      AWS_ENDPOINT_URL: sandbox.cloud.endpoint,
      AWS_ACCESS_KEY_ID: credentials?.AccessKeyId ?? '',
      AWS_SECRET_ACCESS_KEY: credentials?.SecretAccessKey ?? '',
      AWS_SESSION_TOKEN: credentials?.SessionToken ?? '',
      AWS_REGION: 'us-east-1',
    }),
  );
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await workbook?.stop();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the configuration view with a learner’s credentials', () => {
  it('shows the settings GetFunction gives, and explains each refused look-up by action and role', async () => {
    await openWorkbench(page, workbook?.siteUrl ?? '', 'web-backend');
    await page.getByRole('tab', { name: 'Configuration' }).click();
    const panel = page.locator('.wb-config-panel');
    await panel.locator('[data-wb-config-save]').waitFor({ timeout: 30_000 });

    await expect(panel.getByLabel('Memory (MB)').inputValue()).resolves.toBe('256');
    await expect(panel.locator('[data-wb-reserved]').getAttribute('data-wb-reserved')).resolves.toBe('2');
    // (Refused ListEventSourceMappings is not one: the stack names no mapping to read instead.)
    await expect(panel.locator('[data-wb-denied="lambda:ListEventSourceMappings"]').count()).resolves.toBe(0);
    for (const action of ['apigateway:GET', 'iam:ListRolePolicies', 'lambda:GetPolicy']) {
      const denied = panel.locator(`[data-wb-denied="${action}"]`);
      await expect(denied.count(), action).resolves.toBe(1);
      const text = (await denied.textContent()) ?? '';
      expect(text).toMatch(
        new RegExp(
          `^Not allowed: The workbook's credentials \\(role ${ROLE} \\(session ada\\)\\) may not call ${action}`,
        ),
      );
      expect(text).toContain('your instructor can add it');
    }
  });

  it('answers a change with the refusal, naming lambda:UpdateFunctionConfiguration and the role', async () => {
    const panel = page.locator('.wb-config-panel');
    await panel.getByLabel('Memory (MB)').fill('512');
    await panel.locator('[data-wb-config-save]').click();
    const refusal = panel.locator('.wb-config__form .wb-error');
    await refusal.waitFor({ timeout: 30_000 });
    await expect(refusal.textContent()).resolves.toMatch(
      new RegExp(`role ${ROLE} \\(session ada\\)\\) may not call lambda:UpdateFunctionConfiguration`),
    );
    // Nothing changed on the function: the view still shows what runs.
    await panel.getByRole('button', { name: 'Refresh' }).click();
    // (Refresh asks Lambda again: a round trip, not expect.poll's default second.)
    await expect.poll(() => panel.getAttribute('data-wb-memory'), { timeout: 15_000 }).toBe('256');
  });

  it("mobile-clicks, with the sandbox's grants: the app's trigger and the absent resource policy read", async () => {
    await openWorkbench(page, workbook?.siteUrl ?? '', 'mobile-clicks');
    await page.getByRole('tab', { name: 'Configuration' }).click();
    const panel = page.locator('.wb-config-panel');
    await panel.locator('[data-wb-resource-policy] h4').waitFor({ timeout: 30_000 });
    await expect(panel.locator('[data-wb-denied]').count()).resolves.toBe(0);
    const trigger = (await panel.locator('[data-wb-trigger="identity-pool-invoke"]').textContent()) ?? '';
    expect(trigger).toContain('Direct Invoke by the mobile app');
    expect(trigger).toMatch(/Allowed by.*Allow lambda:InvokeFunction/);
    await expect(panel.locator('[data-wb-resource-policy]').textContent()).resolves.toContain('None.');
  });
});
