import type { IncomingHttpHeaders } from 'node:http';

/** Protocol families of AWS services: how a client expects an error to look. */
export type Protocol = 'rest-xml' | 'rest-json' | 'json' | 'query' | 'ec2';

/** The signing names of the services the local cloud models, with their protocols. */
const MODELLED: Readonly<Record<string, Protocol>> = {
  s3: 'rest-xml',
  lambda: 'rest-json',
  apigateway: 'rest-json',
  'execute-api': 'rest-json',
  logs: 'json',
  dynamodb: 'json',
  kinesis: 'json',
  'cognito-identity': 'json',
  iam: 'query',
  sts: 'query',
};

/**
 * Services the local cloud does not model whose errors are XML: the AWS query protocol (SNS, SQS's
 * older clients, CloudWatch, CloudFormation, …; botocore's service models name it `query`), EC2's
 * own variant, and REST-XML besides S3 (Route 53, CloudFront). Every other unmodelled service
 * speaks JSON — `json` when it sends `X-Amz-Target`, else `rest-json` — which is the default.
 */
const XML_SERVICES: Readonly<Record<string, Protocol>> = {
  sns: 'query',
  sqs: 'query',
  monitoring: 'query',
  cloudformation: 'query',
  elasticloadbalancing: 'query',
  autoscaling: 'query',
  rds: 'query',
  elasticache: 'query',
  redshift: 'query',
  email: 'query',
  sdb: 'query',
  iam: 'query',
  sts: 'query',
  ec2: 'ec2',
  route53: 'rest-xml',
  cloudfront: 'rest-xml',
};

/**
 * The protocol a request to `service` (its signing name) speaks, so an error the edge raises —
 * NotImplemented for a service the local cloud does not model, an authentication failure — parses
 * in the caller's SDK. The request itself says it where it can: `X-Amz-Target` is the JSON
 * protocol (SQS's newer clients, Step Functions, …); a form body or an `Action` query parameter is
 * the query protocol.
 */
export function protocolOf(service: string, headers: IncomingHttpHeaders = {}, rawQuery = ''): Protocol {
  const modelled = MODELLED[service];
  if (modelled !== undefined) return modelled;
  if (typeof headers['x-amz-target'] === 'string') return 'json';
  const contentType = String(headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/x-www-form-urlencoded') || /(^|&)Action=/.test(rawQuery)) {
    return service === 'ec2' ? 'ec2' : 'query';
  }
  return XML_SERVICES[service] ?? 'rest-json';
}
