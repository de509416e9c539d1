// The class sandbox on a real AWS account: `npm run sandbox:deploy -- -c learners=ada,grace`
// and `npm run sandbox:destroy -- -c learners=ada,grace` (pass the same context to both).
// Needs AWS credentials; never run in CI. See site/content/docs/instructors.mdx.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { sharpLayerPackages } from '../infra/cdk/constructs/sharp-layer.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CDK = fileURLToPath(new URL('../node_modules/aws-cdk/bin/cdk', import.meta.url));

export const NO_CREDENTIALS = `No AWS credentials found. The class sandbox deploys to a real AWS account; give the AWS SDK credentials one of these ways:
  • a named profile:   export AWS_PROFILE=my-class-account   (set it up with: aws configure --profile my-class-account)
  • IAM Identity Center (SSO):   aws configure sso   then   aws sso login --profile my-class-account   and export AWS_PROFILE=my-class-account
  • environment variables:   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)
Also set the region: export AWS_REGION=eu-west-1 (or a region in the profile).`;

export type CredentialCheck =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly message: string };

/** Resolves credentials the way the CDK CLI will (env, profile, SSO, process, container, instance). */
export async function checkCredentials(
  provider: AwsCredentialIdentityProvider = fromNodeProviderChain(),
): Promise<CredentialCheck> {
  try {
    const credentials = await provider();
    return { ok: true, accessKeyId: credentials.accessKeyId };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${NO_CREDENTIALS}\n(The SDK said: ${reason})` };
  }
}

export type SandboxCommand = 'deploy' | 'destroy';

/** The CDK CLI runs for a command: deploy bootstraps the account/region first (idempotent). */
export function cdkRuns(command: SandboxCommand, extraArgs: readonly string[]): string[][] {
  const common = ['--no-notices', ...extraArgs];
  if (command === 'deploy') {
    return [
      ['bootstrap', ...common],
      ['deploy', '--all', '--require-approval', 'never', '--outputs-file', 'cdk.out/sandbox-outputs.json', ...common],
    ];
  }
  return [['destroy', '--all', '--force', ...common]];
}

/** Runs the sandbox command; returns the exit code. */
export async function main(
  argv: readonly string[],
  { env = process.env, provider }: { env?: NodeJS.ProcessEnv; provider?: AwsCredentialIdentityProvider } = {},
): Promise<number> {
  const [command, ...extraArgs] = argv;
  if (command !== 'deploy' && command !== 'destroy') {
    console.error(
      `usage: node tools/sandbox.ts deploy|destroy [cdk options such as -c learners=ada,grace]; got '${command ?? ''}'`,
    );
    return 2;
  }
  if (env.CI) {
    console.error('sandbox:deploy and sandbox:destroy touch a real AWS account and never run in CI (CI is set).');
    return 2;
  }
  const credentials = await checkCredentials(provider);
  if (!credentials.ok) {
    console.error(credentials.message);
    return 2;
  }
  if (command === 'deploy') {
    const { missing } = sharpLayerPackages(`${ROOT}node_modules`);
    if (missing.length > 0) {
      console.error(
        `The thumbnail function's sharp layer needs ${missing.join(', ')} (Lambda runs linux-x64). Install them with:\n` +
          '  npm install --no-save --os=linux --cpu=x64 sharp',
      );
      return 2;
    }
  }
  console.log(`Using AWS credentials ${credentials.accessKeyId.slice(0, 4)}… for cdk ${command}.`);
  for (const args of cdkRuns(command, extraArgs)) {
    const run = spawnSync(process.execPath, [CDK, ...args], { cwd: ROOT, stdio: 'inherit', env });
    if (run.status !== 0) return run.status ?? 1;
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
