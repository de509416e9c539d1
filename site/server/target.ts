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
  /** Stack name → logical id → physical id, when the deployer recorded them (the flow diagram's names). */
  readonly resources?: Readonly<Record<string, Readonly<Record<string, string>>>>;
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
  /** Stack name → logical id → physical id, when known (local deployments record them). */
  readonly resources?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * In class mode a learner's stacks carry a prefix (`ada-LambdaWorkbook-Thumbnails`); this maps
   * a scenario's stack name to the learner's. @default the name itself
   */
  readonly stackName?: (stack: string) => string;
}

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

/**
 * An HTTP API's base URL as this server can reach it, without a trailing slash. The local cloud
 * names an API `http://{apiId}.execute-api.localhost:{port}` (browsers resolve `*.localhost`,
 * Node's fetch does not) and serves the same API at `{endpoint}/_aws/execute-api/{apiId}`; other
 * URLs (AWS's `https://{apiId}.execute-api.{region}.amazonaws.com`) stay as they are.
 */
export function reachableApiUrl(apiUrl: string, target: Target): string {
  const url = new URL(apiUrl);
  const local = /^([a-z0-9]+)\.execute-api\.localhost$/i.exec(url.hostname);
  const base =
    local?.[1] !== undefined && target.endpoint !== undefined
      ? `${target.endpoint.replace(/\/+$/, '')}/_aws/execute-api/${local[1]}${url.pathname}`
      : apiUrl;
  return base.replace(/\/+$/, '');
}

/** The outputs of one scenario stack on the target, or undefined when it is not deployed. */
export function stackOutputs(target: Target, stack: string): Readonly<Record<string, string>> | undefined {
  const name = target.stackName ? target.stackName(stack) : stack;
  return target.stacks[name];
}

/**
 * Parses a stack outputs file: the workbook's own (`npm start` writes it: `{ target, region,
 * endpoint?, stacks }`) or the one `cdk deploy --outputs-file` writes (`{ "<stack>": { "<key>":
 * "<value>" } }`, what `npm run sandbox:deploy` leaves in cdk.out/sandbox-outputs.json).
 */
export function parseStackOutputs(text: string, file: string): StackOutputsFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} is not a stack outputs file: expected a JSON object.`);
  }
  const value = parsed as Record<string, unknown>;
  const isMap = (v: unknown): v is Record<string, Record<string, string>> =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every(
      (outputs) =>
        typeof outputs === 'object' &&
        outputs !== null &&
        Object.values(outputs as object).every((output) => typeof output === 'string'),
    );
  if ('stacks' in value) {
    if (!isMap(value.stacks)) throw new Error(`${file}: "stacks" must map stack names to their outputs (strings).`);
    return {
      target: value.target === 'aws' ? 'aws' : 'local',
      region: typeof value.region === 'string' ? value.region : 'us-east-1',
      ...(typeof value.endpoint === 'string' ? { endpoint: value.endpoint } : {}),
      ...(typeof value.deployedAt === 'string' ? { deployedAt: value.deployedAt } : {}),
      stacks: value.stacks,
      ...(isMap(value.resources) ? { resources: value.resources } : {}),
    };
  }
  if (!isMap(value) || Object.keys(value).length === 0) {
    throw new Error(
      `${file} is not a stack outputs file: expected {"stacks": {…}} (npm start) or the file \`cdk deploy --outputs-file\` writes.`,
    );
  }
  // CDK's file says nothing of the region: the SDK's configuration (AWS_REGION, profile) decides.
  return { target: 'aws', region: '', stacks: value };
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
  return parseStackOutputs(text, file);
}

const STACK_PREFIX = 'LambdaWorkbook-';

/** Learners whose class-mode stacks (`LambdaWorkbook-<learner>-<Scenario>`) the outputs hold. */
export function learnersIn(outputs: StackOutputsFile, scenarioStacks: readonly string[]): string[] {
  const suffixes = scenarioStacks.map((stack) => stack.slice(STACK_PREFIX.length));
  const learners = new Set<string>();
  for (const name of Object.keys(outputs.stacks)) {
    if (!name.startsWith(STACK_PREFIX)) continue;
    for (const suffix of suffixes) {
      const middle = name.slice(STACK_PREFIX.length, name.length - suffix.length - 1);
      if (name.endsWith(`-${suffix}`) && middle.length > 0 && name === `${STACK_PREFIX}${middle}-${suffix}`) {
        learners.add(middle);
      }
    }
  }
  return [...learners].sort();
}

/** Maps a scenario's stack name to a learner's copy of it (`LambdaWorkbook-ada-Thumbnails`). */
export const learnerStackName =
  (learner: string) =>
  (stack: string): string =>
    stack.startsWith(STACK_PREFIX) ? `${STACK_PREFIX}${learner}-${stack.slice(STACK_PREFIX.length)}` : stack;

export interface AwsTargetOptions {
  readonly outputs: StackOutputsFile;
  /** The scenarios' stack names (from scenarios/catalog.ts), to find learners' copies. */
  readonly scenarioStacks: readonly string[];
  /** Region; @default the outputs file's, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's. */
  readonly region?: string;
  /** Endpoint override (tests: the local cloud standing in for AWS). @default AWS_ENDPOINT_URL */
  readonly endpoint?: string;
  /** Whose copy to use in a class sandbox; needed only when the outputs hold several learners'. */
  readonly learner?: string;
  /** Credentials; @default the SDK's chain (env, profile, SSO, …). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** A target for a deployed sandbox, as the learner's own credentials see it. */
export function awsTarget(options: AwsTargetOptions): Target {
  const region =
    options.region || options.outputs.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || '';
  if (region === '') {
    throw new Error(
      'No AWS region: pass --region, or set AWS_REGION (or a region in your AWS profile) to the region the sandbox was deployed to.',
    );
  }
  const hasPlain = options.scenarioStacks.some((stack) => options.outputs.stacks[stack] !== undefined);
  const learners = learnersIn(options.outputs, options.scenarioStacks);
  let stackName: ((stack: string) => string) | undefined;
  if (options.learner !== undefined) {
    if (!learners.includes(options.learner)) {
      throw new Error(
        `The stack outputs hold no stacks of learner '${options.learner}'${learners.length > 0 ? ` (learners: ${learners.join(', ')})` : ''}.`,
      );
    }
    stackName = learnerStackName(options.learner);
  } else if (!hasPlain && learners.length === 1) {
    stackName = learnerStackName(learners[0] as string);
  } else if (!hasPlain && learners.length > 1) {
    throw new Error(`The stack outputs hold several learners' stacks (${learners.join(', ')}): pass --learner <name>.`);
  } else if (!hasPlain) {
    throw new Error(
      `The stack outputs hold none of the workbook's stacks (${options.scenarioStacks.join(', ')}): is it the right file?`,
    );
  }
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  return {
    kind: 'aws',
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    stacks: options.outputs.stacks,
    ...(stackName ? { stackName } : {}),
  };
}

/**
 * A local-cloud target from a stack outputs file written by `npm start`, signing with the cloud's
 * admin keys (a secret of the machine: the cloud keeps them in its data directory).
 */
export function localTarget(
  outputs: StackOutputsFile,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  endpoint = outputs.endpoint,
): Target {
  if (!endpoint) throw new Error('A local target needs the local cloud endpoint.');
  return {
    kind: 'local',
    region: outputs.region,
    endpoint,
    credentials,
    stacks: outputs.stacks,
    ...(outputs.resources ? { resources: outputs.resources } : {}),
  };
}
