// The cloud the workbook drives: the embedded local cloud (default) or a deployed class sandbox
// on AWS. Everything the workbench and the checks do goes through the AWS SDK with `clientConfig`,
// so both targets share one code path.
import { readFileSync } from 'node:fs';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { TargetKind } from '../lib/workbench-api.ts';

/** `stack-outputs.json` as `npm start` writes it (and as an instructor hands it out for a sandbox). */
export interface StackOutputsFile {
  readonly target: TargetKind;
  /** The local cloud's endpoint; absent for AWS. */
  readonly endpoint?: string;
  readonly region: string;
  readonly deployedAt?: string;
  /** Stack name → output key → value. */
  readonly stacks: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface Target {
  readonly kind: TargetKind;
  readonly region: string;
  /** AWS endpoint override (the local cloud, or the local cloud standing in for AWS in tests). */
  readonly endpoint?: string;
  /** Credentials for every SDK client; absent means the SDK's default chain (profile, env, SSO). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Stack name → output key → value; empty for stacks not deployed. */
  readonly stacks: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * In class mode a learner's stacks carry a prefix (`ada-LambdaWorkbook-Thumbnails`); this maps
   * a scenario's stack name to the learner's. @default the name itself
   */
  readonly stackName?: (stack: string) => string;
}

/** The local cloud's administrator credentials (any key works for SigV4; these are documented). */
export const LOCAL_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Configuration for any `@aws-sdk/client-*` constructor. */
export function clientConfig(target: Target): {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  forcePathStyle?: boolean;
  maxAttempts: number;
} {
  return {
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint, forcePathStyle: true } : {}),
    ...(target.credentials ? { credentials: target.credentials } : {}),
    maxAttempts: 2,
  };
}

/** The outputs of one scenario stack on the target, or undefined when it is not deployed. */
export function stackOutputs(target: Target, stack: string): Readonly<Record<string, string>> | undefined {
  const name = target.stackName ? target.stackName(stack) : stack;
  return target.stacks[name];
}

/** Reads a stack outputs file; errors say what to do. */
export function readStackOutputs(file: string): StackOutputsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`No stack outputs at ${file}: deploy the stacks first (npm start deploys them locally).`);
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const value = parsed as Partial<StackOutputsFile>;
  if (typeof value !== 'object' || value === null || typeof value.stacks !== 'object' || value.stacks === null) {
    throw new Error(`${file} has no "stacks" object: it is not a stack outputs file.`);
  }
  return {
    target: value.target === 'aws' ? 'aws' : 'local',
    region: typeof value.region === 'string' ? value.region : 'us-east-1',
    ...(typeof value.endpoint === 'string' ? { endpoint: value.endpoint } : {}),
    ...(typeof value.deployedAt === 'string' ? { deployedAt: value.deployedAt } : {}),
    stacks: value.stacks,
  };
}

/** A local-cloud target from a stack outputs file written by `npm start`. */
export function localTarget(outputs: StackOutputsFile, endpoint = outputs.endpoint): Target {
  if (!endpoint) throw new Error('A local target needs the local cloud endpoint.');
  return {
    kind: 'local',
    region: outputs.region,
    endpoint,
    credentials: LOCAL_CREDENTIALS,
    stacks: outputs.stacks,
  };
}
