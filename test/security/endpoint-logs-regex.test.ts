// Attacks on CloudWatch Logs filter patterns: `%(a+)+$%` on a 31-character line used to freeze the
// whole cloud for half a minute (JavaScript's backtracking RegExp on the event loop). Regexes now
// run on RE2JS (linear in the line), `*` wildcards on a two-pointer glob, and `(`/`)` are refused as
// CloudWatch refuses them ("The ( and ) operators are not supported").
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../infra/local/cloud.ts';
import { clientConfig, expectCloudAnswers } from './endpoint-helpers.ts';

let cloud: LocalCloud;
let logs: CloudWatchLogsClient;
const GROUP = '/aws/lambda/redos';
const LINE = 'a'.repeat(31);
const LONG = 'a'.repeat(20_000);

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  logs = new CloudWatchLogsClient(clientConfig(cloud));
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's' }));
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: 's',
      logEvents: [
        { timestamp: now, message: LINE },
        { timestamp: now, message: `${LONG}!` },
        { timestamp: now, message: JSON.stringify({ field: LONG }) },
        { timestamp: now, message: 'INFO served in 12 ms' },
      ],
    }),
  );
});
afterAll(async () => {
  logs.destroy();
  await cloud.close();
});

/** Runs the filter while another request is sent; both must answer promptly. */
async function filterWhileOthersWait(filterPattern: string) {
  const started = performance.now();
  const filtering = logs
    .send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern }), {
      abortSignal: AbortSignal.timeout(10_000),
    })
    .then(
      (result) => ({ ok: true as const, messages: result.events?.map((event) => event.message) ?? [] }),
      (error: Error) => ({ ok: false as const, name: error.name, message: error.message }),
    );
  await expectCloudAnswers(cloud, 5000);
  const result = await filtering;
  return { result, ms: performance.now() - started };
}

describe('CloudWatch Logs filter patterns cannot freeze the cloud', () => {
  it('refuses %(a+)+$% as CloudWatch does (no subpatterns), at once', async () => {
    const { result } = await filterWhileOthersWait('%(a+)+$%');
    expect(result).toMatchObject({ ok: false, name: 'InvalidParameterException' });
    expect(result.ok === false && result.message).toContain("uses '(' or ')'");
  });

  it.each([
    ['stacked stars', '%a*a*a*a*a*a*a*a*a*a*a*a*a*a*b%'],
    ['stacked pluses', '%a+a+a+a+a+a+a+a+a+a+a+a+a+a+b%'],
    ['bounded repeats', '%a{1,30}a{1,30}a{1,30}a{1,30}a{1,30}b%'],
    ['alternation', '%a|aa|aaa|aaaa|aaaaa*b%'],
  ])('matches a backtracking trap (%s) in linear time while the cloud keeps answering', async (_name, pattern) => {
    const { result, ms } = await filterWhileOthersWait(pattern);
    expect(result.ok).toBe(true);
    expect(ms).toBeLessThan(5000);
  });

  it('a JSON value with many * wildcards against a 20,000-character field', async () => {
    const { result, ms } = await filterWhileOthersWait(`{ $.field = "${'*a'.repeat(14)}*b" }`);
    expect(result).toEqual({ ok: true, messages: [] });
    expect(ms).toBeLessThan(5000);
  });

  it('a space-delimited pattern with many wildcards', async () => {
    const { result } = await filterWhileOthersWait(`[first = "${'*a'.repeat(14)}*b"]`);
    expect(result).toEqual({ ok: true, messages: [] });
  });

  it('still matches what it should (RE2 keeps the documented syntax)', async () => {
    const { result } = await filterWhileOthersWait('%served in \\d+ ms%');
    expect(result).toEqual({ ok: true, messages: ['INFO served in 12 ms'] });
    const wildcard = await filterWhileOthersWait('{ $.field = "a*a" }');
    expect(wildcard.result).toEqual({ ok: true, messages: [JSON.stringify({ field: LONG })] });
  });
});
