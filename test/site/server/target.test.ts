import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../scenarios/catalog.ts';
import {
  awsTarget,
  clientConfig,
  learnersIn,
  localTarget,
  parseStackOutputs,
  stackOutputs,
} from '../../../site/server/target.ts';

const STACKS = Object.values(SCENARIOS).map((scenario) => scenario.stack);

describe('stack outputs files', () => {
  it('reads the file npm start writes', () => {
    const parsed = parseStackOutputs(
      JSON.stringify({
        target: 'local',
        endpoint: 'http://127.0.0.1:4566',
        region: 'us-east-1',
        stacks: { 'LambdaWorkbook-Thumbnails': { PhotosBucketName: 'photos' } },
      }),
      'outputs.json',
    );
    expect(parsed).toEqual({
      target: 'local',
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      stacks: { 'LambdaWorkbook-Thumbnails': { PhotosBucketName: 'photos' } },
    });
    expect(
      stackOutputs(
        localTarget(parsed, { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' }),
        'LambdaWorkbook-Thumbnails',
      ),
    ).toEqual({ PhotosBucketName: 'photos' });
  });

  it('reads the file `cdk deploy --outputs-file` writes, as an AWS target with no region of its own', () => {
    const parsed = parseStackOutputs(
      JSON.stringify({ 'LambdaWorkbook-Thumbnails': { PhotosBucketName: 'photos-abc' } }),
      'sandbox-outputs.json',
    );
    expect(parsed).toEqual({
      target: 'aws',
      region: '',
      stacks: { 'LambdaWorkbook-Thumbnails': { PhotosBucketName: 'photos-abc' } },
    });
  });

  it.each([
    ['not JSON', '{', /outputs\.json is not JSON/],
    ['an array', '[]', /expected a JSON object/],
    ['an empty object', '{}', /not a stack outputs file/],
    ['outputs that are not strings', '{"S": {"K": 1}}', /not a stack outputs file/],
    ['a bad stacks field', '{"stacks": [1]}', /"stacks" must map stack names/],
  ])('refuses %s with a clear message', (_what, text, message) => {
    expect(() => parseStackOutputs(text, 'outputs.json')).toThrow(message);
  });
});

describe('AWS targets', () => {
  const single = parseStackOutputs(JSON.stringify({ 'LambdaWorkbook-Thumbnails': { PhotosBucketName: 'p' } }), 'f');
  const klass = parseStackOutputs(
    JSON.stringify({
      'LambdaWorkbook-Class': { adaRoleArn: 'arn:aws:iam::1:role/ada' },
      'LambdaWorkbook-ada-Thumbnails': { PhotosBucketName: 'ada-photos' },
      'LambdaWorkbook-grace-Thumbnails': { PhotosBucketName: 'grace-photos' },
      'LambdaWorkbook-grace-WebBackend': { ApiUrl: 'https://x' },
    }),
    'f',
  );

  it('finds the learners of a class sandbox', () => {
    expect(learnersIn(klass, STACKS)).toEqual(['ada', 'grace']);
    expect(learnersIn(single, STACKS)).toEqual([]);
  });

  it('uses the plain stacks of a single sandbox, with the region given', () => {
    const target = awsTarget({ outputs: single, scenarioStacks: STACKS, region: 'eu-west-1', endpoint: undefined });
    expect(target.kind).toBe('aws');
    expect(target.region).toBe('eu-west-1');
    expect(stackOutputs(target, 'LambdaWorkbook-Thumbnails')).toEqual({ PhotosBucketName: 'p' });
  });

  it("maps each scenario to the chosen learner's copy", () => {
    const target = awsTarget({ outputs: klass, scenarioStacks: STACKS, region: 'eu-west-1', learner: 'grace' });
    expect(stackOutputs(target, 'LambdaWorkbook-Thumbnails')).toEqual({ PhotosBucketName: 'grace-photos' });
    expect(stackOutputs(target, 'LambdaWorkbook-MobileClicks')).toBeUndefined();
  });

  it('asks which learner when the outputs hold several, and refuses an unknown one', () => {
    expect(() => awsTarget({ outputs: klass, scenarioStacks: STACKS, region: 'eu-west-1' })).toThrow(
      /several learners' stacks \(ada, grace\): pass --learner/,
    );
    expect(() => awsTarget({ outputs: klass, scenarioStacks: STACKS, region: 'eu-west-1', learner: 'linus' })).toThrow(
      /no stacks of learner 'linus' \(learners: ada, grace\)/,
    );
  });

  it('refuses outputs without any workbook stack, and a missing region', () => {
    const other = parseStackOutputs(JSON.stringify({ SomethingElse: { A: 'b' } }), 'f');
    expect(() => awsTarget({ outputs: other, scenarioStacks: STACKS, region: 'eu-west-1' })).toThrow(
      /none of the workbook's stacks/,
    );
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => awsTarget({ outputs: single, scenarioStacks: STACKS })).toThrow(/No AWS region/);
    } finally {
      for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
    }
  });

  it('gives SDK clients path-style addressing only with an endpoint override', () => {
    const local = clientConfig(
      awsTarget({ outputs: single, scenarioStacks: STACKS, region: 'eu-west-1', endpoint: 'http://127.0.0.1:1' }),
    );
    expect(local).toMatchObject({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true });
    const saved = process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL;
    try {
      const real = clientConfig(awsTarget({ outputs: single, scenarioStacks: STACKS, region: 'eu-west-1' }));
      expect(real).toEqual({ region: 'eu-west-1', maxAttempts: 2 });
    } finally {
      if (saved !== undefined) process.env.AWS_ENDPOINT_URL = saved;
    }
  });
});
