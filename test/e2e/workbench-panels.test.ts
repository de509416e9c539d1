// The workbench panels suite against the local cloud `npm start` runs (the default mode). It fires
// the shipped handlers' triggers and deploys nothing, so it runs on the e2e run's shared workbook.
import { shareWorkbook } from '../helpers/workbook-modes.ts';
import { workbenchPanelsSuite } from './suites/workbench-panels.ts';

shareWorkbook();
workbenchPanelsSuite('local');
