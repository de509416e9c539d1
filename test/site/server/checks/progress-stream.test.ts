import { describe, expect, it } from 'vitest';
import type { CheckProgress, CheckReport } from '../../../../site/lib/workbench-api.ts';
import { checkProgressStream } from '../../../../site/server/checks/run.ts';

const REPORT: CheckReport = {
  scenario: 'web-backend',
  exercise: 'item-not-found',
  target: 'local',
  status: 'pass',
  tests: [{ name: 'a', status: 'pass', durationMs: 1 }],
  durationMs: 5,
};

const lines = async (stream: ReadableStream<Uint8Array>) =>
  (await new Response(stream).text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as CheckProgress);

describe('a check streamed as NDJSON', () => {
  it('sends each step as it comes, then the report', async () => {
    const stream = checkProgressStream(async (send) => {
      send({ kind: 'deploying' });
      send({ kind: 'running', tests: ['a'] });
      send({ kind: 'test', result: REPORT.tests[0]! });
      return REPORT;
    });
    expect(await lines(stream)).toEqual([
      { kind: 'deploying' },
      { kind: 'running', tests: ['a'] },
      { kind: 'test', result: REPORT.tests[0] },
      { kind: 'report', report: REPORT },
    ]);
  });

  it('ends with an error line when the check throws after the answer has started', async () => {
    const stream = checkProgressStream(async (send) => {
      send({ kind: 'deploying' });
      throw new TypeError('boom');
    });
    expect(await lines(stream)).toEqual([
      { kind: 'deploying' },
      { kind: 'error', error: { error: 'CheckFailed', message: 'TypeError: boom' } },
    ]);
  });

  it('lets the check finish when the page goes away', async () => {
    let finished = false;
    let release = () => {};
    const stream = checkProgressStream(async (send) => {
      send({ kind: 'deploying' });
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      send({ kind: 'running', tests: ['a'] }); // after the cancel: dropped, not thrown
      finished = true;
      return REPORT;
    });
    const reader = stream.getReader();
    await reader.read();
    await reader.cancel();
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(finished).toBe(true);
  });
});
