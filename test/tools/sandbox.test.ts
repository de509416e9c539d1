import { afterEach, describe, expect, it, vi } from 'vitest';
import { cdkRuns, checkCredentials, main, NO_CREDENTIALS } from '../../tools/sandbox.ts';

const noCredentials = async () => {
  throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
};

afterEach(() => vi.restoreAllMocks());

describe('tools/sandbox.ts', () => {
  it('explains how to provide credentials (profile, SSO, environment) when there are none', async () => {
    const check = await checkCredentials(noCredentials);
    expect(check).toEqual({ ok: false, message: expect.stringContaining(NO_CREDENTIALS) });
    expect(NO_CREDENTIALS).toMatch(/AWS_PROFILE/);
    expect(NO_CREDENTIALS).toMatch(/aws sso login/);
    expect(NO_CREDENTIALS).toMatch(/AWS_ACCESS_KEY_ID/);
  });

  it('stops with that explanation before running the CDK', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['deploy'], { env: {}, provider: noCredentials })).toBe(2);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('No AWS credentials found'));
  });

  it('refuses to run in CI', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const provider = vi.fn(async () => ({ accessKeyId: 'AKIA', secretAccessKey: 'x' }));
    expect(await main(['destroy'], { env: { CI: 'true' }, provider })).toBe(2);
    expect(provider).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('never run in CI'));
  });

  it('rejects an unknown command', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['deploi'], { env: {} })).toBe(2);
  });

  it('bootstraps then deploys every stack, passing the context through; destroys without prompting', () => {
    expect(cdkRuns('deploy', ['-c', 'learners=ada'])).toEqual([
      ['bootstrap', '--no-notices', '-c', 'learners=ada'],
      [
        'deploy',
        '--all',
        '--require-approval',
        'never',
        '--outputs-file',
        'cdk.out/sandbox-outputs.json',
        '--no-notices',
        '-c',
        'learners=ada',
      ],
    ]);
    expect(cdkRuns('destroy', [])).toEqual([['destroy', '--all', '--force', '--no-notices']]);
  });
});
