// Opt-in (WORKBOOK_TEST_CPU_LOG=<file>, vitest.config.ts): appends each test file's wall time and
// the CPU seconds of its whole process tree to the file, one JSON line per file. Each file runs in
// a fresh worker process, so the process's lifetime is the file's. Its descendants (Chromium and
// its renderers, workbooks and their Lambda runtimes) are sampled from /proc twice a second: a
// killed Chromium's renderers are never reaped into this process's cutime, so that undercounts.
// Processes shorter than a sample are missed (a few AWS CLI calls).
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

const TICKS_PER_SECOND = 100;
const SAMPLE_MS = 500;

/** [ppid, utime + stime in ticks, start time] of a process, from /proc/<pid>/stat. */
function stat(pid: string): [number, number, string] | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return [Number(fields[1]), Number(fields[11]) + Number(fields[12]), fields[19] ?? ''];
  } catch {
    return undefined;
  }
}

/** CPU ticks last seen per descendant (pid and start time, since pids are reused). */
const seen = new Map<string, number>();
function sample(): void {
  const all = new Map<number, [number, number, string]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = stat(entry);
    if (info) all.set(Number(entry), info);
  }
  const tree = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, [ppid]] of all) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  tree.delete(process.pid);
  for (const pid of tree) {
    const [, ticks, start] = all.get(pid) ?? [0, 0, ''];
    seen.set(`${pid}:${start}`, ticks);
  }
}

if (process.env.WORKBOOK_TEST_CPU_LOG) setInterval(sample, SAMPLE_MS).unref();

afterAll(() => {
  const log = process.env.WORKBOOK_TEST_CPU_LOG;
  if (!log) return;
  sample();
  const own = stat(String(process.pid))?.[1] ?? 0;
  const descendants = [...seen.values()].reduce((sum, ticks) => sum + ticks, 0);
  const file = (expect.getState().testPath ?? '?').replace(`${process.cwd()}/`, '');
  const cpu = Math.round(((own + descendants) / TICKS_PER_SECOND) * 10) / 10;
  appendFileSync(log, `${JSON.stringify({ file, wall: Math.round(process.uptime() * 10) / 10, cpu })}\n`);
});
