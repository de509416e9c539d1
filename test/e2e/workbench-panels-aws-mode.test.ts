// The same panels suite in AWS mode, with a local cloud standing in for the class sandbox: what the
// panels show comes from what AWS exposes (CloudWatch Logs, bucket listings, table scans).
import { workbenchPanelsSuite } from './suites/workbench-panels.ts';

workbenchPanelsSuite('aws');
