import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../../../site/server/http.ts';
import { setWorkbenchRuntime, workbenchRuntime } from '../../../site/server/runtime.ts';
import { requireRuntime, sessionInfo } from '../../../site/server/session.ts';

afterEach(() => setWorkbenchRuntime(undefined));

describe('the session', () => {
  it('is a 503 saying to run npm start when no runtime was handed over (astro dev)', () => {
    setWorkbenchRuntime(undefined);
    let error: unknown;
    try {
      requireRuntime();
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, code: 'NoRuntime' });
    expect((error as Error).message).toContain('npm start');
  });

  it('hands out the token and the target, with the endpoint only when one overrides AWS’s own', () => {
    const local = {
      kind: 'local' as const,
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4566',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
      stacks: {},
    };
    setWorkbenchRuntime({ token: 't0ken', root: '/project', target: () => local });
    expect(workbenchRuntime()?.token).toBe('t0ken');
    expect(sessionInfo(requireRuntime())).toEqual({
      token: 't0ken',
      target: { kind: 'local', region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' },
    });
    const { endpoint: _none, ...real } = local;
    const aws = { ...real, kind: 'aws' as const, region: 'eu-west-1' };
    expect(sessionInfo({ token: 't', root: '/', target: () => aws }).target).toEqual({
      kind: 'aws',
      region: 'eu-west-1',
    });
    // The local cloud standing in for AWS (tests, demos): the browser's mobile client must call it too.
    const standIn = { ...aws, endpoint: 'http://127.0.0.1:4599' };
    expect(sessionInfo({ token: 't', root: '/', target: () => standIn }).target).toEqual({
      kind: 'aws',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4599',
    });
  });
});
