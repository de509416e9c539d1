// The workspace of the first two lessons, walked as a learner walks it (test/e2e/suites/workspace.ts;
// the later lessons and the opening of the workspace: test/e2e/workspace-part2.test.ts).
import { FIRST_LESSONS } from './suites/split.ts';
import { workspaceSuite } from './suites/workspace.ts';

workspaceSuite(FIRST_LESSONS);
