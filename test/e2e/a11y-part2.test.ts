// Accessibility of the later lessons with the workspace open (test/e2e/suites/a11y.ts; the first
// two and the search dialog: test/e2e/a11y.test.ts).
import { a11ySuite } from './suites/a11y.ts';
import { LATER_LESSONS } from './suites/split.ts';

a11ySuite(LATER_LESSONS);
