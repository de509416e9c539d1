// What the runtime attack suites share: a Lambda cloud per isolation mode, handler code deployed as
// a zip through the public API (real LambdaClient, SigV4 edge), invoked through the public API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LogType } from '@aws-sdk/client-lambda';
import { probeWall } from '../../infra/local/lambda/runtime/sandbox.ts';
import { decode, type LambdaCloud, ROLE, startLambdaCloud, zipOf } from '../helpers/lambda-cloud.ts';

/** True where bubblewrap can build the wall (CI installs it). */
export const WALL_AVAILABLE = probeWall().bwrap !== undefined;

/** The seat belt is tested everywhere; the wall (with the seat belt inside it) where it exists. */
export const MODES: readonly ('node' | 'bwrap')[] = WALL_AVAILABLE ? ['node', 'bwrap'] : ['node'];

export type AttackCloud = LambdaCloud;

export const startAttackCloud = (
  sandbox: 'node' | 'bwrap',
  options: Parameters<typeof startLambdaCloud>[0] = {},
): Promise<AttackCloud> => startLambdaCloud({ sandbox, ...options });

/** Deploys `source` as index.mjs (plus any other files) with CreateFunction and a ZipFile. */
export async function deployHandler(
  cloud: AttackCloud,
  name: string,
  source: string,
  extra: Record<string, unknown> = {},
  files: Record<string, string> = {},
): Promise<void> {
  await cloud.client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf({ 'index.mjs': source, ...files }) },
      Timeout: 10,
      ...extra,
    }),
  );
}

export interface Invocation {
  readonly functionError?: string;
  // biome-ignore lint/suspicious/noExplicitAny: handler results are free-form JSON
  readonly body: any;
  readonly log: string;
}

/** Invoke (RequestResponse, LogType Tail) through the public API. */
export async function invokeHandler(cloud: AttackCloud, name: string, payload: unknown = {}): Promise<Invocation> {
  const result = await cloud.client.send(
    new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload), LogType: LogType.Tail }),
  );
  return {
    functionError: result.FunctionError,
    body: JSON.parse(decode(result.Payload) || 'null'),
    log: Buffer.from(result.LogResult ?? '', 'base64').toString('utf8'),
  };
}

/** A fresh directory outside everything a function may touch, for marker files. */
export const markerDir = (): string => mkdtempSync(join(tmpdir(), 'attack-marker-'));

/** The cloud still answers: a plain function runs. */
export async function cloudStillAnswers(cloud: AttackCloud): Promise<boolean> {
  const name = 'canary';
  try {
    await deployHandler(cloud, name, 'export const handler = async (event) => ({ alive: event.n });');
  } catch (error) {
    if ((error as Error).name !== 'ResourceConflictException') throw error;
  }
  const n = Math.random();
  const { body } = await invokeHandler(cloud, name, { n });
  return body?.alive === n;
}
