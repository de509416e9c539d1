import { defineConfig } from 'vitest/config';
import WeightedSequencer from './test/helpers/sequencer.ts';

// Test files at a time. Vitest's default on this 2-core kind of machine is one (cores - 1), but
// most files wait on child processes (Lambda runtimes, the AWS CLI, Chromium, a workbook), so two
// keep both cores busy. Both projects share one pool (same maxWorkers and group), so unit files
// fill the gaps between browser files.
const maxWorkers = Number(process.env.WORKBOOK_TEST_WORKERS ?? 2);
// Opt-in per-file wall and CPU log (test/helpers/cpu-probe.ts).
const setupFiles = process.env.WORKBOOK_TEST_CPU_LOG ? ['test/helpers/cpu-probe.ts'] : [];

export default defineConfig({
  test: {
    // Heaviest files first, also on a fresh clone with no durations recorded (test/helpers/sequencer.ts).
    sequence: { sequencer: WeightedSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', '**/node_modules/**'],
          environment: 'node',
          maxWorkers,
          setupFiles,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Every file is isolated by its own resources (its own browser profile; its own workbook
          // on free ports, or the shared one when it deploys nothing), so files run in parallel.
          globalSetup: ['test/helpers/e2e-setup.ts'],
          maxWorkers,
          setupFiles,
          testTimeout: 60_000,
          // A workbook's start (test/helpers/workbook.ts WORKBOOK_START_MS) fits in a beforeAll.
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
