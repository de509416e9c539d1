// AWS::Logs::LogGroup → CreateLogGroup and PutRetentionPolicy. Data protection, KMS keys and field
// indexes are not modelled locally.
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { errorName, type Provisioner } from './types.ts';

export const logsLogGroup: Provisioner = {
  async apply(properties, context) {
    const logs = context.clients.logs;
    const name = (properties.LogGroupName as string | undefined) ?? context.physicalName({ maxLength: 512 });
    for (const ignored of ['KmsKeyId', 'DataProtectionPolicy', 'FieldIndexPolicies'] as const) {
      if (properties[ignored] !== undefined) context.log(`${ignored} not modelled locally`);
    }
    try {
      await logs.send(
        new CreateLogGroupCommand({
          logGroupName: name,
          logGroupClass: properties.LogGroupClass as never,
          tags: tagObject(properties.Tags),
        }),
      );
    } catch (error) {
      // Lambda creates its log group on first use: a function that ran before the deploy already has it.
      if (errorName(error) !== 'ResourceAlreadyExistsException') throw error;
    }
    const retention = properties.RetentionInDays as number | undefined;
    if (retention === undefined) await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
    else await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: Number(retention) }));
    return {
      physicalId: name,
      attributes: { Arn: `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${name}:*` },
    };
  },
  async exists(deployed, context) {
    const found = await context.clients.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: deployed.physicalId, limit: 50 }),
    );
    return (found.logGroups ?? []).some((group) => group.logGroupName === deployed.physicalId);
  },
  async delete(deployed, context) {
    try {
      await context.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: deployed.physicalId }));
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
  },
};

/** CloudFormation's `[{Key, Value}]` as CreateLogGroup's `tags` map (undefined when there are none). */
function tagObject(tags: unknown): Record<string, string> | undefined {
  if (!Array.isArray(tags) || tags.length === 0) return undefined;
  return Object.fromEntries(tags.map((tag: { Key: string; Value: string }) => [tag.Key, String(tag.Value)]));
}
