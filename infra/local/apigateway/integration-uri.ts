/** A Lambda function ARN, optionally qualified (`:alias` or `:version`). */
const LAMBDA_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]{1,64}(:[a-zA-Z0-9$_-]+)?$/;
/** The API Gateway service-integration form: `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations`. */
const INVOCATION_URI =
  /^arn:aws[a-zA-Z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;

/**
 * The Lambda function an AWS_PROXY integration URI names, or undefined when it names none. HTTP APIs
 * accept both a function ARN and the invocation URI ("CreateIntegration: integrationUri").
 */
export function lambdaArnOf(integrationUri: string): string | undefined {
  if (LAMBDA_ARN.test(integrationUri)) return integrationUri;
  const wrapped = INVOCATION_URI.exec(integrationUri)?.[1];
  return wrapped !== undefined && LAMBDA_ARN.test(wrapped) ? wrapped : undefined;
}
