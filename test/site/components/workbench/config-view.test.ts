import { describe, expect, it } from 'vitest';
import {
  describeChange,
  describeResourcePolicy,
  policyStatements,
  readConfigForm,
  shortArn,
  summarizeTrigger,
} from '../../../../site/components/workbench/config/view.ts';
import { checkConfigUpdate, environmentBytes, type FunctionConfigView } from '../../../../site/lib/function-config.ts';

const current: FunctionConfigView = {
  functionIndex: 0,
  functionName: 'fn',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn',
  memorySize: 256,
  timeout: 10,
  environment: { TABLE: 'orders', NODE_OPTIONS: '--enable-source-maps' },
  roleArn: 'arn:aws:iam::000000000000:role/fn-role',
  triggers: { found: [], unreadable: [] },
  role: { ok: true, value: { arn: 'arn:aws:iam::000000000000:role/fn-role', name: 'fn-role', policies: [] } },
  resourcePolicy: { ok: true, value: null },
};
const rows = Object.entries(current.environment).map(([name, value]) => ({ name, value }));

describe('the configuration form', () => {
  it('sends only what changed', () => {
    expect(readConfigForm({ memorySize: '512', timeout: '10', variables: rows }, current)).toEqual({
      ok: true,
      changed: true,
      update: { memorySize: 512 },
    });
    expect(
      readConfigForm(
        { memorySize: '256', timeout: '1', variables: [...rows, { name: 'GREETING', value: 'hi' }] },
        current,
      ),
    ).toEqual({
      ok: true,
      changed: true,
      update: { timeout: 1, environment: { ...current.environment, GREETING: 'hi' } },
    });
  });

  it('sees no change when the variables are the same in another order, and ignores empty rows', () => {
    expect(
      readConfigForm(
        { memorySize: '256', timeout: '10', variables: [...rows].reverse().concat({ name: '', value: '' }) },
        current,
      ),
    ).toEqual({ ok: true, changed: false, update: {} });
  });

  it.each([
    ['127', '10', 'memorySize', /from 128 to 10,240/],
    ['10241', '10', 'memorySize', /from 128 to 10,240/],
    ['256.5', '10', 'memorySize', /whole number/],
    ['', '10', 'memorySize', /whole number/],
    ['256', '0', 'timeout', /from 1 to 900/],
    ['256', '901', 'timeout', /from 1 to 900/],
  ])('refuses memory %s / timeout %s by Lambda’s limits', (memorySize, timeout, field, message) => {
    const verdict = readConfigForm({ memorySize, timeout, variables: rows }, current);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.problems).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('refuses variable names Lambda refuses, twice-defined names and more than 4 KB', () => {
    const problems = (variables: { name: string; value: string }[]) =>
      checkConfigUpdate({ environment: variables }).map((problem) => problem.message);
    expect(problems([{ name: '1ABC', value: '' }])).toEqual([expect.stringContaining("'1ABC' is not a valid")]);
    expect(problems([{ name: 'A', value: '' }])).toEqual([expect.stringContaining("'A' is not a valid")]);
    expect(problems([{ name: 'MY-VAR', value: '' }])).toEqual([expect.stringContaining('not a valid')]);
    expect(problems([{ name: '', value: 'x' }])).toEqual(['A variable needs a name.']);
    expect(
      problems([
        { name: 'AB', value: '1' },
        { name: 'AB', value: '2' },
      ]),
    ).toEqual(["'AB' is defined twice."]);
    // 4096 bytes is the limit, measured on the JSON of the map, as Lambda measures it.
    const fits = 'x'.repeat(4096 - environmentBytes({ AB: '' }));
    expect(problems([{ name: 'AB', value: fits }])).toEqual([]);
    expect(problems([{ name: 'AB', value: `${fits}x` }])).toEqual([
      expect.stringMatching(/4,097 bytes; Lambda allows 4,096/),
    ]);
    // Multi-byte characters count as the bytes they take.
    expect(environmentBytes({ AB: 'é' })).toBe(environmentBytes({ AB: 'e' }) + 1);
  });

  it('says what a change does', () => {
    expect(describeChange({ memorySize: 1024, timeout: 3, environment: { A1: 'x' } })).toBe(
      'memory 1,024 MB, timeout 3 s, 1 environment variable',
    );
  });
});

describe('triggers and policies in words', () => {
  it('summarizes an event source mapping with its settings', () => {
    const summary = summarizeTrigger({
      kind: 'event-source-mapping',
      uuid: 'u',
      eventSourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2024-01-01T00:00:00.000',
      state: 'Enabled',
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts: 2,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ['ReportBatchItemFailures'],
      onFailure: 'arn:aws:s3:::failures',
    });
    expect(summary.title).toBe('Orders');
    expect(summary.kind).toMatch(/^DynamoDB stream \(event source mapping/);
    expect(summary.settings).toEqual(
      expect.arrayContaining([
        ['Batch size', '10'],
        ['Batching window', '1 s'],
        ['Starting position', 'TRIM_HORIZON'],
        ['Retry attempts', '2'],
        ['Split batch on error', 'yes'],
        ['Function response types', 'ReportBatchItemFailures'],
        ['On failure', 'arn:aws:s3:::failures'],
      ]),
    );
  });

  it('summarizes an S3 notification and an HTTP route', () => {
    expect(
      summarizeTrigger({
        kind: 's3-notification',
        bucket: 'photos',
        events: ['s3:ObjectCreated:*'],
        filters: [{ name: 'suffix', value: '.jpg' }],
      }),
    ).toEqual({
      kind: 'S3 bucket notification (asynchronous invoke)',
      title: 'photos',
      settings: [
        ['Events', 's3:ObjectCreated:*'],
        ['Key suffix', '.jpg'],
      ],
    });
    expect(
      summarizeTrigger({ kind: 'http-route', apiId: 'abc', routeKey: 'GET /items', payloadFormatVersion: '2.0' })
        .settings,
    ).toEqual([
      ['API', 'abc'],
      ['Payload format', '2.0'],
    ]);
    expect(shortArn('arn:aws:kinesis:us-east-1:000000000000:stream/clicks')).toBe('clicks');
  });

  it('puts each policy statement in one line', () => {
    expect(
      policyStatements({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::photos/*' },
          { Effect: 'Deny', NotAction: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ],
      }),
    ).toEqual(['Allow s3:GetObject on arn:aws:s3:::photos/*', 'Deny everything but s3:* on * (with a condition)']);
    expect(policyStatements({ Statement: { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' } })).toEqual([
      'Allow logs:PutLogEvents on *',
    ]);
    expect(policyStatements('not a document')).toEqual([]);
  });
});

describe("a function's resource-based policy in the lesson's words", () => {
  it('names S3 and the bucket whose notifications may invoke it (AddPermission as CDK writes it)', () => {
    const document = {
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        {
          Sid: 'ThumbnailsPhotosBucketAllowBucketNotificationsTo',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:thumbs',
          Condition: {
            StringEquals: { 'AWS:SourceAccount': '123456789012' },
            ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::photos-bucket' },
          },
        },
      ],
    };
    expect(describeResourcePolicy(document)).toEqual([
      'S3 (s3.amazonaws.com) may invoke it for notifications from bucket photos-bucket, in account 123456789012.',
    ]);
  });

  it('names API Gateway, the API, its stage and route', () => {
    const statement = (sourceArn: string) => ({
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:api',
      Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
    });
    expect(
      describeResourcePolicy({
        Statement: [
          statement('arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/*/items'),
          statement('arn:aws:execute-api:us-east-1:123456789012:a1b2c3/*/GET/items/{id}'),
          statement('arn:aws:execute-api:us-east-1:123456789012:a1b2c3/prod/*/*'),
        ],
      }),
    ).toEqual([
      'API Gateway (apigateway.amazonaws.com) may invoke it for requests to HTTP API a1b2c3, any stage, any method /items.',
      'API Gateway (apigateway.amazonaws.com) may invoke it for requests to HTTP API a1b2c3, any stage, GET /items/{id}.',
      'API Gateway (apigateway.amazonaws.com) may invoke it for requests to HTTP API a1b2c3, stage prod, any method on any path.',
    ]);
  });

  it('names accounts, other actions and denials as they are', () => {
    expect(
      describeResourcePolicy({
        Statement: {
          Effect: 'Deny',
          Principal: { AWS: 'arn:aws:iam::210987654321:root' },
          Action: ['lambda:GetFunction', 'lambda:InvokeFunction'],
          Resource: '*',
        },
      }),
    ).toEqual(['Denied: account 210987654321 may call lambda:GetFunction, lambda:InvokeFunction.']);
    expect(describeResourcePolicy('not a policy')).toEqual([]);
  });
});

describe('the mobile app as a trigger', () => {
  const trigger = {
    kind: 'identity-pool-invoke' as const,
    identityPoolId: 'us-east-1:pool',
    roleArn: 'arn:aws:iam::123456789012:role/Guests',
    roleName: 'Guests',
    invocationType: 'RequestResponse' as const,
    statements: [
      {
        policy: 'GuestsDefaultPolicy',
        statement: {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:clicks',
        },
      },
    ],
  };

  it('says who calls, how, and which statement of the guest role allows it', () => {
    const summary = summarizeTrigger(trigger);
    expect(summary.kind).toMatch(/Direct Invoke by the mobile app \(RequestResponse, with identity pool credentials\)/);
    expect(summary.title).toBe('The app, signed in as a guest of the identity pool');
    expect(Object.fromEntries(summary.settings)).toMatchObject({
      Role: 'Guests',
      'Identity pool': 'us-east-1:pool',
      'Invocation type': 'RequestResponse (the app waits for the answer)',
      'Allowed by':
        'GuestsDefaultPolicy: Allow lambda:InvokeFunction on arn:aws:lambda:us-east-1:123456789012:function:clicks',
      'Role ARN': 'arn:aws:iam::123456789012:role/Guests',
    });
  });

  it('says the app is refused when no statement allows the invoke', () => {
    const summary = summarizeTrigger({ ...trigger, statements: [] });
    expect(Object.fromEntries(summary.settings)['Allowed by']).toMatch(/^nothing: .*refused$/);
  });
});
