import { describe, expect, it } from 'vitest';
import type { ToolName } from '../../../tools/preflight/discover.ts';
import { type Platform, planPreflight } from '../../../tools/preflight/plan.ts';

const debianRoot: Platform = { os: 'linux', distro: ['debian'], isRoot: true, managers: ['apt'] };
const debianUser: Platform = { ...debianRoot, isRoot: false };
const ubuntuUser: Platform = { os: 'linux', distro: ['ubuntu', 'debian'], isRoot: false, managers: ['apt'] };
const fedoraUser: Platform = { os: 'linux', distro: ['fedora'], isRoot: false, managers: ['dnf'] };
const mac: Platform = { os: 'darwin', distro: [], isRoot: false, managers: ['brew'] };
const arch: Platform = { os: 'linux', distro: ['arch'], isRoot: true, managers: [] };

const all: Record<ToolName, boolean> = { chromium: true, aws: true, python: true, bwrap: true };
const without = (...tools: ToolName[]) => ({ ...all, ...Object.fromEntries(tools.map((tool) => [tool, false])) });

describe('the preflight decision', () => {
  it('does nothing when every tool is there', () => {
    expect(planPreflight(all, debianRoot)).toEqual({ action: 'ok' });
    expect(planPreflight(all, debianUser)).toEqual({ action: 'ok' });
  });

  it('installs the missing Debian packages itself as root with apt', () => {
    expect(planPreflight(without('chromium', 'aws', 'python', 'bwrap'), debianRoot)).toEqual({
      action: 'install',
      manager: 'apt',
      missing: ['chromium', 'aws', 'python', 'bwrap'],
      packages: ['chromium', 'awscli', 'python3-boto3', 'bubblewrap'],
    });
    expect(planPreflight(without('python'), debianRoot)).toEqual({
      action: 'install',
      manager: 'apt',
      missing: ['python'],
      packages: ['python3-boto3'],
    });
  });

  it('only prints the command as root when told not to install', () => {
    expect(planPreflight(without('bwrap'), debianRoot, { install: false })).toEqual({
      action: 'instruct',
      missing: ['bwrap'],
      command: 'apt-get install -y --no-install-recommends bubblewrap',
    });
  });

  it('prints the one command for the platform, with sudo, when not root', () => {
    expect(planPreflight(without('chromium', 'python'), debianUser)).toEqual({
      action: 'instruct',
      missing: ['chromium', 'python'],
      command: 'sudo apt-get install -y --no-install-recommends chromium python3-boto3',
    });
    expect(planPreflight(without('chromium'), ubuntuUser)).toMatchObject({
      command: 'sudo apt-get install -y --no-install-recommends chromium-browser',
    });
    expect(planPreflight(without('aws', 'bwrap'), fedoraUser)).toMatchObject({
      action: 'instruct',
      command: 'sudo dnf install -y awscli2 bubblewrap',
    });
    expect(planPreflight(without('chromium', 'aws', 'python'), mac)).toMatchObject({
      action: 'instruct',
      command: 'brew install awscli && brew install --cask chromium && python3 -m pip install --user boto3',
    });
  });

  it('never installs with dnf or brew, even as root', () => {
    expect(planPreflight(without('aws'), { ...fedoraUser, isRoot: true })).toEqual({
      action: 'instruct',
      missing: ['aws'],
      command: 'dnf install -y awscli2',
    });
  });

  it('does not ask for bubblewrap on macOS, where the runtime has no wall', () => {
    expect(planPreflight(without('bwrap'), mac)).toEqual({ action: 'ok' });
  });

  it('names what is missing without a command where it knows no package manager', () => {
    expect(planPreflight(without('aws'), arch)).toEqual({ action: 'instruct', missing: ['aws'] });
  });
});
