// Following a function's runs through its log (what lets a failing check end as soon as the run that
// could bring the result ended): the lines as the local cloud's CloudWatch Logs gave them for the
// thumbnail function (a run that wrote a thumbnail, then an asynchronous event that failed twice
// under the same request id), and a timeout.
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { describeRuns, endedRuns } from '../../../../site/server/checks/context.ts';

const OK = '1f2d4c67-75ed-4184-9e96-71c1fd9d78b4';
const FAILING = 'f9deee2d-c86e-42f9-b4f2-29d22a4af166';
const SLOW = '0b9a1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const invokeError =
  '{"errorType":"NoSuchKey","errorMessage":"The specified key does not exist.","stack":["NoSuchKey: The specified key does not exist."]}';

// Recorded from a local cloud (FilterLogEvents on the thumbnail function's log group).
const recorded: FilteredLogEvent[] = [
  { timestamp: 1000, message: `START RequestId: ${OK} Version: $LATEST` },
  {
    timestamp: 1160,
    message: `2026-12-07T11:56:23.220Z\t${OK}\tINFO\t{"level":"INFO","message":"thumbnail written"}`,
  },
  { timestamp: 1161, message: `END RequestId: ${OK}` },
  {
    timestamp: 1161,
    message: `REPORT RequestId: ${OK}\tDuration: 161.80 ms\tBilled Duration: 162 ms\tMemory Size: 1024 MB\tMax Memory Used: 106 MB\tInit Duration: 974.87 ms\t`,
  },
  { timestamp: 1445, message: `START RequestId: ${FAILING} Version: $LATEST` },
  { timestamp: 1457, message: `2026-12-07T11:56:23.516Z\t${FAILING}\tERROR\tInvoke Error \t${invokeError}` },
  { timestamp: 1458, message: `END RequestId: ${FAILING}` },
  {
    timestamp: 1458,
    message: `REPORT RequestId: ${FAILING}\tDuration: 12.88 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 107 MB\t`,
  },
  { timestamp: 1658, message: `START RequestId: ${FAILING} Version: $LATEST` },
  { timestamp: 1668, message: `2026-12-07T11:56:23.727Z\t${FAILING}\tERROR\tInvoke Error \t${invokeError}` },
  { timestamp: 1669, message: `END RequestId: ${FAILING}` },
  {
    timestamp: 1669,
    message: `REPORT RequestId: ${FAILING}\tDuration: 10.10 ms\tBilled Duration: 11 ms\tMemory Size: 1024 MB\tMax Memory Used: 107 MB\t`,
  },
];

describe('endedRuns', () => {
  it('tells each run apart, an asynchronous retry under the same request id included, with how it ended', () => {
    const runs = endedRuns(recorded, 0);
    expect(runs.map((run) => [run.requestId, run.startedAt, run.error])).toEqual([
      [OK, 1000, undefined],
      [FAILING, 1445, 'NoSuchKey: The specified key does not exist.'],
      [FAILING, 1658, 'NoSuchKey: The specified key does not exist.'],
    ]);
    expect(runs[1]?.logs).toHaveLength(4);
    expect(runs[1]?.report).toMatch(/^REPORT RequestId: f9deee2d/);
  });

  it('leaves out runs that started before `since`, and runs that have not ended', () => {
    const unfinished = recorded.slice(0, 10); // the retry's START and error, no REPORT yet
    expect(endedRuns(unfinished, 1200).map((run) => run.startedAt)).toEqual([1445]);
    expect(endedRuns(recorded, 1500).map((run) => run.startedAt)).toEqual([1658]);
  });

  it("reads Lambda's timeout line, in any order the events come", () => {
    const timedOut: FilteredLogEvent[] = [
      {
        timestamp: 2003,
        message: `REPORT RequestId: ${SLOW}\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\t`,
      },
      { timestamp: 2000, message: `START RequestId: ${SLOW} Version: $LATEST` },
      { timestamp: 2002, message: `2026-12-07T12:00:00.000Z ${SLOW} Task timed out after 1.00 seconds` },
    ];
    expect(endedRuns(timedOut, 0)).toEqual([
      expect.objectContaining({ requestId: SLOW, error: 'Task timed out after 1.00 seconds' }),
    ]);
  });

  it('describes runs for a learner, and says so when there were none', () => {
    const text = describeRuns(endedRuns(recorded, 1400));
    expect(text).toMatch(
      /^Run 1 of 2 \(request f9deee2d-[^)]+\): failed with NoSuchKey: The specified key does not exist\./,
    );
    expect(text).toContain('Run 2 of 2');
    expect(describeRuns([])).toBe('The function did not run.');
  });
});
