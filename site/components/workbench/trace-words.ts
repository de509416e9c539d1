// The trace's step types in a learner's words. The cloud names its steps for machines
// (`lambda.function.updated`); whatever part of the workbench shows a step it has no sentence of
// its own for (the timeline's notices, the flow diagram's step log) says this instead of the type.

const WORDS: Readonly<Record<string, string>> = {
  'apigateway.api': 'HTTP API changed',
  'apigateway.error': 'HTTP API error',
  'apigateway.integration': 'HTTP API calls the function',
  'apigateway.request': 'HTTP API request',
  'cloud.started': 'Local cloud started',
  'cognito.credentials': 'Identity pool hands out temporary credentials',
  'cognito.identity': 'Identity pool identifies the app',
  'cognito.request': 'Cognito request',
  'dynamodb.error': 'DynamoDB error',
  'dynamodb.request': 'DynamoDB request',
  'dynamodb.stream.record': 'Change written to the table’s stream',
  'edge.error': 'Local cloud refused a request',
  'esm.batch': 'Event source mapping sends a batch',
  'esm.bisect': 'Event source mapping splits a failing batch',
  'esm.checkpoint.reset': 'Event source mapping starts reading the stream again',
  'esm.error': 'Event source mapping error',
  'esm.invoke.result': 'Event source mapping reads the function’s answer',
  'esm.onfailure': 'Event source mapping gives up on a batch',
  'esm.state': 'Event source mapping changed state',
  'iam.denied': 'Access denied',
  'kinesis.record': 'Record written to the Kinesis stream',
  'kinesis.request': 'Kinesis request',
  'lambda.alias.created': 'Function alias created',
  'lambda.alias.deleted': 'Function alias deleted',
  'lambda.alias.updated': 'Function alias updated',
  'lambda.async.destination': 'Lambda sends the outcome to a destination',
  'lambda.async.dropped': 'Lambda drops the event',
  'lambda.async.retry': 'Lambda retries the event',
  'lambda.async.throttled': 'Lambda holds the event back (throttled)',
  'lambda.concurrency.reserved': 'Function’s reserved concurrency set',
  'lambda.error': 'Lambda error',
  'lambda.function.created': 'Function created',
  'lambda.function.deleted': 'Function deleted',
  'lambda.function.updated': 'Function’s code or configuration updated',
  'lambda.invoke.end': 'Function finished',
  'lambda.invoke.start': 'Function started',
  'lambda.log': 'Function log line',
  'lambda.permission.added': 'Permission to invoke the function added',
  'lambda.permission.removed': 'Permission to invoke the function removed',
  'lambda.recursion.stopped': 'Lambda stops a recursive loop',
  'lambda.report': 'Function’s REPORT line',
  'lambda.throttled': 'Lambda throttles the invocation',
  'lambda.version.deleted': 'Function version deleted',
  'lambda.version.published': 'Function version published',
  'logs.dropped': 'Log lines dropped',
  'logs.put': 'Log lines written to CloudWatch Logs',
  'logs.request': 'CloudWatch Logs request',
  'observer.notice': 'Workbook notice',
  's3.error': 'S3 error',
  's3.notification': 'S3 sends an event notification',
  's3.object.created': 'Object created in S3',
  's3.request': 'S3 request',
  'sts.credentials': 'STS hands out temporary credentials',
  'sts.request': 'STS request',
  'trace.dropped': 'Some steps were not shown (the page fell behind)',
};

const SERVICES: Readonly<Record<string, string>> = {
  apigateway: 'HTTP API',
  cognito: 'Cognito',
  dynamodb: 'DynamoDB',
  esm: 'Event source mapping',
  iam: 'IAM',
  kinesis: 'Kinesis',
  lambda: 'Lambda',
  logs: 'CloudWatch Logs',
  s3: 'S3',
  sts: 'STS',
};

/**
 * A step type in words (`lambda.function.updated` → "Function’s code or configuration updated");
 * a type this table does not know reads as its service and its words, never as the dotted name.
 */
export function stepWords(type: string): string {
  const known = WORDS[type];
  if (known !== undefined) return known;
  const [service = '', ...rest] = type.split('.');
  const words = rest.join(' ').replace(/[-_]/g, ' ');
  return `${SERVICES[service] ?? service.toUpperCase()}${words ? `: ${words}` : ''}`;
}
