// The lessons' "Run it" blocks as text: placeholders until a workbook answers, then the local
// cloud's endpoint on every AWS CLI call, the keys file, the deployed names — or, for a sandbox on
// AWS, the learner's own credentials and no endpoint. (That the rendered commands work is
// test/e2e/run-it.test.ts, with the real AWS CLI.)
import { describe, expect, it } from 'vitest';
import { type RunItContext, renderCommands, renderSetup, shellQuote } from '../../../site/lib/run-it.ts';

const local: RunItContext = {
  target: 'local',
  endpoint: 'http://127.0.0.1:45123',
  region: 'us-east-1',
  adminKeysFile: '/home/ada/my workbook/.data/admin-keys.json',
  project: '/home/ada/my workbook',
  scenarios: {
    thumbnails: { PhotosBucketName: 'lambdaworkbook-thumbnails-photos1a2b', ThumbnailFunctionName: 'Thumb-fn' },
  },
};

describe('Run it: command blocks', () => {
  it('points every AWS CLI call at the running local cloud with --endpoint-url', () => {
    const rendered = renderCommands('\n{{aws}} s3 ls\nID=$({{aws}} cognito-identity get-id)\n', local);
    expect(rendered).toEqual({
      text: 'aws --endpoint-url http://127.0.0.1:45123 s3 ls\nID=$(aws --endpoint-url http://127.0.0.1:45123 cognito-identity get-id)',
      complete: true,
    });
  });

  it('calls plain `aws` for a sandbox on AWS', () => {
    const { endpoint: _, adminKeysFile: __, ...aws } = local;
    expect(renderCommands('{{aws}} s3 ls', { ...aws, target: 'aws' }).text).toBe('aws s3 ls');
  });

  it('without a workbook, shows a placeholder endpoint and is not complete (no copy)', () => {
    const rendered = renderCommands('{{aws}} s3 ls', undefined);
    expect(rendered.text).toBe('aws --endpoint-url <endpoint> s3 ls');
    expect(rendered.complete).toBe(false);
    expect(rendered.missing).toMatch(/Start the workbook/);
  });
});

describe('Run it: the setup block', () => {
  it('exports the endpoint, reads the keys from the keys file, makes a temporary folder and sets the deployed names', () => {
    const rendered = renderSetup('thumbnails', { PHOTOS: 'PhotosBucketName', FN: 'ThumbnailFunctionName' }, local);
    expect(rendered.complete).toBe(true);
    expect(rendered.text.split('\n').slice(1)).toEqual([
      'export AWS_ENDPOINT_URL=http://127.0.0.1:45123 AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1',
      `export AWS_ACCESS_KEY_ID="$(node -p 'require(process.argv[1]).accessKeyId' '/home/ada/my workbook/.data/admin-keys.json')"`,
      `export AWS_SECRET_ACCESS_KEY="$(node -p 'require(process.argv[1]).secretAccessKey' '/home/ada/my workbook/.data/admin-keys.json')"`,
      "PROJECT='/home/ada/my workbook'",
      'WORK="$(mktemp -d)"  # the files the commands write go here, not into the project',
      'PHOTOS=lambdaworkbook-thumbnails-photos1a2b',
      'FN=Thumb-fn',
    ]);
  });

  it('names an output the stack does not have, and is not complete', () => {
    const rendered = renderSetup('thumbnails', { THUMBS: 'ThumbnailsBucketName' }, local);
    expect(rendered.complete).toBe(false);
    expect(rendered.text).toContain('THUMBS=<ThumbnailsBucketName>');
    expect(rendered.missing).toBe('The deployed stack has no output ThumbnailsBucketName.');
  });

  it('says so when the scenario is not deployed', () => {
    const rendered = renderSetup('web-backend', { API: 'ApiUrl' }, local);
    expect(rendered.complete).toBe(false);
    expect(rendered.missing).toMatch(/not deployed/);
  });

  it('for a sandbox on AWS: no endpoint (unset), no admin keys, the learner’s names', () => {
    const aws: RunItContext = {
      target: 'aws',
      region: 'eu-west-1',
      project: '/p',
      scenarios: { thumbnails: { PhotosBucketName: 'ada-photos' } },
    };
    const rendered = renderSetup('thumbnails', { PHOTOS: 'PhotosBucketName' }, aws);
    expect(rendered.complete).toBe(true);
    expect(rendered.text).toContain('unset AWS_ENDPOINT_URL; export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1');
    expect(rendered.text).not.toContain('AWS_ACCESS_KEY_ID');
    expect(rendered.text).toContain('PHOTOS=ada-photos');
  });

  it('without a workbook: placeholders and the instruction to start it', () => {
    const rendered = renderSetup('thumbnails', { PHOTOS: 'PhotosBucketName' }, undefined);
    expect(rendered.complete).toBe(false);
    expect(rendered.text).toContain('PHOTOS=<PhotosBucketName>');
    expect(rendered.text).toContain('<endpoint>');
  });
});

describe('shellQuote', () => {
  it.each([
    ['plain-name_1.json', 'plain-name_1.json'],
    ['/a path/with space', "'/a path/with space'"],
    ["it's", `'it'\\''s'`],
    ['$HOME', "'$HOME'"],
  ])('%s → %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted);
  });
});
