// AWS::IAM::Role and AWS::IAM::Policy → the local IAM, so every function runs with exactly its
// synthesized role and every identity pool hands out exactly its synthesized permissions.
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { errorName, exists, type Provisioner } from './types.ts';

const document = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export const iamRole: Provisioner = {
  async apply(properties, context) {
    const iam = context.clients.iam;
    const roleName = (properties.RoleName as string | undefined) ?? context.physicalName({ maxLength: 64 });
    const assume = document(properties.AssumeRolePolicyDocument);
    let arn: string;
    let roleId: string;
    try {
      const created = await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          Path: properties.Path as string | undefined,
          AssumeRolePolicyDocument: assume,
          Description: properties.Description as string | undefined,
          MaxSessionDuration: properties.MaxSessionDuration as number | undefined,
        }),
      );
      arn = created.Role!.Arn!;
      roleId = created.Role!.RoleId!;
    } catch (error) {
      if (errorName(error) !== 'EntityAlreadyExistsException') throw error;
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: assume }));
      const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
      arn = role.Role!.Arn!;
      roleId = role.Role!.RoleId!;
    }
    // Inline policies written in the role itself (AWS::IAM::Policy resources add theirs separately).
    const inline = (properties.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[];
    for (const policy of inline) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policy.PolicyName,
          PolicyDocument: document(policy.PolicyDocument),
        }),
      );
    }
    const managed = new Set((properties.ManagedPolicyArns ?? []) as string[]);
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    for (const policy of attached.AttachedPolicies ?? []) {
      if (!managed.has(policy.PolicyArn!)) {
        await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.PolicyArn }));
      }
    }
    for (const policyArn of managed) {
      await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
    }
    return { physicalId: roleName, attributes: { Arn: arn, RoleId: roleId } };
  },
  exists: (deployed, context) =>
    exists(
      () => context.clients.iam.send(new GetRoleCommand({ RoleName: deployed.physicalId })),
      ['NoSuchEntityException'],
    ),
  async delete(deployed, context) {
    const iam = context.clients.iam;
    const RoleName = deployed.physicalId;
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName }));
    for (const policy of attached.AttachedPolicies ?? []) {
      await iam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: policy.PolicyArn }));
    }
    const inline = await iam.send(new ListRolePoliciesCommand({ RoleName }));
    for (const PolicyName of inline.PolicyNames ?? []) {
      await iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName }));
    }
    await iam.send(new DeleteRoleCommand({ RoleName }));
  },
};

/** AWS::IAM::Policy: an inline policy on each of its roles (PutRolePolicy). */
export const iamPolicy: Provisioner = {
  async apply(properties, context) {
    const iam = context.clients.iam;
    const policyName = properties.PolicyName as string;
    const roles = (properties.Roles ?? []) as string[];
    for (const kind of ['Groups', 'Users'] as const) {
      const names = (properties[kind] ?? []) as string[];
      if (names.length > 0) {
        context.log(`not attached to ${kind.toLowerCase()} ${names.join(', ')}: the local IAM models roles only`);
      }
    }
    const previousRoles = (context.previous?.attributes.Roles ?? []) as string[];
    for (const roleName of previousRoles.filter((role) => !roles.includes(role))) {
      await iam
        .send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))
        .catch(() => undefined);
    }
    for (const roleName of roles) {
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: roleName,
          PolicyName: policyName,
          PolicyDocument: document(properties.PolicyDocument),
        }),
      );
    }
    return { physicalId: policyName, attributes: { Roles: roles } };
  },
  async delete(deployed, context) {
    for (const roleName of (deployed.attributes.Roles ?? []) as string[]) {
      await context.clients.iam
        .send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: deployed.physicalId }))
        .catch(() => undefined);
    }
  },
};
