/**
 * Recordings of real AWS (test/recordings/aws) whose behaviour the local cloud does not model, and
 * why. test/infra/local/recordings.test.ts checks that every other recording is read by a test.
 */
export const NOT_MODELLED: Readonly<Record<string, string>> = {
  'lambda-invoke-function-error-python':
    'Python runtime: the local cloud runs Node.js functions only (the Node.js error shape is checked against lambda-invoke-function-error-nodejs)',
  'lambda-invoke-tail-logresult-python':
    'Python runtime: Node.js only (LogType Tail is checked against lambda-invoke-tail-logresult-nodejs)',
  'lambda-logs-request-id':
    "Python runtime: its lines come from Python's logging module ([INFO]\\t…); START/END/REPORT are checked with Node.js handlers",
  'lambda-runtime-environment-python312':
    'Python runtime: Node.js only (the Node.js environment and context are checked in test/infra/local/lambda/runtime)',
  'lambda-invoke-timeout-environment-reuse-2024':
    'the 2024 timeout payload (no errorType) was superseded on AWS: the local runtime answers the 2025 shape recorded in lambda-invoke-timeout',
  'lambda-url-response-mapping-boolean':
    'Lambda function URLs are not modelled (CreateFunctionUrlConfig answers NotImplemented); HTTP API payload 2.0 applies the same response inference',
  'lambda-url-response-mapping-dict': 'Lambda function URLs are not modelled (see lambda-url-response-mapping-boolean)',
  'lambda-url-response-mapping-integer':
    'Lambda function URLs are not modelled (see lambda-url-response-mapping-boolean)',
  'lambda-url-response-mapping-list': 'Lambda function URLs are not modelled (see lambda-url-response-mapping-boolean)',
  'lambda-url-response-mapping-statuscode-body':
    'Lambda function URLs are not modelled (see lambda-url-response-mapping-boolean)',
  's3-notification-sqs-message-envelope':
    'Amazon SQS is not modelled: bucket notifications go to Lambda only (the S3 record inside is checked in test/infra/local/s3)',
  'dynamodb-esm-onfailure-sqs':
    'Amazon SQS is not modelled: on-failure destinations of event source mappings are S3 buckets (checked against dynamodb-esm-onfailure-s3)',
  'dynamodb-esm-function-error-retries-exhausted':
    'its on-failure destination is an SQS queue (not modelled); retries and the record are checked against dynamodb-esm-onfailure-s3',
  'dynamodb-error-validation-empty-parameters': 'PartiQL (ExecuteStatement) is not modelled by the local DynamoDB',
};
