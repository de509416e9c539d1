// The workspace of the later lessons, walked as a learner walks it, and its opening
// (test/e2e/suites/workspace.ts; the first two lessons: test/e2e/workspace.test.ts).
import { LATER_LESSONS } from './suites/split.ts';
import { workspaceSuite } from './suites/workspace.ts';

workspaceSuite(LATER_LESSONS, { opening: true });
