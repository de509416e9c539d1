// `npm install` with an older Node.js (>= 20, the README's minimum) is quiet about engines: the
// dependencies that want Node 22+ need it only where the scripts run (the pinned Node 24), and the
// project's .npmrc keeps npm's install output to errors. Checked with the npm on PATH, as a learner
// runs it, in dry-run mode (nothing is installed).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const npm = (...args: string[]) =>
  spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', ...args], {
    cwd: process.cwd(),
    encoding: 'utf8',
    timeout: 120_000,
    // The npm of the learner's PATH and its Node, not the pinned Node the test runs on.
    env: {
      ...process.env,
      PATH: (process.env.PATH ?? '')
        .split(':')
        .filter((dir) => !dir.includes('node_modules'))
        .join(':'),
    },
  });

const systemNodeMajor = Number(
  /^v(\d+)/.exec(
    spawnSync('node', ['--version'], { encoding: 'utf8', env: { PATH: '/usr/local/bin:/usr/bin:/bin' } }).stdout,
  )?.[1] ?? 0,
);

describe('npm install on the README’s oldest Node.js', () => {
  it('prints no EBADENGINE warning (the .npmrc), where npm’s default log level would', { timeout: 240_000 }, () => {
    const quiet = npm();
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(`${quiet.stdout}${quiet.stderr}`).not.toMatch(/EBADENGINE/);
    // With npm's default level the warnings are there on a Node older than the dependencies want:
    // the line above is what silences them.
    const loud = npm('--loglevel=warn');
    const warnings = `${loud.stdout}${loud.stderr}`.match(/EBADENGINE/g)?.length ?? 0;
    if (systemNodeMajor < 22) expect(warnings).toBeGreaterThan(0);
    else expect(warnings).toBe(0);
  });
});
