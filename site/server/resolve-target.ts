// One way for every command (`npm start`, `npm run check`, `npm run verify`) to decide what it
// drives: the local cloud from the outputs `npm start` wrote, or a deployed sandbox on AWS with the
// learner's own credentials (the SDK's chain: env, profile, SSO).
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { SCENARIOS } from '../../scenarios/catalog.ts';
import type { TargetKind } from '../lib/workbench-api.ts';
import { explainAwsError } from './aws-errors.ts';
import { awsTarget, clientConfig, localTarget, readStackOutputs, type Target } from './target.ts';

export interface TargetChoice {
  /** @default what the outputs file says (`npm start` writes `local`, `cdk deploy --outputs-file` implies `aws`) */
  readonly kind?: TargetKind;
  readonly stackOutputs: string;
  /** Endpoint override: the local cloud, or the local cloud standing in for AWS in tests. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly learner?: string;
  /**
   * The local cloud's admin keys (tools read them from its data directory), for a local target: a
   * provider, so that a cloud that is not running is reported before keys that are missing.
   */
  readonly localCredentials?: AwsCredentialIdentityProvider;
}

export const SCENARIO_STACKS = Object.values(SCENARIOS).map((scenario) => scenario.stack);

/** The target a command was asked for; throws with a message a learner can act on. */
export function resolveTarget(choice: TargetChoice): Target {
  const outputs = readStackOutputs(choice.stackOutputs);
  const kind = choice.kind ?? outputs.target;
  if (kind === 'local') {
    const endpoint = choice.endpoint ?? outputs.endpoint;
    if (!endpoint) throw new Error(`${choice.stackOutputs} names no local cloud endpoint: pass --endpoint.`);
    if (choice.localCredentials === undefined) throw new Error("A local target needs the local cloud's admin keys.");
    return localTarget(outputs, choice.localCredentials, endpoint);
  }
  return awsTarget({
    outputs,
    scenarioStacks: SCENARIO_STACKS,
    ...(choice.region ? { region: choice.region } : {}),
    ...(choice.endpoint ? { endpoint: choice.endpoint } : {}),
    ...(choice.learner ? { learner: choice.learner } : {}),
  });
}

/**
 * Asks AWS who the credentials belong to (STS GetCallerIdentity), so a missing or expired sign-in
 * is reported once, up front, rather than by every request. Resolves with the caller's ARN.
 */
export async function checkAwsAccess(target: Target): Promise<string> {
  const sts = new STSClient(clientConfig(target));
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return identity.Arn ?? 'unknown caller';
  } catch (error) {
    throw new Error(
      explainAwsError(error, { target: 'aws', region: target.region, doing: 'checking your AWS credentials' }).message,
    );
  } finally {
    sts.destroy();
  }
}
