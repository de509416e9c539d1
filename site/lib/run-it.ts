// The lessons' "Run it" blocks: shell commands for the AWS CLI, rendered with the running
// workbook's own endpoint, keys file and deployed names (GET /api/run-it), or — when no workbook
// answers — with placeholders and a note to start it. Used by the page (RunIt.astro) and by the
// tests that run every rendered command with the AWS CLI.
//
// Every `aws` command carries `--endpoint-url`: the AWS CLI reads AWS_ENDPOINT_URL only from
// version 2.13 (and 1.29) on; older ones, Debian's and Ubuntu's awscli 2.9 among them, ignore it and
// would send the command to the learner's real AWS account.
// Source: https://aws.amazon.com/blogs/developer/new-improved-flexibility-when-configuring-endpoint-urls-with-the-aws-sdks-and-tools/
// ("you must have AWS CLI 1.29.0 or greater, or 2.13.0 or greater").

import type { TargetKind } from './workbench-api.ts';

/** The AWS CLI versions that read AWS_ENDPOINT_URL (older ones ignore it). */
export const ENDPOINT_ENV_CLI_VERSIONS = { v1: '1.29.0', v2: '2.13.0' } as const;

/** In a command template, `{{aws}}` stands for the AWS CLI pointed at the target. */
export const AWS_PLACEHOLDER = '{{aws}}';

/** What `GET /api/run-it` answers: where the commands go, and the deployed names per scenario. */
export interface RunItContext {
  readonly target: TargetKind;
  /** The local cloud's endpoint; absent for AWS. */
  readonly endpoint?: string;
  readonly region: string;
  /** The local cloud's admin keys file (absolute); absent for AWS, where the learner's own credentials sign. */
  readonly adminKeysFile?: string;
  /** The project folder (absolute): sample events and the sample photo are read from it. */
  readonly project: string;
  /** Scenario id → its stack's outputs (URLs in a form curl reaches), or undefined when not deployed. */
  readonly scenarios: Readonly<Record<string, Readonly<Record<string, string>> | undefined>>;
}

/** A rendered block: its text, and whether it works as printed (false: placeholders, copy is off). */
export interface RenderedRunIt {
  readonly text: string;
  readonly complete: boolean;
  /** Why the block is not complete, for the learner. */
  readonly missing?: string;
}

/** One POSIX shell word: single-quoted unless it is plainly safe. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The AWS CLI as the commands call it: with the local cloud's endpoint, or plain for AWS. */
function awsCommand(context: RunItContext | undefined): string {
  if (context === undefined) return 'aws --endpoint-url <endpoint>';
  return context.endpoint === undefined ? 'aws' : `aws --endpoint-url ${context.endpoint}`;
}

/** A command block of a lesson: its `{{aws}}` placeholders filled in. */
export function renderCommands(template: string, context: RunItContext | undefined): RenderedRunIt {
  const text = template
    .split(AWS_PLACEHOLDER)
    .join(awsCommand(context))
    .replace(/^\n+|\s+$/g, '');
  return context === undefined
    ? { text, complete: false, missing: 'Start the workbook (npm start) and reload to fill in your endpoint.' }
    : { text, complete: true };
}

/**
 * The block that comes first in a lesson's "Run it": the target, its credentials, a folder for the
 * files the commands write, and a shell variable per deployed name (`names`: variable → stack output).
 */
export function renderSetup(
  scenario: string,
  names: Readonly<Record<string, string>>,
  context: RunItContext | undefined,
): RenderedRunIt {
  const outputs = context?.scenarios[scenario];
  const lines: string[] = [];
  if (context === undefined) {
    lines.push(
      '# Start the workbook (npm start) and reload this page to fill in the <…> below.',
      'export AWS_ENDPOINT_URL=<endpoint> AWS_REGION=<region> AWS_DEFAULT_REGION=<region>',
      'export AWS_ACCESS_KEY_ID=<admin key id> AWS_SECRET_ACCESS_KEY=<admin secret key>',
      'PROJECT=<the project folder>',
    );
  } else {
    lines.push(
      context.adminKeysFile !== undefined
        ? '# Your workbook’s local cloud, and its admin keys (a secret of this machine)'
        : '# Your class sandbox on AWS, with your own credentials (AWS_PROFILE, SSO, …)',
      context.endpoint !== undefined
        ? `export AWS_ENDPOINT_URL=${context.endpoint} AWS_REGION=${context.region} AWS_DEFAULT_REGION=${context.region}`
        : `unset AWS_ENDPOINT_URL; export AWS_REGION=${context.region} AWS_DEFAULT_REGION=${context.region}`,
    );
    if (context.adminKeysFile !== undefined) {
      const keys = shellQuote(context.adminKeysFile);
      lines.push(
        `export AWS_ACCESS_KEY_ID="$(node -p 'require(process.argv[1]).accessKeyId' ${keys})"`,
        `export AWS_SECRET_ACCESS_KEY="$(node -p 'require(process.argv[1]).secretAccessKey' ${keys})"`,
      );
    }
    lines.push(`PROJECT=${shellQuote(context.project)}`);
  }
  lines.push('WORK="$(mktemp -d)"  # the files the commands write go here, not into the project');
  const unknown: string[] = [];
  for (const [variable, output] of Object.entries(names)) {
    const value = outputs?.[output];
    if (value === undefined) unknown.push(output);
    lines.push(`${variable}=${value === undefined ? `<${output}>` : shellQuote(value)}`);
  }
  if (context === undefined) {
    return {
      text: lines.join('\n'),
      complete: false,
      missing: 'Start the workbook (npm start) and reload to fill in your endpoint and the deployed names.',
    };
  }
  if (unknown.length > 0) {
    return {
      text: lines.join('\n'),
      complete: false,
      missing:
        outputs === undefined
          ? 'This scenario’s stack is not deployed (yet): see the output of npm start.'
          : `The deployed stack has no output ${unknown.join(', ')}.`,
    };
  }
  return { text: lines.join('\n'), complete: true };
}
