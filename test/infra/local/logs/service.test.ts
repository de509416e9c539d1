import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type InputLogEvent,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../../../infra/local/cloud.ts';

const REGION = 'us-east-1';
const ARN = `arn:aws:logs:${REGION}:000000000000:log-group`;

let cloud: LocalCloud;
let logs: CloudWatchLogsClient;
let counter = 0;
/** A log group name unique within the run. */
const groupName = (prefix = '/test/group') => `${prefix}-${process.pid}-${++counter}`;

/** The CloudWatch Logs error a command fails with (fails the test when it succeeds). */
async function failure(promise: Promise<unknown>): Promise<CloudWatchLogsServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CloudWatchLogsServiceException))
    throw new Error(`expected a Logs error, got ${String(error)}`);
  return error;
}

async function groupWithStreams(...streams: string[]): Promise<string> {
  const name = groupName();
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  for (const stream of streams)
    await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
  return name;
}

async function put(logGroupName: string, logStreamName: string, logEvents: InputLogEvent[]) {
  return logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));
}

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, inMemory: true });
  logs = new CloudWatchLogsClient({
    endpoint: cloud.endpoint,
    region: REGION,
    credentials: cloud.adminCredentials,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  logs?.destroy();
  await cloud?.close();
});

describe('log groups', () => {
  it('creates a group and describes it as AWS does', async () => {
    // GIVEN a new log group
    const name = groupName();
    const before = Date.now();
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { team: 'workbook' } }));
    // WHEN it is described
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    // THEN it has AWS's members: the ARN with `:*`, logGroupArn without, no retention (never expire)
    expect(logGroups).toEqual([
      {
        logGroupName: name,
        creationTime: expect.any(Number),
        metricFilterCount: 0,
        arn: `${ARN}:${name}:*`,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: `${ARN}:${name}`,
      },
    ]);
    expect(logGroups?.[0]?.creationTime).toBeGreaterThanOrEqual(before - 1);
  });

  it('refuses a name that is taken, and one that breaks the name pattern', async () => {
    const name = groupName();
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const taken = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: name })));
    expect(taken.name).toBe('ResourceAlreadyExistsException');
    expect(taken.message).toBe('The specified log group already exists');
    const bad = await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toBe(
      "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  });

  it('lists groups by prefix, 2 at a time, with nextToken', async () => {
    // GIVEN five groups under one prefix
    const prefix = groupName('/paged');
    const names = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `${prefix}/${suffix}`);
    for (const name of [...names].reverse()) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    // WHEN paging with limit 2
    const pages: string[][] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: prefix, limit: 2 })) {
      pages.push((page.logGroups ?? []).map((group) => group.logGroupName!));
    }
    // THEN every group comes once, in name order, in pages of at most 2
    expect(pages).toEqual([names.slice(0, 2), names.slice(2, 4), names.slice(4)]);
    const tooMany = await failure(logs.send(new DescribeLogGroupsCommand({ limit: 51 })));
    expect(tooMany.name).toBe('InvalidParameterException');
    expect(tooMany.message).toBe(
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    const badToken = await failure(logs.send(new DescribeLogGroupsCommand({ nextToken: 'nonsense' })));
    expect(badToken.name).toBe('InvalidParameterException');
  });

  it('sets and removes a retention policy; refuses a period AWS does not offer', async () => {
    const name = groupName();
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 7 }));
    let [group] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
    expect(group?.retentionInDays).toBe(7);
    const bad = await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 2 })));
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toMatch(
      /^1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5, 7, 14, .*3653\]$/,
    );
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
    [group] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups ?? [];
    expect(group).not.toHaveProperty('retentionInDays');
    const missing = await failure(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: `${name}-missing`, retentionInDays: 1 })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('The specified log group does not exist.');
  });

  it('drops events older than the retention period', async () => {
    const name = await groupWithStreams('s');
    const now = Date.now();
    await put(name, 's', [{ timestamp: now - 3 * 86_400_000, message: 'three days old' }]);
    await put(name, 's', [{ timestamp: now, message: 'fresh' }]);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: 1 }));
    const { events } = await logs.send(
      new GetLogEventsCommand({ logGroupName: name, logStreamName: 's', startFromHead: true }),
    );
    expect(events?.map((event) => event.message)).toEqual(['fresh']);
    // and a new event older than the retention is rejected as expired
    const result = await put(name, 's', [{ timestamp: now - 2 * 86_400_000, message: 'too late' }]);
    expect(result.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
  });

  it('deletes a group with its streams; a missing one is ResourceNotFoundException', async () => {
    const name = await groupWithStreams('s');
    await put(name, 's', [{ timestamp: Date.now(), message: 'bye' }]);
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups).toEqual([]);
    const again = await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: name })));
    expect(again.name).toBe('ResourceNotFoundException');
    expect(again.message).toBe('The specified log group does not exist.');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: name }))).logStreams).toEqual([]);
  });
});

describe('log streams', () => {
  it('creates streams, refuses duplicates and streams in missing groups', async () => {
    const name = await groupWithStreams('one');
    const duplicate = await failure(
      logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 'one' })),
    );
    expect(duplicate.name).toBe('ResourceAlreadyExistsException');
    expect(duplicate.message).toBe('The specified log stream already exists');
    const noGroup = await failure(
      logs.send(new CreateLogStreamCommand({ logGroupName: `${name}-nope`, logStreamName: 'one' })),
    );
    expect(noGroup.name).toBe('ResourceNotFoundException');
    expect(noGroup.message).toBe('The specified log group does not exist.');
    const colon = await failure(logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 'a:b' })));
    expect(colon.name).toBe('InvalidParameterException');
    expect(colon.message).toContain('Member must satisfy regular expression pattern: [^:*]*');
  });

  it('describes streams by name (prefix, descending, pages) and by last event time', async () => {
    // GIVEN three streams, written to in the order b, c, a
    const name = await groupWithStreams('app/a', 'app/b', 'app/c', 'other');
    const now = Date.now();
    await put(name, 'app/b', [{ timestamp: now - 3000, message: 'b' }]);
    await put(name, 'app/c', [{ timestamp: now - 2000, message: 'c' }]);
    await put(name, 'app/a', [
      { timestamp: now - 1500, message: 'a1' },
      { timestamp: now - 1000, message: 'a2' },
    ]);
    // WHEN / THEN by name with a prefix, descending
    const byName = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: name, logStreamNamePrefix: 'app/', descending: true }),
    );
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['app/c', 'app/b', 'app/a']);
    const a = byName.logStreams?.[2];
    expect(a).toEqual({
      logStreamName: 'app/a',
      creationTime: expect.any(Number),
      firstEventTimestamp: now - 1500,
      lastEventTimestamp: now - 1000,
      lastIngestionTime: expect.any(Number),
      uploadSequenceToken: expect.stringMatching(/^\d{56}$/),
      arn: `${ARN}:${name}:log-stream:app/a`,
      storedBytes: 0,
    });
    // by last event time, newest first, one per page
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: name,
          orderBy: 'LastEventTime',
          descending: true,
          limit: 1,
          nextToken,
        }),
      );
      seen.push(...(page.logStreams ?? []).map((s) => s.logStreamName!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(['app/a', 'app/c', 'app/b', 'other']);
    const both = await failure(
      logs.send(
        new DescribeLogStreamsCommand({ logGroupName: name, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' }),
      ),
    );
    expect(both.name).toBe('InvalidParameterException');
    expect(both.message).toBe('Cannot order by LastEventTime with a logStreamNamePrefix.');
    const viaArn = await logs.send(
      new DescribeLogStreamsCommand({ logGroupIdentifier: `${ARN}:${name}`, logStreamNamePrefix: 'other' }),
    );
    expect(viaArn.logStreams?.map((s) => s.logStreamName)).toEqual(['other']);
  });

  it('deletes a stream and its events', async () => {
    const name = await groupWithStreams('gone', 'kept');
    await put(name, 'gone', [{ timestamp: Date.now(), message: 'x' }]);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: name, logStreamName: 'gone' }));
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: name }));
    expect(logStreams?.map((s) => s.logStreamName)).toEqual(['kept']);
    const again = await failure(logs.send(new DeleteLogStreamCommand({ logGroupName: name, logStreamName: 'gone' })));
    expect(again.name).toBe('ResourceNotFoundException');
    expect(again.message).toBe('The specified log stream does not exist.');
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: name }))).events).toEqual([]);
  });
});

describe('PutLogEvents', () => {
  it('stores a batch and answers a sequence token', async () => {
    const name = await groupWithStreams('s');
    const result = await put(name, 's', [{ timestamp: Date.now(), message: 'hello' }]);
    expect(result.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(result.rejectedLogEventsInfo).toBeUndefined();
    const missing = await failure(put(name, 'nope', [{ timestamp: Date.now(), message: 'x' }]));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('The specified log stream does not exist.');
  });

  it('refuses a batch out of chronological order, too large, or spanning more than 24 hours', async () => {
    const name = await groupWithStreams('s');
    const now = Date.now();
    const unordered = await failure(
      put(name, 's', [
        { timestamp: now, message: 'second' },
        { timestamp: now - 1, message: 'first' },
      ]),
    );
    expect(unordered.name).toBe('InvalidParameterException');
    expect(unordered.message).toBe('Log events in a single PutLogEvents request must be in chronological order.');
    // 2 × (524,288 + 26) bytes > 1,048,576
    const half = 'x'.repeat(524_288);
    const large = await failure(
      put(name, 's', [
        { timestamp: now, message: half },
        { timestamp: now, message: half },
      ]),
    );
    expect(large.name).toBe('InvalidParameterException');
    expect(large.message).toBe('Upload too large: 1048628 bytes exceeds limit of 1048576');
    const span = await failure(
      put(name, 's', [
        { timestamp: now - 25 * 3_600_000, message: 'yesterday' },
        { timestamp: now, message: 'today' },
      ]),
    );
    expect(span.name).toBe('InvalidParameterException');
    expect(span.message).toBe(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    const empty = await failure(put(name, 's', [{ timestamp: now, message: '' }]));
    expect(empty.name).toBe('InvalidParameterException');
    expect(empty.message).toBe(
      "1 validation error detected: Value '' at 'logEvents.1.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: name }))).events).toEqual([]);
  });

  it('keeps the valid events and reports those too old and too new in rejectedLogEventsInfo', async () => {
    const name = await groupWithStreams('s');
    const now = Date.now();
    const result = await put(name, 's', [
      { timestamp: now - 15 * 86_400_000, message: 'too old' },
      { timestamp: now, message: 'kept' },
      { timestamp: now + 3 * 3_600_000, message: 'too new' },
    ]);
    expect(result.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 2 });
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: name }));
    expect(events?.map((event) => event.message)).toEqual(['kept']);
  });
});

describe('GetLogEvents', () => {
  const now = Date.now();
  let name: string;
  beforeAll(async () => {
    name = await groupWithStreams('s');
    // two batches, the second earlier than the first: events sort by timestamp
    await put(
      name,
      's',
      [5, 6, 7, 8, 9].map((i) => ({ timestamp: now - 10_000 + i * 1000, message: `event ${i}` })),
    );
    await put(
      name,
      's',
      [0, 1, 2, 3, 4].map((i) => ({ timestamp: now - 10_000 + i * 1000, message: `event ${i}` })),
    );
  });

  it('pages forward from the head until the same token comes back', async () => {
    const messages: string[] = [];
    let token: string | undefined;
    for (let round = 0; round < 10; round += 1) {
      const page = await logs.send(
        new GetLogEventsCommand({
          logGroupName: name,
          logStreamName: 's',
          startFromHead: true,
          limit: 4,
          nextToken: token,
        }),
      );
      expect(page.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
      expect(page.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
      messages.push(...(page.events ?? []).map((event) => event.message!));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(messages).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `event ${i}`));
  });

  it('returns the latest events first by default, and pages backward', async () => {
    const latest = await logs.send(new GetLogEventsCommand({ logGroupName: name, logStreamName: 's', limit: 3 }));
    expect(latest.events?.map((event) => event.message)).toEqual(['event 7', 'event 8', 'event 9']);
    expect(latest.events?.[0]).toEqual({
      timestamp: now - 3000,
      message: 'event 7',
      ingestionTime: expect.any(Number),
    });
    const before = await logs.send(
      new GetLogEventsCommand({
        logGroupName: name,
        logStreamName: 's',
        limit: 3,
        nextToken: latest.nextBackwardToken,
      }),
    );
    expect(before.events?.map((event) => event.message)).toEqual(['event 4', 'event 5', 'event 6']);
    // forward from the latest page: nothing yet, and the same token again
    const after = await logs.send(
      new GetLogEventsCommand({ logGroupName: name, logStreamName: 's', nextToken: latest.nextForwardToken }),
    );
    expect(after.events).toEqual([]);
    expect(after.nextForwardToken).toBe(latest.nextForwardToken);
    // … until a new event arrives
    await put(name, 's', [{ timestamp: Date.now(), message: 'event 10' }]);
    const newer = await logs.send(
      new GetLogEventsCommand({ logGroupName: name, logStreamName: 's', nextToken: latest.nextForwardToken }),
    );
    expect(newer.events?.map((event) => event.message)).toEqual(['event 10']);
  });

  it('honours startTime (inclusive) and endTime (exclusive)', async () => {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: name,
        logStreamName: 's',
        startFromHead: true,
        startTime: now - 8000,
        endTime: now - 5000,
      }),
    );
    expect(page.events?.map((event) => event.message)).toEqual(['event 2', 'event 3', 'event 4']);
  });

  it('refuses a token it did not issue, and a missing stream', async () => {
    const bad = await failure(
      logs.send(new GetLogEventsCommand({ logGroupName: name, logStreamName: 's', nextToken: 'f/123/s' })),
    );
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toBe('The specified nextToken is invalid.');
    const missing = await failure(logs.send(new GetLogEventsCommand({ logGroupName: name, logStreamName: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('The specified log stream does not exist.');
    const noGroup = await failure(
      logs.send(new GetLogEventsCommand({ logGroupName: `${name}-nope`, logStreamName: 's' })),
    );
    expect(noGroup.message).toBe('The specified log group does not exist.');
  });
});

describe('FilterLogEvents', () => {
  const now = Date.now();
  let name: string;
  beforeAll(async () => {
    name = await groupWithStreams('web/1', 'web/2', 'worker');
    await put(name, 'web/1', [
      { timestamp: now - 5000, message: 'ERROR disk full' },
      { timestamp: now - 3000, message: 'INFO request served in 12 ms' },
      { timestamp: now - 1000, message: '{"level":"warn","status":503,"user":{"id":"ada"}}' },
    ]);
    await put(name, 'web/2', [
      { timestamp: now - 4000, message: 'WARN slow request' },
      { timestamp: now - 2000, message: '2024-05-01T00:00:00.000Z\tabc\tINFO\t{"level":"info","status":200}' },
    ]);
    await put(name, 'worker', [{ timestamp: now - 4500, message: 'ERROR job failed: Exception in thread' }]);
  });

  const filter = async (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>) =>
    (await logs.send(new FilterLogEventsCommand({ logGroupName: name, ...input }))).events?.map((e) => e.message);

  it('interleaves every stream in timestamp order, with AWS’s members', async () => {
    const result = await logs.send(new FilterLogEventsCommand({ logGroupName: name }));
    expect(result.events?.map((e) => e.logStreamName)).toEqual(['web/1', 'worker', 'web/2', 'web/1', 'web/2', 'web/1']);
    expect(result.events?.[0]).toEqual({
      logStreamName: 'web/1',
      timestamp: now - 5000,
      message: 'ERROR disk full',
      ingestionTime: expect.any(Number),
      eventId: expect.stringMatching(/^\d{56}$/),
    });
    expect(result.searchedLogStreams).toEqual([]);
    expect(result.nextToken).toBeUndefined();
  });

  it('narrows by stream names, a stream prefix and a time range', async () => {
    expect(await filter({ logStreamNames: ['worker'] })).toEqual(['ERROR job failed: Exception in thread']);
    expect(await filter({ logStreamNamePrefix: 'web/', startTime: now - 4000, endTime: now - 2000 })).toEqual([
      'WARN slow request',
      'INFO request served in 12 ms',
      '2024-05-01T00:00:00.000Z\tabc\tINFO\t{"level":"info","status":200}',
    ]);
    const both = await failure(
      logs.send(
        new FilterLogEventsCommand({ logGroupName: name, logStreamNames: ['worker'], logStreamNamePrefix: 'w' }),
      ),
    );
    expect(both.name).toBe('InvalidParameterException');
  });

  it('matches terms, quoted phrases, ?alternatives and -exclusions', async () => {
    expect(await filter({ filterPattern: 'ERROR' })).toEqual([
      'ERROR disk full',
      'ERROR job failed: Exception in thread',
    ]);
    expect(await filter({ filterPattern: 'ERROR disk' })).toEqual(['ERROR disk full']);
    expect(await filter({ filterPattern: '"job failed: Exception"' })).toEqual([
      'ERROR job failed: Exception in thread',
    ]);
    expect(await filter({ filterPattern: '?WARN ?disk' })).toEqual(['ERROR disk full', 'WARN slow request']);
    expect(await filter({ filterPattern: 'ERROR -disk' })).toEqual(['ERROR job failed: Exception in thread']);
    expect(await filter({ filterPattern: 'error' })).toEqual([]); // case-sensitive
    expect(await filter({ filterPattern: '%served in \\d+ ms%' })).toEqual(['INFO request served in 12 ms']);
  });

  it('matches JSON patterns, also behind Lambda’s timestamp and request id', async () => {
    expect(await filter({ filterPattern: '{ $.level = "warn" }' })).toEqual([
      '{"level":"warn","status":503,"user":{"id":"ada"}}',
    ]);
    expect(await filter({ filterPattern: '{ $.status >= 200 && $.status < 300 }' })).toEqual([
      '2024-05-01T00:00:00.000Z\tabc\tINFO\t{"level":"info","status":200}',
    ]);
    expect(await filter({ filterPattern: '{ $.user.id = ad* || $.level = info }' })).toHaveLength(2);
    expect(await filter({ filterPattern: '{ $.user NOT EXISTS }' })).toEqual([
      '2024-05-01T00:00:00.000Z\tabc\tINFO\t{"level":"info","status":200}',
    ]);
  });

  it('matches space-delimited patterns', async () => {
    expect(await filter({ filterPattern: '[level = ERROR, ...]' })).toEqual([
      'ERROR disk full',
      'ERROR job failed: Exception in thread',
    ]);
    expect(await filter({ filterPattern: '[level, what, verb, in, ms > 10, unit]' })).toEqual([
      'INFO request served in 12 ms',
    ]);
  });

  it('refuses a pattern it cannot read', async () => {
    const bad = await failure(
      logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: '{ $.a = }' })),
    );
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toMatch(/^Invalid filter pattern: /);
  });

  it('pages with limit and nextToken, every event once', async () => {
    const pages: string[][] = [];
    for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName: name, limit: 4 })) {
      pages.push((page.events ?? []).map((event) => event.message!));
    }
    expect(pages.map((page) => page.length)).toEqual([4, 2]);
    expect(pages.flat()).toEqual(await filter({}));
    const bad = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: name, nextToken: 'garbage' })));
    expect(bad.name).toBe('InvalidParameterException');
  });
});

describe('the protocol', () => {
  it('answers junk input with 400s, never a server error', async () => {
    const operations = [
      'CreateLogGroup',
      'CreateLogStream',
      'DeleteLogGroup',
      'DeleteLogStream',
      'DescribeLogGroups',
      'DescribeLogStreams',
      'PutLogEvents',
      'GetLogEvents',
      'FilterLogEvents',
      'PutRetentionPolicy',
      'DeleteRetentionPolicy',
    ];
    const name = await groupWithStreams('s');
    const bodies = [
      '',
      '[]',
      '{"logGroupName":',
      '{"logGroupName":5}',
      `{"logGroupName":"${name}","logStreamName":"s","logEvents":[null]}`,
      `{"logGroupName":"${name}","logStreamName":"s","logEvents":[{"timestamp":"a","message":1}]}`,
      `{"logGroupName":"${name}","logStreamName":"s","logEvents":"x"}`,
      `{"logGroupName":"${name}","logStreamNames":[null,5],"filterPattern":7,"limit":-1}`,
      `{"logGroupName":"${name}","logStreamName":"s","nextToken":"b/${'9'.repeat(56)}/s","startTime":-5}`,
      `{"logGroupIdentifier":"arn:aws:logs:us-east-1:000000000000:log-group:${name}:*","filterPattern":"{ $.a = ( }"}`,
      `{"logGroupName":"${name}","retentionInDays":1.5,"tags":{"k":5}}`,
    ];
    for (const operation of operations) {
      for (const body of bodies) {
        // (DeleteLogGroup may have removed them: every body meets the group and stream again)
        await logs.send(new CreateLogGroupCommand({ logGroupName: name })).catch(() => undefined);
        await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: 's' })).catch(() => undefined);
        const response = await cloud.logs.handle({
          method: 'POST',
          rawPath: '/',
          query: new URLSearchParams(),
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${operation}` },
          body: Buffer.from(body),
          service: 'logs',
          region: REGION,
          requestId: 'fuzz',
          caller: { accessKeyId: 'test', accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' },
        });
        expect([200, 400], `${operation} ${body}: ${String(response.body)}`).toContain(response.status);
      }
    }
  });

  it('answers an operation it does not implement with NotImplemented', async () => {
    const error = await failure(
      logs.send(new StartQueryCommand({ logGroupName: 'x', startTime: 0, endTime: 1, queryString: 'fields @message' })),
    );
    expect(error.name).toBe('NotImplemented');
    expect(error.$metadata.httpStatusCode).toBe(501);
  });

  it('publishes what it does on the trace bus', async () => {
    const name = await groupWithStreams('s');
    const seen: { type: string; detail: Record<string, unknown> }[] = [];
    const stop = cloud.trace.subscribe((event) => seen.push(event as never));
    await put(name, 's', [{ timestamp: Date.now(), message: 'traced' }]);
    stop();
    expect(seen.find((event) => event.type === 'logs.put')?.detail).toEqual({
      logGroup: name,
      logStream: 's',
      events: 1,
      bytes: 6 + 26,
      source: 'api',
    });
    expect(seen.find((event) => event.type === 'logs.request')?.detail).toMatchObject({
      operation: 'PutLogEvents',
      logGroup: name,
      status: 200,
    });
  });
});
