// The workbench in AWS mode (`npm start -- --target aws --stack-outputs …`), with a local cloud
// standing in for the class sandbox: what goes through the AWS code paths, on one stand-in and one
// workbook. First the panels' triggers (the shipped handlers: the progress bar while the function
// has not started, CloudWatch Logs' wording in the step log, writes seen in listings and scans), then
// the workbench (deploy, run and the result read back from CloudWatch Logs, "Check my work" against
// the AWS target), which deploys edits. What the suites assert in local mode alone is listed in them.
import { oneWorkbookPerFile } from '../helpers/workbook-modes.ts';
import { workbenchSuite } from './suites/workbench.ts';
import { workbenchPanelsSuite } from './suites/workbench-panels.ts';

oneWorkbookPerFile();
workbenchPanelsSuite('aws');
workbenchSuite('aws');
