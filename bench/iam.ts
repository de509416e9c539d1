// The cost of IAM enforcement: the same GetItem signed with role credentials, against a local
// cloud that evaluates the role's policies and one started with enforcement off (same run).
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startLocalCloud } from '../infra/local/cloud.ts';
import { ms, printTable, type Row, ratio, time } from './lib.ts';

// The clouds here accept the tutorial keys (`adminKeys: 'test'`).
const admin = { accessKeyId: 'test', secretAccessKey: 'test' };

async function roleClient(endpoint: string): Promise<DynamoDBClient> {
  const config = { endpoint, region: 'us-east-1', credentials: admin };
  const iam = new IAMClient(config);
  const ddb = new DynamoDBClient(config);
  await ddb.send(
    new CreateTableCommand({
      TableName: 'things',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'a' }, v: { S: 'x'.repeat(100) } } }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'reader',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  // A realistic policy: a few statements, wildcards, and a deny that does not match.
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'reader',
      PolicyName: 'read-things',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:ListBucket'],
            Resource: ['arn:aws:s3:::photos', 'arn:aws:s3:::photos/*'],
          },
          {
            Effect: 'Allow',
            Action: ['dynamodb:Get*', 'dynamodb:Query'],
            Resource: 'arn:aws:dynamodb:*:*:table/thing?',
          },
          { Effect: 'Deny', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:*:*:table/secrets' },
        ],
      }),
    }),
  );
  const sts = new STSClient(config);
  const assumed = await sts.send(
    new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/reader', RoleSessionName: 'bench' }),
  );
  iam.destroy();
  ddb.destroy();
  sts.destroy();
  const c = assumed.Credentials!;
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  });
}

export async function benchIam(): Promise<Row[]> {
  const on = await startLocalCloud({ port: 0, inMemory: true, enforceIam: true, adminKeys: 'test' });
  const off = await startLocalCloud({ port: 0, inMemory: true, enforceIam: false, adminKeys: 'test' });
  const rows: Row[] = [];
  try {
    const enforced = await roleClient(on.endpoint);
    const lenient = await roleClient(off.endpoint);
    const get = (client: DynamoDBClient) =>
      client.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'a' } } }));
    // Interleave rounds so machine noise hits both alike.
    const a1 = await time(1000, () => get(enforced), 100);
    const b1 = await time(1000, () => get(lenient), 100);
    const a2 = await time(1000, () => get(enforced));
    const b2 = await time(1000, () => get(lenient));
    const withIam = Math.min(a1.p50, a2.p50);
    const without = Math.min(b1.p50, b2.p50);
    rows.push({
      name: 'GetItem with role credentials, p50 (SigV4 + policy evaluation)',
      value: ms(withIam),
      baseline: `enforcement off ${ms(without)}`,
      ratio: ratio(withIam, without),
    });
    enforced.destroy();
    lenient.destroy();
  } finally {
    await on.close();
    await off.close();
  }
  printTable('IAM enforcement (per request)', rows);
  return rows;
}
