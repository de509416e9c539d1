// The configuration view's server side against a local cloud with the scenario stacks deployed:
// what it reads (configuration, triggers of every kind, the execution role's policies), what the
// routes change (and that the next invocation runs with it), AWS's own refusals passed on, and an
// AccessDenied explained with the action and the role when the credentials are a learner's.
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigUpdateProgress, FunctionConfigView } from '../../../site/lib/function-config.ts';
import { parseReportLine } from '../../../site/lib/report.ts';
import { NDJSON, TOKEN_HEADER } from '../../../site/lib/workbench-api.ts';
import { GET, POST } from '../../../site/pages/api/scenarios/[scenario]/configuration.ts';
import { deployEdit } from '../../../site/server/deploy-edit.ts';
import { allowsInvoke, describePrincipal, readFunctionConfig } from '../../../site/server/function-config.ts';
import { decodeLogResult } from '../../../site/server/report.ts';
import { setWorkbenchRuntime } from '../../../site/server/runtime.ts';
import { clientConfig, type Target } from '../../../site/server/target.ts';
import { PROJECT_ROOT } from '../../infra/local/deploy/assembly.ts';
import { type DeployedCloud, startDeployedCloud } from './checks/cloud.ts';

const root = PROJECT_ROOT;
let deployed: DeployedCloud;
let target: Target;

beforeAll(async () => {
  deployed = await startDeployedCloud([
    'LambdaWorkbook-Thumbnails',
    'LambdaWorkbook-StreamMetrics',
    'LambdaWorkbook-WebBackend',
    'LambdaWorkbook-MobileClicks',
  ]);
  target = deployed.target;
  setWorkbenchRuntime({ token: 'test-token', root, target: () => target });
}, 300_000);

afterAll(async () => {
  setWorkbenchRuntime(undefined);
  await deployed?.close();
});

const output = (stack: string, key: string) => deployed.outputsFile.stacks[stack]?.[key] ?? '';

/** Calls the route's GET as the page does (the middleware's guard is tested in request-guard.test.ts). */
async function getConfig(scenario: string, functionIndex?: number): Promise<Response> {
  const query = functionIndex === undefined ? '' : `?functionIndex=${functionIndex}`;
  const url = new URL(`http://127.0.0.1/api/scenarios/${scenario}/configuration${query}`);
  const request = new Request(url, { headers: { [TOKEN_HEADER]: 'test-token' } });
  return GET({ params: { scenario }, request, url } as unknown as Parameters<typeof GET>[0]) as Promise<Response>;
}

/** Calls the route's POST with a JSON body, as NDJSON (the page) or plain JSON. */
async function postConfig(scenario: string, body: unknown, accept = 'application/json'): Promise<Response> {
  const url = new URL(`http://127.0.0.1/api/scenarios/${scenario}/configuration`);
  const request = new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, [TOKEN_HEADER]: 'test-token' },
    body: JSON.stringify(body),
  });
  return POST({ params: { scenario }, request, url } as unknown as Parameters<typeof POST>[0]) as Promise<Response>;
}

async function invokeReport(functionName: string, event: unknown = {}) {
  const lambda = new LambdaClient(clientConfig(target));
  try {
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, LogType: 'Tail', Payload: Buffer.from(JSON.stringify(event)) }),
    );
    const log = decodeLogResult(answer.LogResult);
    const report = log.split('\n').find((line) => line.startsWith('REPORT'));
    return {
      payload: JSON.parse(Buffer.from(answer.Payload ?? new Uint8Array()).toString('utf8') || 'null') as unknown,
      functionError: answer.FunctionError,
      report: report ? parseReportLine(report) : undefined,
    };
  } finally {
    lambda.destroy();
  }
}

describe('readFunctionConfig', () => {
  it('shows the thumbnail function’s settings, its S3 notification and its role’s policies', async () => {
    const view = await readFunctionConfig({ target, scenario: 'thumbnails' });

    expect(view).toMatchObject({
      functionName: output('LambdaWorkbook-Thumbnails', 'ThumbnailFunctionName'),
      memorySize: expect.any(Number),
      timeout: expect.any(Number),
      reservedConcurrency: 2,
      lastUpdateStatus: 'Successful',
    });
    expect(view.environment.THUMBNAIL_BUCKET).toBe(output('LambdaWorkbook-Thumbnails', 'ThumbnailsBucketName'));
    expect(view.triggers.unreadable).toEqual([]);
    const notifications = view.triggers.found.filter((trigger) => trigger.kind === 's3-notification');
    expect(notifications.length).toBeGreaterThan(0);
    for (const notification of notifications) {
      expect(notification).toMatchObject({
        bucket: output('LambdaWorkbook-Thumbnails', 'PhotosBucketName'),
        events: ['s3:ObjectCreated:*'],
      });
    }
    // The filters the CDK construct set (one notification per suffix).
    expect(notifications.flatMap((n) => (n.kind === 's3-notification' ? n.filters : []))).toContainEqual({
      name: 'suffix',
      value: '.jpg',
    });
    expect(view.role.ok).toBe(true);
    if (!view.role.ok) return;
    expect(view.role.value.arn).toBe(view.roleArn);
    const actions = JSON.stringify(view.role.value.policies.map((policy) => policy.document));
    expect(actions).toContain('s3:PutObject');
    expect(actions).toContain('logs:PutLogEvents');
  });

  it('shows the stream functions’ event source mappings with their settings', async () => {
    const orders = await readFunctionConfig({ target, scenario: 'stream-metrics', functionIndex: 0 });
    const clicks = await readFunctionConfig({ target, scenario: 'stream-metrics', functionIndex: 1 });

    expect(orders.functionName).toBe(output('LambdaWorkbook-StreamMetrics', 'MetricsFunctionName'));
    expect(orders.triggers.found).toEqual([
      expect.objectContaining({
        kind: 'event-source-mapping',
        eventSourceArn: expect.stringContaining(':dynamodb:'),
        state: 'Enabled',
        batchSize: expect.any(Number),
        startingPosition: expect.any(String),
      }),
    ]);
    expect(clicks.functionName).toBe(output('LambdaWorkbook-StreamMetrics', 'ClickMetricsFunctionName'));
    expect(clicks.triggers.found).toEqual([
      expect.objectContaining({ kind: 'event-source-mapping', eventSourceArn: expect.stringContaining(':kinesis:') }),
    ]);
  });

  it('shows the web backend’s HTTP API routes', async () => {
    const view = await readFunctionConfig({ target, scenario: 'web-backend' });

    const routes = view.triggers.found.map((trigger) => (trigger.kind === 'http-route' ? trigger.routeKey : ''));
    expect(routes).toContain('GET /items');
    expect(routes).toContain('POST /items');
    expect(view.triggers.found[0]).toMatchObject({ kind: 'http-route', payloadFormatVersion: '2.0' });
  });

  it("shows each function's resource-based policy: S3 for the photos bucket, API Gateway for the API", async () => {
    const thumbnails = await readFunctionConfig({ target, scenario: 'thumbnails' });
    const web = await readFunctionConfig({ target, scenario: 'web-backend' });
    const statements = (view: typeof web) =>
      view.resourcePolicy.ok && view.resourcePolicy.value
        ? ((view.resourcePolicy.value.document as { Statement: Record<string, unknown>[] }).Statement ?? [])
        : [];
    expect(statements(thumbnails)).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Condition: expect.objectContaining({
          ArnLike: { 'AWS:SourceArn': `arn:aws:s3:::${output('LambdaWorkbook-Thumbnails', 'PhotosBucketName')}` },
        }),
      }),
    );
    const api = new URL(output('LambdaWorkbook-WebBackend', 'ApiUrl')).hostname.split('.')[0];
    const apiStatements = statements(web);
    expect(apiStatements.length).toBeGreaterThan(0);
    for (const statement of apiStatements) {
      expect(statement.Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
      expect(JSON.stringify(statement.Condition)).toContain(`:execute-api:us-east-1:000000000000:${api}/`);
    }
  });

  it('shows the clicks function’s trigger: a direct invoke by the identity pool’s guests, and no resource policy', async () => {
    const view = await readFunctionConfig({ target, scenario: 'mobile-clicks' });
    expect(view.triggers.unreadable).toEqual([]);
    expect(view.triggers.found).toEqual([
      expect.objectContaining({
        kind: 'identity-pool-invoke',
        roleArn: output('LambdaWorkbook-MobileClicks', 'UnauthenticatedRoleArn'),
        identityPoolId: output('LambdaWorkbook-MobileClicks', 'IdentityPoolId'),
        invocationType: 'RequestResponse',
        statements: [
          expect.objectContaining({
            statement: expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: view.functionArn }),
          }),
        ],
      }),
    ]);
    expect(view.resourcePolicy).toEqual({ ok: true, value: null });
  });
});

describe('the configuration route', () => {
  const functionName = () => output('LambdaWorkbook-WebBackend', 'ApiFunctionName');

  it('answers the view, and 400 for a functionIndex the scenario does not have', async () => {
    const ok = await getConfig('web-backend');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as FunctionConfigView).functionName).toBe(functionName());

    const bad = await getConfig('web-backend', 3);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'BadRequest', message: expect.stringContaining('functionIndex') });
  });

  it('changes memory, timeout and variables, streams LastUpdateStatus, and the next invocation runs with them', async () => {
    // Arrange: a handler that answers the variable the learner sets
    await deployEdit({
      target,
      root,
      scenario: 'web-backend',
      source: 'export const handler = async () => ({ greeting: process.env.GREETING ?? null });',
    });
    const before = (await (await getConfig('web-backend')).json()) as FunctionConfigView;

    // Act
    const response = await postConfig(
      'web-backend',
      { memorySize: 384, timeout: 7, environment: { ...before.environment, GREETING: 'hello from the config view' } },
      NDJSON,
    );

    // Assert: progress, then the new view
    expect(response.headers.get('content-type')).toContain(NDJSON);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ConfigUpdateProgress);
    expect(lines[0]).toMatchObject({ kind: 'status', lastUpdateStatus: expect.any(String) });
    const last = lines.at(-1);
    expect(last?.kind).toBe('done');
    if (last?.kind !== 'done') return;
    expect(last.view).toMatchObject({ memorySize: 384, timeout: 7, lastUpdateStatus: 'Successful' });
    expect(last.view.environment.GREETING).toBe('hello from the config view');
    const run = await invokeReport(functionName());
    expect(run.payload).toEqual({ greeting: 'hello from the config view' });
    expect(run.report?.memorySizeMb).toBe(384);
  });

  it.each([
    [
      'memory below 128 MB',
      { memorySize: 64 },
      'ValidationException',
      /Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/,
    ],
    [
      'a timeout over 900 s',
      { timeout: 901 },
      'ValidationException',
      /Member must have value less than or equal to 900/,
    ],
    [
      'variables over 4 KB',
      { environment: { BIG: 'x'.repeat(4100) } },
      'InvalidParameterValueException',
      /exceeded the 4KB limit/,
    ],
    [
      'a reserved variable',
      { environment: { AWS_REGION: 'mars-1' } },
      'InvalidParameterValueException',
      /Reserved keys used in this request: AWS_REGION/,
    ],
  ])('passes on Lambda’s refusal of %s with AWS’s error', async (_case, body, code, message) => {
    const response = await postConfig('web-backend', body);

    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: string; message: string; awsCode: string; awsMessage: string };
    expect(error.error).toBe(code);
    expect(error.awsCode).toBe(code);
    expect(error.awsMessage).toMatch(message);
    expect(error.message).toMatch(message);
  });

  it('refuses a body that is not a change before asking Lambda', async () => {
    expect((await postConfig('web-backend', {})).status).toBe(400);
    const typed = await postConfig('web-backend', { memorySize: '512' });
    expect(typed.status).toBe(400);
    expect(await typed.json()).toMatchObject({ message: "'memorySize' must be a number (MB)." });
  });

  it('reports an NDJSON error line for a refusal once the stream has started', async () => {
    const response = await postConfig('web-backend', { timeout: 0 }, NDJSON);
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ConfigUpdateProgress);
    expect(lines).toEqual([
      {
        kind: 'error',
        error: expect.objectContaining({
          error: 'ValidationException',
          awsMessage: expect.stringContaining('Member must have value greater than or equal to 1'),
        }),
      },
    ]);
  });
});

describe('with a learner’s credentials (AWS mode)', () => {
  const learnerRole = 'LambdaWorkbook-ada-Learner';
  let learner: Target;

  beforeAll(async () => {
    // GIVEN a role like the class sandbox's learner role: run, inspect and redeploy the function, nothing more
    const functionName = output('LambdaWorkbook-Thumbnails', 'ThumbnailFunctionName');
    const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`;
    const iam = new IAMClient(clientConfig(target));
    const sts = new STSClient(clientConfig(target));
    try {
      const role = await iam.send(
        new CreateRoleCommand({
          RoleName: learnerRole,
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
          RoleName: learnerRole,
          PolicyName: 'own-function',
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
                Resource: functionArn,
              },
            ],
          }),
        }),
      );
      const session = await sts.send(new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: 'ada' }));
      const credentials = session.Credentials;
      learner = {
        ...target,
        kind: 'aws',
        credentials: {
          accessKeyId: credentials?.AccessKeyId ?? '',
          secretAccessKey: credentials?.SecretAccessKey ?? '',
          sessionToken: credentials?.SessionToken ?? '',
        },
      };
    } finally {
      iam.destroy();
      sts.destroy();
    }
  });

  it('shows what the role may read, and explains each refused look-up by action and role', async () => {
    const view = await readFunctionConfig({ target: learner, scenario: 'thumbnails' });

    // The settings come from GetFunction, which the role has.
    expect(view.reservedConcurrency).toBe(2);
    expect(view.triggers.found).toEqual([]);
    const refused = view.triggers.unreadable.map((error) => error.missingPermission);
    // Mappings: refused to list, and the stack names none (a thumbnails stack has none to read).
    expect(refused).not.toContain('lambda:ListEventSourceMappings');
    expect(refused).toContain('s3:GetBucketNotification');
    expect(view.resourcePolicy).toMatchObject({ ok: false, error: { missingPermission: 'lambda:GetPolicy' } });
    for (const error of view.triggers.unreadable) {
      expect(error).toMatchObject({ error: 'AccessDenied', principal: `role ${learnerRole} (session ada)` });
      expect(error.message).toContain(`role ${learnerRole}`);
      expect(error.message).toContain(error.missingPermission);
    }
    expect(view.role.ok).toBe(false);
    if (view.role.ok) return;
    expect(view.role.error).toMatchObject({ error: 'AccessDenied', missingPermission: 'iam:ListRolePolicies' });
    expect(view.role.error.message).toMatch(/sandbox role's policy does not grant iam:ListRolePolicies/);
  });

  it('answers a refused change with 403 naming lambda:UpdateFunctionConfiguration and the role', async () => {
    setWorkbenchRuntime({ token: 'test-token', root, target: () => learner });
    try {
      const response = await postConfig('thumbnails', { memorySize: 512 });

      expect(response.status).toBe(403);
      const error = (await response.json()) as Record<string, string>;
      expect(error).toMatchObject({
        error: 'AccessDenied',
        missingPermission: 'lambda:UpdateFunctionConfiguration',
        principal: `role ${learnerRole} (session ada)`,
      });
      expect(error.message).toMatch(
        new RegExp(`role ${learnerRole} \\(session ada\\)\\) may not call lambda:UpdateFunctionConfiguration`),
      );
    } finally {
      setWorkbenchRuntime({ token: 'test-token', root, target: () => target });
    }
  });
});

describe('describePrincipal', () => {
  it.each([
    [
      'arn:aws:sts::123456789012:assumed-role/LambdaWorkbook-ada-Learner/ada',
      'role LambdaWorkbook-ada-Learner (session ada)',
    ],
    ['arn:aws:iam::123456789012:user/teachers/grace', 'user grace'],
    ['arn:aws:iam::123456789012:root', "the account's root user (arn:aws:iam::123456789012:root)"],
  ])('%s → %s', (arn, words) => {
    expect(describePrincipal(arn)).toBe(words);
  });
});

describe('allowsInvoke', () => {
  const fn = 'arn:aws:lambda:us-east-1:1:function:clicks';
  it.each([
    [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn }, true],
    [{ Effect: 'Allow', Action: ['lambda:Invoke*'], Resource: [`${fn}*`] }, true],
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, true],
    [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `${fn}:prod` }, false],
    [
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:1:function:other' },
      false,
    ],
    [{ Effect: 'Allow', Action: 'lambda:GetFunction', Resource: fn }, false],
    [{ Effect: 'Deny', Action: 'lambda:InvokeFunction', Resource: fn }, false],
  ])('%j → %s', (statement, expected) => {
    expect(allowsInvoke(statement, fn)).toBe(expected);
  });
});
