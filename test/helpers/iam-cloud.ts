import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import {
  type CredentialIssuer,
  createCredentialIssuer,
  InMemoryCredentialStore,
  type TemporaryCredentials,
} from '../../infra/local/edge/credentials.ts';
import { listenEdge } from '../../infra/local/edge/listen.ts';
import { createEdgeHandler } from '../../infra/local/edge/server.ts';
import type { Service } from '../../infra/local/edge/types.ts';
import type { PolicyDocument } from '../../infra/local/iam/evaluate.ts';
import { IamService } from '../../infra/local/iam/service.ts';
import { StsService } from '../../infra/local/iam/sts/service.ts';
import { TraceBus, type TraceEvent } from '../../infra/local/trace/bus.ts';
import { TEST_CREDENTIALS } from './edge.ts';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

/** A trust policy letting Lambda assume the role. */
export const LAMBDA_TRUST: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** Builds the services to put behind the edge next to IAM and STS. */
export type ServicesFactory = (context: {
  issuer: CredentialIssuer;
  endpoint: () => string;
  trace: TraceBus;
}) => Service[];

export interface IamCloud {
  readonly endpoint: string;
  readonly trace: TraceBus;
  readonly credentials: InMemoryCredentialStore;
  readonly issuer: CredentialIssuer;
  readonly iamService: IamService;
  /** IAM and STS clients signed as the administrator. */
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** Trace events of one type, oldest first. */
  events(type: string): TraceEvent[];
  /** Creates a role (as the administrator) with one inline policy; returns its ARN. */
  createRole(name: string, policy?: object, trust?: object): Promise<string>;
  /** Temporary credentials for a role, as AssumeRole or Lambda would hand them out. */
  credentialsFor(roleArn: string, sessionName?: string, durationSeconds?: number): TemporaryCredentials;
  close(): Promise<void>;
}

/**
 * IAM and STS, plus the services `services(…)` builds, behind the real SigV4 edge on 127.0.0.1 —
 * with the edge's policy check wired to IAM's roles (as the local cloud does).
 */
export async function startIamCloud({
  services = () => [],
  enforceIam = true,
  dataDir,
}: {
  services?: ServicesFactory;
  enforceIam?: boolean;
  dataDir?: string;
} = {}): Promise<IamCloud> {
  const trace = new TraceBus(100_000);
  const seen: TraceEvent[] = [];
  trace.subscribe((event) => seen.push(event));
  const credentials = new InMemoryCredentialStore([TEST_CREDENTIALS]);
  const issuer = createCredentialIssuer(credentials);
  const iamService = new IamService({ trace, dataDir });
  const stsService = new StsService({ trace, store: iamService.store, issuer });
  let endpoint = '';
  const others = services({ issuer, endpoint: () => endpoint, trace });
  const all = [iamService, stsService, ...others];
  let port = 0;
  const listener = await listenEdge(
    createEdgeHandler({ services: all, credentials, trace, roles: iamService.store, enforceIam }),
    { port: 0, host: '127.0.0.1' },
  );
  port = listener.port;
  endpoint = `http://127.0.0.1:${port}`;
  const clientOptions = { endpoint, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  const iam = new IAMClient(clientOptions);
  const sts = new STSClient(clientOptions);
  const { CreateRoleCommand, PutRolePolicyCommand } = await import('@aws-sdk/client-iam');
  return {
    endpoint,
    trace,
    credentials,
    issuer,
    iamService,
    iam,
    sts,
    events: (type) => seen.filter((event) => event.type === type),
    async createRole(name, policy, trust = LAMBDA_TRUST) {
      const { Role } = await iam.send(
        new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }),
      );
      if (policy !== undefined) {
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: name,
            PolicyName: `${name}-policy`,
            PolicyDocument: JSON.stringify(policy),
          }),
        );
      }
      return Role!.Arn!;
    },
    credentialsFor: (roleArn, sessionName = 'test-session', durationSeconds) =>
      issuer.issueForRole({ roleArn, sessionName, durationSeconds }),
    async close() {
      iam.destroy();
      sts.destroy();
      await listener.close();
      for (const service of all) await service.close?.();
    },
  };
}

/** SDK client credentials from temporary credentials. */
export const asClientCredentials = (credentials: TemporaryCredentials) => ({
  accessKeyId: credentials.accessKeyId,
  secretAccessKey: credentials.secretAccessKey,
  sessionToken: credentials.sessionToken,
});
