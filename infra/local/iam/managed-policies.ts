import type { NamedPolicy, PolicyDocument } from './evaluate.ts';

export interface AwsManagedPolicy {
  readonly name: string;
  readonly path: string;
  readonly description: string;
  readonly versionId: string;
  readonly createDate: string;
  readonly updateDate: string;
  readonly document: PolicyDocument;
}

/**
 * The AWS managed policies the scenarios attach, with their default versions' documents as published
 * in the AWS Managed Policy Reference (docs.aws.amazon.com/aws-managed-policy/latest/reference/…).
 */
export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AWSLambdaBasicExecutionRole',
    path: '/service-role/',
    description: 'Provides write permissions to CloudWatch Logs.',
    versionId: 'v1',
    createDate: '2015-04-09T15:03:43Z',
    updateDate: '2015-04-09T15:03:43Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSLambdaDynamoDBExecutionRole',
    path: '/service-role/',
    description: 'Provides list and read access to DynamoDB streams and write permissions to CloudWatch logs.',
    versionId: 'v1',
    createDate: '2015-04-09T15:09:29Z',
    updateDate: '2015-04-09T15:09:29Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:DescribeStream',
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:ListStreams',
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AWSLambdaKinesisExecutionRole',
    path: '/service-role/',
    description: 'Provides list and read access to Kinesis streams and write permissions to CloudWatch logs.',
    versionId: 'v2',
    createDate: '2015-04-09T15:14:16Z',
    updateDate: '2018-11-19T20:09:24Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'kinesis:DescribeStream',
            'kinesis:DescribeStreamSummary',
            'kinesis:GetRecords',
            'kinesis:GetShardIterator',
            'kinesis:ListShards',
            'kinesis:ListStreams',
            'kinesis:SubscribeToShard',
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonS3ReadOnlyAccess',
    path: '/',
    description: 'Provides read only access to all buckets via the AWS Management Console.',
    versionId: 'v3',
    createDate: '2015-02-06T18:40:59Z',
    updateDate: '2023-08-10T21:31:39Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'],
          Resource: '*',
        },
      ],
    },
  },
  {
    // Not for attaching: Cognito's enhanced flow adds it as the session policy of guests' credentials.
    name: 'AmazonCognitoUnAuthedIdentitiesSessionPolicy',
    path: '/',
    description:
      'This policy defines the set of permissions allowed for unauthenticated identities for Cognito Identity Pools. It is used as a guardrail against overly permissive policies attached to roles in an identity pool.',
    versionId: 'v3',
    createDate: '2023-07-19T23:04:00Z',
    updateDate: '2024-11-01T18:12:00Z',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CognitoUnAuthedIdentitiesSessionPolicy',
          Effect: 'Allow',
          Action: [
            'rum:PutRumEvents',
            'sagemaker:InvokeEndpoint',
            'polly:*',
            'comprehend:*',
            'translate:*',
            'transcribe:*',
            'rekognition:*',
            'mobiletargeting:*',
            'firehose:*',
            'personalize:*',
            'geo:GetMap*',
            'geo:SearchPlaceIndex*',
            'geo:GetPlace',
            'geo:CalculateRoute*',
            'geo:*Geofence',
            'geo:*Geofences',
            'geo:*DevicePosition*',
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncryptTo',
            'kms:ReEncryptFrom',
            'kms:GenerateDataKey',
            'kms:GenerateDataKeyPair',
            'kms:GenerateDataKeyPairWithoutPlaintext',
            'kms:GenerateDataKeyWithoutPlaintext',
          ],
          Resource: '*',
        },
      ],
    },
  },
];

export const awsManagedPolicyArn = (policy: AwsManagedPolicy): string =>
  `arn:aws:iam::aws:policy${policy.path}${policy.name}`;

/**
 * The session policy Cognito's enhanced flow (GetCredentialsForIdentity) puts on the credentials of
 * unauthenticated identities (AWS Managed Policy Reference, AmazonCognitoUnAuthedIdentitiesSessionPolicy:
 * "Cognito Identity Service will automatically include it as a scoped down policy when creating
 * credentials"). Authenticated identities get none. The basic flow (AssumeRoleWithWebIdentity) adds none.
 */
export const COGNITO_UNAUTHED_SESSION_POLICY_ARN =
  'arn:aws:iam::aws:policy/AmazonCognitoUnAuthedIdentitiesSessionPolicy';

/** That session policy, ready for evaluation (named by its ARN, as denial reasons name policies). */
export function cognitoUnauthedSessionPolicy(): NamedPolicy {
  const policy = AWS_MANAGED_POLICIES.find((p) => awsManagedPolicyArn(p) === COGNITO_UNAUTHED_SESSION_POLICY_ARN)!;
  return { name: COGNITO_UNAUTHED_SESSION_POLICY_ARN, document: policy.document };
}
