import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LambdaCloud, localCode, ROLE, startLambdaCloud } from '../../../../helpers/lambda-cloud.ts';

/** When an environment is frozen: after each invocation, unless the next one is already waiting for it. */
describe('Lambda execution environment pool: freezing between invocations', () => {
  let cloud: LambdaCloud;

  beforeAll(async () => {
    // One environment per function: concurrent invocations queue for it.
    cloud = await startLambdaCloud({ maxConcurrency: 1 });
    await cloud.client.send(
      new CreateFunctionCommand({
        FunctionName: 'counter',
        Runtime: 'nodejs22.x',
        Role: ROLE,
        Handler: 'counter.handler',
        Code: localCode(),
      }),
    );
  });
  afterAll(async () => {
    await cloud?.close();
  });

  it('freezes the environment after each invocation when none waits', async () => {
    // Act
    await cloud.service.invoke('counter', {});
    const [environment] = cloud.service.environments('counter');
    const before = environment!.freezes;
    await cloud.service.invoke('counter', {});
    await cloud.service.invoke('counter', {});

    // Assess
    expect(environment!.freezes).toBe(before + 2);
    expect(environment!.frozen).toBe(true);
  });

  it('hands the environment straight to invocations already waiting, and freezes it after the last', async () => {
    // Prepare
    const [environment] = cloud.service.environments('counter');
    const before = environment!.freezes;

    // Act: five at once on one environment: four wait for it
    const results = await Promise.all(Array.from({ length: 5 }, () => cloud.service.invoke('counter', {})));

    // Assess: every one ran on it, in turn; it was stopped once, when no invocation was left
    expect(results.every((result) => result.functionError === undefined)).toBe(true);
    expect(cloud.service.environments('counter')).toEqual([environment]);
    expect(environment!.freezes).toBe(before + 1);
    expect(environment!.frozen).toBe(true);
  });
});
