import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { AdminKeys } from '../../infra/local/edge/admin-keys.ts';

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

/** Creates a Lambda execution role (trusting lambda.amazonaws.com) with one inline policy; returns its ARN. */
export async function createExecutionRole(
  { endpoint, adminCredentials }: { readonly endpoint: string; readonly adminCredentials: AdminKeys },
  name: string,
  statements: readonly PolicyStatement[],
  managedPolicyArns: readonly string[] = ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
): Promise<string> {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: { ...adminCredentials } });
  try {
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    if (statements.length > 0) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: `${name}-policy`,
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
        }),
      );
    }
    for (const arn of managedPolicyArns)
      await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
    return role.Role!.Arn!;
  } finally {
    iam.destroy();
  }
}
