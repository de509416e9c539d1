import type {
  APIGatewayProxyEventV2,
  AttributeValue,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  S3Event,
  S3EventRecord,
} from 'aws-lambda';

// Record factories in AWS's shapes (as in scenarios/<name>/events/ and test/recordings/aws/).

let sequence = 100_000_000_000_000_000_000n;
const nextSequence = () => String(++sequence);

/** An S3 ObjectCreated:Put record (eventVersion 2.1); `key` as S3 sends it, URL-encoded. */
export function s3ObjectCreatedRecord({
  bucket = 'photos',
  key = 'cat.jpg',
  size = 1024,
}: {
  bucket?: string;
  key?: string;
  size?: number;
} = {}): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2024-01-01T12:00:00.000Z',
    eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
    requestParameters: { sourceIPAddress: '203.0.113.10' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'thumbnails',
      bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
      object: { key, size, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' },
    },
  };
}

export const s3Event = (...records: S3EventRecord[]): S3Event => ({ Records: records });

/** An order as a DynamoDB image. */
export const orderImage = (orderId: string, total: number): Record<string, AttributeValue> => ({
  orderId: { S: orderId },
  total: { N: String(total) },
  status: { S: 'placed' },
});

/** A DynamoDB stream record of the orders table (NEW_AND_OLD_IMAGES). */
export function dynamodbRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  { orderId = 'o-1', newTotal, oldTotal }: { orderId?: string; newTotal?: number; oldTotal?: number } = {},
): DynamoDBRecord {
  const sequenceNumber = nextSequence();
  return {
    eventID: `${sequenceNumber.slice(-8)}c4ca4238a0b923820dcc509a6f75849b`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1704110400,
      Keys: { orderId: { S: orderId } },
      ...(newTotal === undefined ? {} : { NewImage: orderImage(orderId, newTotal) }),
      ...(oldTotal === undefined ? {} : { OldImage: orderImage(orderId, oldTotal) }),
      SequenceNumber: sequenceNumber,
      SizeBytes: 59,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000',
  };
}

export const dynamodbStreamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

/** A Kinesis record carrying `data` (an object is sent as JSON; a string as-is), base64-encoded. */
export function kinesisRecord(data: unknown): KinesisStreamRecord {
  const sequenceNumber = `4959${nextSequence()}`;
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'client-1',
      sequenceNumber,
      data: Buffer.from(text).toString('base64'),
      approximateArrivalTimestamp: 1704110400.123,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/click-metrics-role',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks',
  };
}

export const kinesisEvent = (...records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

/** An HTTP API (payload format 2.0) request event for `routeKey` like 'GET /items/{id}'. */
export function httpApiEvent(
  routeKey: string,
  {
    path,
    pathParameters,
    body,
    isBase64Encoded = false,
  }: { path?: string; pathParameters?: Record<string, string>; body?: string; isBase64Encoded?: boolean } = {},
): APIGatewayProxyEventV2 {
  const [method = 'GET', routePath = '/'] = routeKey.split(' ');
  const rawPath = path ?? routePath;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { accept: '*/*', 'content-type': 'application/json', host: 'abc123.execute-api.us-east-1.amazonaws.com' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'vitest' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey,
      stage: '$default',
      time: '01/Jan/2024:12:00:00 +0000',
      timeEpoch: 1704110400000,
    },
    ...(pathParameters ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded,
  };
}
