import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSynthOutputs, type SynthesizedWorkbook, synthWorkbook } from './helpers/synth.ts';

let workbook: SynthesizedWorkbook;
const template = (name: string): Template => {
  const found = workbook.templates.get(name);
  if (!found) throw new Error(`no stack ${name}; have ${[...workbook.templates.keys()].join(', ')}`);
  return found;
};

beforeAll(() => {
  workbook = synthWorkbook();
}, 120_000);

afterAll(removeSynthOutputs);

describe('the default (shared) workbook', () => {
  it('has a stack per scenario and no class stack', () => {
    expect([...workbook.templates.keys()].sort()).toEqual([
      'LambdaWorkbook-MobileClicks',
      'LambdaWorkbook-StreamMetrics',
      'LambdaWorkbook-Thumbnails',
      'LambdaWorkbook-WebBackend',
    ]);
  });

  it.each([
    ['LambdaWorkbook-Thumbnails', 1],
    ['LambdaWorkbook-StreamMetrics', 2],
    ['LambdaWorkbook-WebBackend', 1],
    ['LambdaWorkbook-MobileClicks', 1],
  ])(
    '%s: its %i scenario function(s) run on nodejs24.x, x86_64, with reserved concurrency and a log group',
    (name, count) => {
      const t = template(name);
      const functions = t.findResources('AWS::Lambda::Function', {
        Properties: { Runtime: 'nodejs24.x', LoggingConfig: { LogGroup: Match.anyValue() } },
      });
      expect(Object.keys(functions)).toHaveLength(count);
      for (const fn of Object.values(functions)) {
        expect(fn.Properties).toMatchObject({
          ReservedConcurrentExecutions: 2,
          Architectures: ['x86_64'],
          Handler: 'index.handler',
        });
      }
      t.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 7 }, count);
    },
  );

  it.each([
    'LambdaWorkbook-Thumbnails',
    'LambdaWorkbook-StreamMetrics',
    'LambdaWorkbook-WebBackend',
    'LambdaWorkbook-MobileClicks',
  ])('%s: cdk destroy leaves nothing behind (every stateful resource is deleted, buckets emptied)', (name) => {
    const resources = template(name).toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>;
    const stateful = [
      'AWS::S3::Bucket',
      'AWS::DynamoDB::Table',
      'AWS::Logs::LogGroup',
      'AWS::Kinesis::Stream',
      'AWS::Lambda::LayerVersion',
    ];
    for (const [id, resource] of Object.entries(resources)) {
      if (stateful.includes(resource.Type)) expect(resource.DeletionPolicy, `${id} (${resource.Type})`).toBe('Delete');
    }
    const buckets = Object.keys(template(name).findResources('AWS::S3::Bucket'));
    const autoDeletes = template(name).findResources('Custom::S3AutoDeleteObjects');
    expect(Object.keys(autoDeletes)).toHaveLength(buckets.length);
  });
});

describe('thumbnails', () => {
  it('notifies the function for object-created .jpg, .jpeg and .png only', () => {
    template('LambdaWorkbook-Thumbnails').hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: ['.jpg', '.jpeg', '.png'].map((suffix) => ({
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: suffix }] } },
          LambdaFunctionArn: Match.anyValue(),
        })),
      },
    });
  });

  it('lets S3 invoke the function, for the photos bucket only', () => {
    template('LambdaWorkbook-Thumbnails').hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ThumbnailsPhotosBucket'), 'Arn'] },
    });
  });

  it('writes thumbnails to the second bucket and carries sharp in a layer', () => {
    template('LambdaWorkbook-Thumbnails').hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { THUMBNAIL_BUCKET: { Ref: Match.stringLikeRegexp('^ThumbnailsThumbnailsBucket') } } },
      Layers: [{ Ref: Match.stringLikeRegexp('^ThumbnailsSharp') }],
    });
    template('LambdaWorkbook-Thumbnails').hasResourceProperties('AWS::Lambda::LayerVersion', {
      CompatibleArchitectures: ['x86_64'],
    });
  });

  it('may get photos and put thumbnails — not list, not delete, not write photos', () => {
    template('LambdaWorkbook-Thumbnails').hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ThumbnailsThumbnailFunctionExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ThumbnailsPhotosBucket'), 'Arn'] }, '/*']],
            },
          }),
          Match.objectLike({
            Action: 's3:PutObject',
            Resource: {
              'Fn::Join': [
                '',
                [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^ThumbnailsThumbnailsBucket'), 'Arn'] }, '/*'],
              ],
            },
          }),
        ]),
      },
    });
    const json = JSON.stringify(
      template('LambdaWorkbook-Thumbnails').findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ThumbnailsThumbnailFunctionExecutionRole') }] },
      }),
    );
    expect(json).not.toContain('s3:DeleteObject');
    expect(json).not.toContain('s3:List');
  });

  it('outputs the bucket and function names', () => {
    const outputs = template('LambdaWorkbook-Thumbnails').toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['PhotosBucketName', 'ThumbnailsBucketName', 'ThumbnailFunctionName']),
    );
  });
});

describe('stream-metrics', () => {
  it('streams the orders table with new and old images', () => {
    template('LambdaWorkbook-StreamMetrics').hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it.each([
    ['DynamoDB', { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamMetricsOrdersTable'), 'StreamArn'] }, 10],
    ['Kinesis', { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamMetricsClickStream'), 'Arn'] }, 100],
  ])(
    'polls the %s stream with retries, bisect, partial batch responses and an S3 on-failure destination',
    (_kind, source, batchSize) => {
      template('LambdaWorkbook-StreamMetrics').hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: source,
        BatchSize: batchSize,
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 3600,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamMetricsFailuresBucket'), 'Arn'] } },
        },
      });
    },
  );

  it('reads the stream by its ARN only (no ListStreams on *)', () => {
    template('LambdaWorkbook-StreamMetrics').hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'dynamodb:ListStreams',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamMetricsOrdersTable'), 'StreamArn'] },
          },
        ]),
      },
    });
  });

  it('leaves the Kinesis stream out with -c kinesis=false', { timeout: 120_000 }, () => {
    const lean = synthWorkbook({ kinesis: 'false' }).templates.get('LambdaWorkbook-StreamMetrics')!;
    lean.resourceCountIs('AWS::Kinesis::Stream', 0);
    lean.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });
});

describe('web-backend', () => {
  it.each(['GET /', 'GET /items', 'GET /items/{id}', 'POST /items'])('routes %s to the function', (routeKey) => {
    template('LambdaWorkbook-WebBackend').hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('^WebBackendApi') }]] },
    });
  });

  it('integrates with Lambda proxy payload format 2.0 and answers CORS preflights', () => {
    const t = template('LambdaWorkbook-WebBackend');
    t.resourceCountIs('AWS::ApiGatewayV2::Route', 4);
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowMethods: ['GET', 'POST'], AllowOrigins: ['*'] },
    });
    expect(Object.keys(t.toJSON().Outputs)).toContain('ApiUrl');
  });

  it('lets the function get, put and scan the items table only', () => {
    template('LambdaWorkbook-WebBackend').hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan'],
            Effect: 'Allow',
            Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^WebBackendItemsTable'), 'Arn'] }],
          },
        ]),
      },
    });
  });
});

describe('mobile-clicks', () => {
  it('has an identity pool for guests, with the basic flow on and its roles attached', () => {
    const t = template('LambdaWorkbook-MobileClicks');
    // The basic (classic) flow: the enhanced flow's guest credentials may not invoke Lambda on AWS.
    t.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: true,
    });
    t.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      IdentityPoolId: { Ref: Match.stringLikeRegexp('^MobileClicksIdentityPool') },
      Roles: { unauthenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('UnauthenticatedRole'), 'Arn'] } },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Principal: { Federated: 'cognito-identity.amazonaws.com' },
            Condition: {
              StringEquals: {
                'cognito-identity.amazonaws.com:aud': { Ref: Match.stringLikeRegexp('^MobileClicksIdentityPool') },
              },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
            },
          }),
        ],
      },
    });
  });

  it('lets the unauthenticated role invoke exactly the clicks function, nothing else', () => {
    const t = template('LambdaWorkbook-MobileClicks');
    const policies = t.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('UnauthenticatedRole') }] },
    });
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
    ]);
    const [target] = statements[0].Resource['Fn::GetAtt'];
    expect(t.toJSON().Resources[target]).toMatchObject({
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { CLICKS_TABLE: expect.anything() } } },
    });
    // The authenticated role (unused: the app has no sign-in) gets nothing.
    const authenticated = t.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('AuthenticatedRole') }] },
    });
    expect(Object.keys(authenticated).filter((id) => !id.includes('Unauthenticated'))).toEqual([]);
  });

  it('outputs the pool id, the guest role the app assumes and the function name', () => {
    const outputs = template('LambdaWorkbook-MobileClicks').toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['IdentityPoolId', 'UnauthenticatedRoleArn', 'ClicksFunctionName', 'ClicksTableName']),
    );
    expect(outputs.UnauthenticatedRoleArn.Value).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/UnauthenticatedRole/), 'Arn'],
    });
  });
});
