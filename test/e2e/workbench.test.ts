// The workbench suite against the local cloud `npm start` runs (the default mode).
import { workbenchSuite } from './suites/workbench.ts';

workbenchSuite('local');
