import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HAS_PROC,
  ProcessMemoryReader,
  processMemory,
} from '../../../../../infra/local/lambda/runtime/process-info.ts';

const openDescriptors = () => (HAS_PROC ? readdirSync('/proc/self/fd').length : 0);

describe('ProcessMemoryReader', () => {
  it('reads a live process as processMemory does, keeping one descriptor open however often it reads', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    const reader = new ProcessMemoryReader(child.pid!);
    try {
      if (!HAS_PROC) {
        expect(reader.read()).toBeUndefined();
        return;
      }
      const first = reader.read();
      const before = openDescriptors();
      for (let i = 0; i < 50; i += 1) reader.read();
      expect(openDescriptors()).toBe(before);
      const again = reader.read();
      const fresh = processMemory(child.pid!);
      expect(first?.rssBytes).toBeGreaterThan(0);
      expect(again?.peakBytes).toBeGreaterThanOrEqual(again?.rssBytes ?? Number.POSITIVE_INFINITY);
      // The same process: the same high-water mark as a fresh read of its status (it only grows).
      expect(fresh?.peakBytes).toBeGreaterThanOrEqual(again?.peakBytes ?? Number.POSITIVE_INFINITY);
      // Parsed from the bytes as processMemory parses the text: the same figures for an idle process.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(reader.read()).toEqual(processMemory(child.pid!));
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => undefined);
    }
    // Once the process is gone (reaped), its descriptor reads nothing — never another process with its pid.
    expect(reader.read()).toBeUndefined();
    const afterClose = openDescriptors();
    reader.close();
    expect(openDescriptors()).toBe(afterClose);
  });

  it('closes its descriptor when closed, and reads nothing after', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    try {
      const before = openDescriptors();
      const reader = new ProcessMemoryReader(child.pid!);
      reader.read();
      expect(openDescriptors()).toBe(before + (HAS_PROC ? 1 : 0));
      reader.close();
      expect(openDescriptors()).toBe(before);
      expect(reader.read()).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
