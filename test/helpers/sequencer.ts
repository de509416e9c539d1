// The order test files start in. Vitest starts the longest files first once it has their durations
// from an earlier run; without them (a fresh clone, as in CI) it starts the largest files first. The
// heaviest browser files are one-line wrappers around a shared suite (`test/e2e/suites/`), so by
// size alone they started last and the run ended with one of them running alone. Here a file
// without a recorded duration weighs its own size plus the size of the suites it imports.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const RELATIVE_IMPORT = /from\s+['"](\.{1,2}\/[^'"]+\.ts)['"]/g;

/** A test file's size plus the sizes of the shared suites it imports (`…/suites/…`). */
export function fileWeight(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  let weight = Buffer.byteLength(text);
  for (const [, specifier] of text.matchAll(RELATIVE_IMPORT)) {
    const imported = resolve(dirname(file), specifier!);
    if (!imported.includes(`${sep}suites${sep}`)) continue;
    try {
      weight += statSync(imported).size;
    } catch {
      // A missing import fails the file itself, with a clearer message than here.
    }
  }
  return weight;
}

export default class WeightedSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    // With a duration for every file, Vitest's own order stands (failed first, then longest first).
    if (files.every((spec) => cache.getTestSpecificationResult(spec) !== undefined)) return super.sort(files);
    const weights = new Map(files.map((spec) => [spec.moduleId, fileWeight(spec.moduleId)]));
    return [...files].sort((a, b) => {
      const groupOrder = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (groupOrder !== 0) return groupOrder;
      if (a.project.name !== b.project.name) return a.project.name < b.project.name ? -1 : 1;
      return weights.get(b.moduleId)! - weights.get(a.moduleId)!;
    });
  }
}
