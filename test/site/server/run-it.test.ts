// GET /api/run-it's answer: the target's endpoint and region, the keys file only for the local
// cloud, every scenario's outputs (undefined when not deployed), an HTTP API's local URL in the path
// form any curl reaches.
import { describe, expect, it } from 'vitest';
import { runItContext } from '../../../site/server/run-it.ts';
import type { WorkbenchRuntime } from '../../../site/server/runtime.ts';
import type { Target } from '../../../site/server/target.ts';

const runtime = (target: Target, adminKeysFile?: string): WorkbenchRuntime => ({
  token: 't',
  root: '/project',
  target: () => target,
  ...(adminKeysFile ? { adminKeysFile } : {}),
});

describe('runItContext', () => {
  it('for the local cloud: endpoint, keys file, outputs with the API in its path form', () => {
    const context = runItContext(
      runtime(
        {
          kind: 'local',
          region: 'us-east-1',
          endpoint: 'http://127.0.0.1:4999',
          stacks: {
            'LambdaWorkbook-WebBackend': { ApiUrl: 'http://abc123.execute-api.localhost:4999/', ApiFunctionName: 'fn' },
          },
        },
        '/data/admin-keys.json',
      ),
    );
    expect(context).toEqual({
      target: 'local',
      endpoint: 'http://127.0.0.1:4999',
      region: 'us-east-1',
      adminKeysFile: '/data/admin-keys.json',
      project: '/project',
      scenarios: {
        thumbnails: undefined,
        'stream-metrics': undefined,
        'web-backend': { ApiUrl: 'http://127.0.0.1:4999/_aws/execute-api/abc123', ApiFunctionName: 'fn' },
        'mobile-clicks': undefined,
      },
    });
  });

  it('for a sandbox on AWS: no endpoint, no keys file, the learner’s stacks', () => {
    const context = runItContext(
      runtime(
        {
          kind: 'aws',
          region: 'eu-west-1',
          stacks: { 'LambdaWorkbook-ada-Thumbnails': { PhotosBucketName: 'ada-photos' } },
          stackName: (stack) => stack.replace('LambdaWorkbook-', 'LambdaWorkbook-ada-'),
        },
        '/data/admin-keys.json',
      ),
    );
    expect(context.endpoint).toBeUndefined();
    expect(context.adminKeysFile).toBeUndefined();
    expect(context.scenarios.thumbnails).toEqual({ PhotosBucketName: 'ada-photos' });
  });
});
