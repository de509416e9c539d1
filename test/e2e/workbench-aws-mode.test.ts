// The same workbench suite in AWS mode (`npm start -- --target aws --stack-outputs …`), with a local
// cloud standing in for the class sandbox: every action goes through the AWS code paths.
import { workbenchSuite } from './suites/workbench.ts';

workbenchSuite('aws');
