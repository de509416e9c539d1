// The preflight as `npm test` runs it, on a machine of our making: which tools are there, what apt
// does, root or not. Each tool the suite drives, missing, is named with its package; as root with apt
// the preflight installs it (saying so) and looks again; elsewhere it prints the command and stops.
import { describe, expect, it } from 'vitest';
import type { Discovery, ToolName } from '../../tools/preflight/discover.ts';
import type { Platform } from '../../tools/preflight/plan.ts';
import { type PreflightSystem, preflight } from '../../tools/preflight.ts';

const debianRoot: Platform = { os: 'linux', distro: ['debian'], isRoot: true, managers: ['apt'] };
const debianUser: Platform = { ...debianRoot, isRoot: false };

const PACKAGES: Record<ToolName, string> = {
  chromium: 'chromium',
  aws: 'awscli',
  python: 'python3-boto3',
  bwrap: 'bubblewrap',
};

/**
 * A machine with `missing` absent; apt-get installs a package's tool when `aptWorks` says so (the
 * first `install` fails when `staleIndex`, until an `update`). Records every apt-get call and line.
 */
function machine(
  platform: Platform,
  missing: readonly ToolName[],
  { aptWorks = true, staleIndex = false }: { aptWorks?: boolean; staleIndex?: boolean } = {},
) {
  const absent = new Set(missing);
  const apt: string[][] = [];
  const out: string[] = [];
  const err: string[] = [];
  let updated = false;
  const system: PreflightSystem = {
    platform,
    find: (tool): Discovery => (absent.has(tool) ? { rejected: [] } : { found: { path: `/usr/bin/${tool}` } }),
    aptGet: (args) => {
      apt.push([...args]);
      if (args[0] === 'update') {
        updated = true;
        return true;
      }
      if (!aptWorks || (staleIndex && !updated)) return false;
      for (const [tool, name] of Object.entries(PACKAGES)) if (args.includes(name)) absent.delete(tool as ToolName);
      return true;
    },
    log: (line) => out.push(line),
    error: (line) => err.push(line),
  };
  return { system, apt, out: () => out.join('\n'), err: () => err.join('\n') };
}

describe('npm run preflight, a tool missing', () => {
  it.each(Object.entries(PACKAGES) as [ToolName, string][])(
    'installs %s as root with apt (package %s), says so, and finds it afterwards',
    (tool, name) => {
      const m = machine(debianRoot, [tool]);
      expect(preflight({}, m.system)).toBe(0);
      expect(m.apt).toEqual([['install', '-y', '--no-install-recommends', name]]);
      expect(m.out()).toContain(`preflight: installing from apt: ${name} (for ${tool})`);
      expect(m.out()).toContain(`${tool} /usr/bin/${tool}`);
      expect(m.err()).toBe('');
    },
  );

  it.each(Object.entries(PACKAGES) as [ToolName, string][])(
    'as another user names %s and the one command that installs it (%s), installing nothing',
    (tool, name) => {
      const m = machine(debianUser, [tool]);
      expect(preflight({}, m.system)).toBe(1);
      expect(m.apt).toEqual([]);
      expect(m.err()).toMatch(/the test suite drives system tools this machine does not have/);
      expect(m.err()).toContain(`sudo apt-get install -y --no-install-recommends ${name}\n`);
    },
  );

  it('installs every missing package in one apt-get call', () => {
    const m = machine(debianRoot, ['chromium', 'aws', 'python', 'bwrap']);
    expect(preflight({}, m.system)).toBe(0);
    expect(m.apt).toEqual([
      ['install', '-y', '--no-install-recommends', 'chromium', 'awscli', 'python3-boto3', 'bubblewrap'],
    ]);
  });

  it('runs apt-get update and tries again when the package index is stale', () => {
    const m = machine(debianRoot, ['python'], { staleIndex: true });
    expect(preflight({}, m.system)).toBe(0);
    expect(m.apt.map((args) => args[0])).toEqual(['install', 'update', 'install']);
    expect(m.out()).toContain('apt-get install failed; running apt-get update and trying again');
  });

  it('stops, naming the packages, when apt-get cannot install them', () => {
    const m = machine(debianRoot, ['bwrap'], { aptWorks: false });
    expect(preflight({}, m.system)).toBe(1);
    expect(m.err()).toContain('preflight: apt-get could not install bubblewrap.');
  });

  it('stops, naming the tool, when the install left it missing', () => {
    const m = machine(debianRoot, ['aws']);
    // apt says it installed awscli, but no AWS CLI v2 is found afterwards (an old release's v1, say).
    const system = {
      ...m.system,
      aptGet: (args: readonly string[]) => {
        m.apt.push([...args]);
        return true;
      },
    };
    expect(preflight({}, system)).toBe(1);
    expect(m.err()).toMatch(/still missing after the install:\n {2}- the AWS CLI version 2/);
  });

  it('only checks with --no-install, even as root', () => {
    const m = machine(debianRoot, ['chromium']);
    expect(preflight({ install: false }, m.system)).toBe(1);
    expect(m.apt).toEqual([]);
    expect(m.err()).toContain('apt-get install -y --no-install-recommends chromium\n');
  });
});
