import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { adminKeysInBanner } from '../../helpers/admin-keys.ts';

/** `npm run cloud` is `node infra/local/main.ts`; start it the same way. */
function startCli(args: readonly string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['infra/local/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function waitForEndpoint(cli: ReturnType<typeof startCli>): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    // The endpoint line, and the export line with the admin keys after it.
    const match = /Local cloud listening on (http:\/\/127\.0\.0\.1:\d+)\n.*AWS_SECRET_ACCESS_KEY=\S+/.exec(
      cli.output(),
    );
    if (match?.[1]) return match[1];
    if (cli.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no endpoint line:\n${cli.output()}`);
}

const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('npm run cloud', () => {
  it('prints its endpoint once it accepts requests, and stops cleanly on SIGTERM', async () => {
    // Prepare
    const cli = startCli(['--port', '0', '--in-memory']);
    running.push(cli.child);
    // Act
    const endpoint = await waitForEndpoint(cli);
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      credentials: adminKeysInBanner(cli.output()),
    });
    const listed = await s3.send(new ListBucketsCommand({}));
    cli.child.kill('SIGTERM');
    const [code] = await once(cli.child, 'exit');
    // Assess
    expect(listed.Buckets).toEqual([]);
    expect(code).toBe(0);
    expect(cli.output()).toContain('stopping the local cloud');
  });

  it('keeps buckets in --data-dir across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'workbook-cloud-'));
    dirs.push(dataDir);
    const first = startCli(['--port', '0', '--data-dir', dataDir]);
    running.push(first.child);
    const endpoint = await waitForEndpoint(first);
    const credentials = adminKeysInBanner(first.output());
    const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials });
    await s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    first.child.kill('SIGINT');
    await once(first.child, 'exit');

    const second = startCli(['--port', '0', '--data-dir', dataDir]);
    running.push(second.child);
    const again = new S3Client({ endpoint: await waitForEndpoint(second), region: 'us-east-1', credentials });
    const listed = await again.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toEqual(['kept-bucket']);
    // The data directory's keys are the same after the restart.
    expect(adminKeysInBanner(second.output())).toEqual(adminKeysInBanner(first.output()));
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--iam', 'maybe'], "--iam must be 'on' or 'off'"],
  ])('rejects bad flags %j with a usage message', async (args, message) => {
    const cli = startCli(args);
    running.push(cli.child);
    const [code] = await once(cli.child, 'exit');
    expect(code).toBe(2);
    expect(cli.output()).toContain(message);
    expect(cli.output()).toContain('Usage: npm run cloud');
  });
});
