import type { PolicyDocument } from './evaluate.ts';

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
];

export const awsManagedPolicyArn = (policy: AwsManagedPolicy): string =>
  `arn:aws:iam::aws:policy${policy.path}${policy.name}`;
