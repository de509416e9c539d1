// The workbench panels suite against the local cloud `npm start` runs (the default mode).
import { workbenchPanelsSuite } from './suites/workbench-panels.ts';

workbenchPanelsSuite('local');
