import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAwsCliV2, findBubblewrap, findChromium, findPythonWithBoto3 } from '../../../tools/preflight/discover.ts';

/** Only what a test sets up: no fixed system places. */
const only = { fallbacks: [] };

const dir = mkdtempSync(join(tmpdir(), 'workbook-preflight-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executable shell script at `path` printing `text` (to stderr too, as AWS CLI v1 does) and exiting `code`. */
function script(path: string, body: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('finding the AWS CLI v2', () => {
  it('passes over a version 1 earlier on PATH (a pyenv shim) for the version 2 behind it', () => {
    script(join(dir, 'pyenv', 'aws'), 'echo "aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11" >&2');
    const v2 = script(
      join(dir, 'debian', 'aws'),
      'echo "aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64.debian.12"',
    );
    const found = findAwsCliV2({ PATH: `${join(dir, 'pyenv')}:${join(dir, 'debian')}` }, only);
    expect(found.found).toEqual({ path: v2, detail: 'aws-cli/2.9.19' });
  });

  it('says why each candidate was passed over', () => {
    script(join(dir, 'broken', 'aws'), 'echo "Traceback: no module awscli" >&2; exit 1');
    const found = findAwsCliV2({ PATH: `${join(dir, 'pyenv')}:${join(dir, 'broken')}` }, only);
    expect(found).toEqual({
      rejected: [
        `${join(dir, 'pyenv', 'aws')}: aws-cli/1.45.11, not version 2`,
        `${join(dir, 'broken', 'aws')}: \`aws --version\` failed: Traceback: no module awscli`,
      ],
    });
  });

  it('uses only AWS_CLI_PATH when it is set', () => {
    const found = findAwsCliV2({ PATH: join(dir, 'debian'), AWS_CLI_PATH: join(dir, 'pyenv', 'aws') });
    expect(found).toEqual({ rejected: [`${join(dir, 'pyenv', 'aws')}: aws-cli/1.45.11, not version 2`] });
  });
});

describe('finding Python with boto3', () => {
  it('passes over a python3 without boto3', () => {
    const without = script(join(dir, 'plain', 'python3'), 'exit 1');
    const withBoto3 = script(join(dir, 'venv', 'python3'), 'echo "3.12.1 1.34.0"');
    const found = findPythonWithBoto3({ PATH: `${join(dir, 'plain')}:${join(dir, 'venv')}` }, only);
    expect(found.found).toEqual({ path: withBoto3, detail: 'Python 3.12.1, boto3 1.34.0' });
    expect(findPythonWithBoto3({ PATH: '', PYTHON3_PATH: without }, only)).toEqual({
      rejected: [`${without}: no boto3 (\`import boto3\` failed)`],
    });
  });
});

describe('finding Chromium', () => {
  it('takes CHROMIUM_PATH when set, and refuses one that is not executable', () => {
    const chrome = script(join(dir, 'opt', 'chrome'), 'exit 0');
    expect(findChromium({ CHROMIUM_PATH: chrome })).toEqual({ found: { path: chrome } });
    expect(findChromium({ CHROMIUM_PATH: join(dir, 'nowhere') })).toEqual({
      rejected: [`CHROMIUM_PATH=${join(dir, 'nowhere')} is not an executable file`],
    });
  });

  it("finds Ubuntu's chromium-browser and Google Chrome on PATH", () => {
    const none = join(dir, 'no-cache');
    const ubuntu = script(join(dir, 'ubuntu', 'chromium-browser'), 'exit 0');
    expect(findChromium({ PATH: join(dir, 'ubuntu'), PLAYWRIGHT_BROWSERS_PATH: none }, only).found?.path).toBe(ubuntu);
    const chrome = script(join(dir, 'google', 'google-chrome-stable'), 'exit 0');
    expect(findChromium({ PATH: join(dir, 'google'), PLAYWRIGHT_BROWSERS_PATH: none }, only).found?.path).toBe(chrome);
    expect(findChromium({ PATH: join(dir, 'empty'), PLAYWRIGHT_BROWSERS_PATH: none }, only)).toEqual({ rejected: [] });
  });

  it("finds Playwright's newest downloaded Chromium", () => {
    const cache = join(dir, 'ms-playwright');
    script(join(cache, 'chromium-1100', 'chrome-linux', 'chrome'), 'exit 0');
    const newest = script(join(cache, 'chromium-1200', 'chrome-linux', 'chrome'), 'exit 0');
    expect(findChromium({ PATH: join(dir, 'empty'), PLAYWRIGHT_BROWSERS_PATH: cache }, only).found?.path).toBe(newest);
  });
});

describe('finding bubblewrap', () => {
  it('finds bwrap on PATH, and reports none where there is none', () => {
    const bwrap = script(join(dir, 'bin', 'bwrap'), 'exit 0');
    expect(findBubblewrap({ PATH: join(dir, 'bin') }, only)).toEqual({ found: { path: bwrap } });
    expect(findBubblewrap({ PATH: join(dir, 'empty') }, only)).toEqual({ rejected: [] });
  });
});

describe('npm run preflight', () => {
  it('stops before installing anything, naming what is missing and the command that installs it', () => {
    const result = spawnSync(process.execPath, ['tools/preflight.ts', '--no-install'], {
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: join(dir, 'no-chromium') },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Chromium or Google Chrome');
    expect(result.stderr).toContain(`CHROMIUM_PATH=${join(dir, 'no-chromium')} is not an executable file`);
    if (process.platform === 'linux')
      expect(result.stderr).toMatch(/apt-get install -y --no-install-recommends chromium\n/);
    expect(result.stdout).not.toContain('installing');
  });
});
