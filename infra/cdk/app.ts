// The CDK app of the Lambda Workbook (`npm run synth`, `npm run sandbox:deploy`).
//   -c learners=ada,grace | -c learners=3   class sandbox: one isolated copy per learner
//   -c budget=50 -c budgetEmail=me@example  monthly budget alarm for the class account
//   -c reservedConcurrency=2                reserved concurrency of every function
//   -c kinesis=false                        leave out the Kinesis variant (a stream costs ~USD 11/month)
import { App } from 'aws-cdk-lib';
import { InvalidContextError, readSettings, type WorkbookSettings } from './settings.ts';
import { addWorkbookStacks } from './workbook.ts';

const app = new App();
let settings: WorkbookSettings;
try {
  settings = readSettings((key) => app.node.tryGetContext(key));
} catch (error) {
  if (!(error instanceof InvalidContextError)) throw error;
  console.error(error.message); // a usage error: the message says it all, no stack
  process.exit(1);
}
addWorkbookStacks(app, settings);
app.synth();
