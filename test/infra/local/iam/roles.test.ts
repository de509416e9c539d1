import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IamCloud, LAMBDA_TRUST, startIamCloud } from '../../../helpers/iam-cloud.ts';

const S3_READ = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::photos/*' }],
};

let cloud: IamCloud;

beforeAll(async () => {
  cloud = await startIamCloud();
});
afterAll(async () => {
  await cloud?.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
      name: error.name,
      message: error.message,
      status: error.$metadata?.httpStatusCode,
    }),
  );

describe('roles', () => {
  it('creates a role and returns its trust policy URL-encoded, as IAM does', async () => {
    // Act
    const created = await cloud.iam.send(
      new CreateRoleCommand({
        RoleName: 'thumbnail-role',
        Path: '/service-role/',
        Description: 'Makes thumbnails',
        MaxSessionDuration: 7200,
        AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST),
      }),
    );
    const { Role } = await cloud.iam.send(new GetRoleCommand({ RoleName: 'thumbnail-role' }));

    // Assess
    expect(created.Role).toMatchObject({
      RoleName: 'thumbnail-role',
      Path: '/service-role/',
      Arn: 'arn:aws:iam::000000000000:role/service-role/thumbnail-role',
      Description: 'Makes thumbnails',
      MaxSessionDuration: 7200,
    });
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    expect(Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(JSON.stringify(LAMBDA_TRUST)));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(LAMBDA_TRUST);
  });

  it('lists roles', async () => {
    // Prepare
    await cloud.createRole('listed-role');

    // Act
    const { Roles, IsTruncated } = await cloud.iam.send(new ListRolesCommand({}));

    // Assess
    expect(Roles?.map((r) => r.RoleName)).toEqual(expect.arrayContaining(['listed-role', 'thumbnail-role']));
    expect(IsTruncated).toBe(false);
  });

  it('pages roles with MaxItems and Marker', async () => {
    // Act
    const first = await cloud.iam.send(new ListRolesCommand({ MaxItems: 1 }));
    const second = await cloud.iam.send(new ListRolesCommand({ MaxItems: 1, Marker: first.Marker }));

    // Assess
    expect(first.IsTruncated).toBe(true);
    expect(second.Roles?.[0]?.RoleName).not.toBe(first.Roles?.[0]?.RoleName);
  });

  it.each([
    [
      'a duplicate name (whatever its case)',
      () =>
        new CreateRoleCommand({ RoleName: 'THUMBNAIL-ROLE', AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST) }),
      { name: 'EntityAlreadyExistsException', status: 409, message: 'Role with name THUMBNAIL-ROLE already exists.' },
    ],
    [
      'an unknown role',
      () => new GetRoleCommand({ RoleName: 'nope' }),
      { name: 'NoSuchEntityException', status: 404, message: 'The role with name nope cannot be found.' },
    ],
    [
      'a trust policy that is not JSON',
      () => new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{nope' }),
      { name: 'MalformedPolicyDocumentException', status: 400, message: 'This policy contains invalid Json' },
    ],
    [
      'a trust policy without a principal',
      () =>
        new CreateRoleCommand({
          RoleName: 'bad',
          AssumeRolePolicyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
        }),
      { name: 'MalformedPolicyDocumentException', status: 400 },
    ],
    [
      'a role name IAM does not accept',
      () => new CreateRoleCommand({ RoleName: 'has spaces', AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST) }),
      {
        name: 'ValidationError',
        status: 400,
        message:
          "1 validation error detected: Value 'has spaces' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      },
    ],
    [
      'a session duration over 12 hours',
      () =>
        new CreateRoleCommand({
          RoleName: 'long',
          MaxSessionDuration: 50000,
          AssumeRolePolicyDocument: JSON.stringify(LAMBDA_TRUST),
        }),
      { name: 'ValidationError', status: 400 },
    ],
  ])('refuses %s', async (_, command, expected) => {
    expect(await failure(cloud.iam.send(command() as never))).toMatchObject(expected);
  });

  it('updates the trust policy', async () => {
    // Prepare
    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }],
    };

    // Act
    await cloud.iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'listed-role', PolicyDocument: JSON.stringify(trust) }),
    );

    // Assess
    const { Role } = await cloud.iam.send(new GetRoleCommand({ RoleName: 'listed-role' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(trust);
  });
});

describe('inline policies', () => {
  it('puts, gets, lists and deletes a role policy', async () => {
    // Prepare
    await cloud.createRole('inline-role');

    // Act
    await cloud.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'inline-role',
        PolicyName: 'read',
        PolicyDocument: JSON.stringify(S3_READ),
      }),
    );
    const got = await cloud.iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'read' }));
    const listed = await cloud.iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }));
    await cloud.iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'read' }));
    const after = await cloud.iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }));

    // Assess
    expect(got).toMatchObject({ RoleName: 'inline-role', PolicyName: 'read' });
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(S3_READ);
    expect(listed.PolicyNames).toEqual(['read']);
    expect(after.PolicyNames ?? []).toEqual([]);
  });

  it.each([
    [
      'a principal in a permissions policy',
      { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] },
      'Policy document should not specify a principal.',
    ],
    [
      'a statement without resources',
      { Statement: [{ Effect: 'Allow', Action: 's3:*' }] },
      'Policy statement must contain resources.',
    ],
    [
      'an action without a service prefix',
      { Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] },
      'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
    ],
    [
      'an unknown effect',
      { Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] },
      'Syntax errors in policy.',
    ],
  ])('refuses %s with MalformedPolicyDocument', async (_, document, message) => {
    expect(
      await failure(
        cloud.iam.send(
          new PutRolePolicyCommand({
            RoleName: 'inline-role',
            PolicyName: 'bad',
            PolicyDocument: JSON.stringify(document),
          }),
        ),
      ),
    ).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400, message });
  });

  it('answers NoSuchEntity for an unknown role policy', async () => {
    expect(
      await failure(cloud.iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'nope' }))),
    ).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role policy with name nope cannot be found.',
    });
  });
});

describe('managed policies', () => {
  it('has the AWS managed policies the scenarios attach, with their real documents', async () => {
    // Act
    const { Policies } = await cloud.iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    const version = await cloud.iam.send(
      new GetPolicyVersionCommand({
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        VersionId: 'v1',
      }),
    );

    // Assess
    expect(Policies?.map((p) => p.Arn)).toEqual(
      expect.arrayContaining([
        'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        'arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole',
        'arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole',
        'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
      ]),
    );
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: '*',
        },
      ],
    });
  });

  it('creates, attaches, lists, detaches and deletes a customer managed policy', async () => {
    // Prepare
    await cloud.createRole('managed-role');

    // Act
    const { Policy } = await cloud.iam.send(
      new CreatePolicyCommand({ PolicyName: 'photos-read', PolicyDocument: JSON.stringify(S3_READ) }),
    );
    await cloud.iam.send(new AttachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: Policy!.Arn }));
    await cloud.iam.send(
      new AttachRolePolicyCommand({
        RoleName: 'managed-role',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      }),
    );
    const attached = await cloud.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'managed-role' }));
    const got = await cloud.iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }));
    const conflict = await failure(cloud.iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })));
    const roleConflict = await failure(cloud.iam.send(new DeleteRoleCommand({ RoleName: 'managed-role' })));
    await cloud.iam.send(new DetachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: Policy!.Arn }));
    await cloud.iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn }));
    const gone = await failure(cloud.iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn })));

    // Assess
    expect(Policy).toMatchObject({
      PolicyName: 'photos-read',
      Arn: 'arn:aws:iam::000000000000:policy/photos-read',
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
    });
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'photos-read', PolicyArn: 'arn:aws:iam::000000000000:policy/photos-read' },
      {
        PolicyName: 'AWSLambdaBasicExecutionRole',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      },
    ]);
    expect(got.Policy?.AttachmentCount).toBe(1);
    expect(conflict).toMatchObject({ name: 'DeleteConflictException', status: 409 });
    expect(roleConflict).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
    });
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('refuses to delete a role that still has inline policies', async () => {
    // Prepare
    await cloud.createRole('inline-conflict', S3_READ);

    // Act / Assess
    expect(await failure(cloud.iam.send(new DeleteRoleCommand({ RoleName: 'inline-conflict' })))).toMatchObject({
      name: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete policies first.',
    });
  });

  it('refuses to attach a policy that does not exist', async () => {
    expect(
      await failure(
        cloud.iam.send(
          new AttachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: 'arn:aws:iam::000000000000:policy/nope' }),
        ),
      ),
    ).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  it('deletes a role without policies', async () => {
    // Prepare
    await cloud.createRole('short-lived');

    // Act
    await cloud.iam.send(new DeleteRoleCommand({ RoleName: 'short-lived' }));

    // Assess
    expect(await failure(cloud.iam.send(new GetRoleCommand({ RoleName: 'short-lived' })))).toMatchObject({
      name: 'NoSuchEntityException',
    });
  });
});

describe('persistence', () => {
  it('keeps roles and policies in <dataDir>/iam/iam.json across restarts', async () => {
    // Prepare
    const dataDir = mkdtempSync(join(tmpdir(), 'iam-data-'));
    try {
      const first = await startIamCloud({ dataDir });
      await first.createRole('kept', S3_READ);
      await first.iam.send(
        new CreatePolicyCommand({ PolicyName: 'kept-policy', PolicyDocument: JSON.stringify(S3_READ) }),
      );
      await first.close();

      // Act
      const second = await startIamCloud({ dataDir });
      const role = await second.iam.send(new GetRoleCommand({ RoleName: 'kept' }));
      const inline = await second.iam.send(new ListRolePoliciesCommand({ RoleName: 'kept' }));
      const policy = await second.iam.send(
        new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/kept-policy' }),
      );
      await second.close();

      // Assess
      expect(role.Role?.Arn).toBe('arn:aws:iam::000000000000:role/kept');
      expect(inline.PolicyNames).toEqual(['kept-policy']);
      expect(policy.Policy?.PolicyName).toBe('kept-policy');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
