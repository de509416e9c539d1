// Accessibility of the first two lessons with the workspace open, and of the search dialog
// (test/e2e/suites/a11y.ts; the later lessons: test/e2e/a11y-part2.test.ts).
import { a11ySuite } from './suites/a11y.ts';
import { FIRST_LESSONS } from './suites/split.ts';

a11ySuite(FIRST_LESSONS, { search: true });
