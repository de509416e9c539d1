// AWS's published request-rate quotas for the operations the workbook uses, as the local cloud
// enforces them with `--quotas aws`. Each figure is AWS's default for an account; every one is per
// account and Region unless said otherwise. Sources (checked 2026-12-07):
//   CloudWatch Logs: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
//   Lambda:          https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
//   S3:              https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html
// DynamoDB is not rate-limited here: its throughput is table capacity (on-demand tables scale per
// table), not an account-wide request rate; the workbook's scans are a few read units each.

/** A rate in requests per second, its default, and per-Region exceptions where AWS lists them. */
export interface RateQuota {
  /** The name AWS's quota table gives it. */
  readonly name: string;
  readonly perSecond: number;
  /** Region → requests per second, where the Region differs from `perSecond`. */
  readonly regions?: Readonly<Record<string, number>>;
  /** Whether AWS raises it on request (Service Quotas). */
  readonly adjustable: boolean;
  readonly source: string;
}

const LOGS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html';
const LAMBDA = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const S3 = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html';

/** CloudWatch Logs: one quota per operation ("… throttle limit in transactions per second"). */
export const LOGS_QUOTAS = {
  FilterLogEvents: {
    name: 'FilterLogEvents throttle limit in transactions per second',
    perSecond: 10,
    regions: {
      'us-east-1': 25,
      'ap-northeast-3': 5,
      'ap-southeast-3': 5,
      'ca-west-1': 5,
      'eu-central-1': 5,
      'il-central-1': 5,
    },
    adjustable: false,
    source: LOGS,
  },
  GetLogEvents: {
    name: 'GetLogEvents throttle limit in transactions per second',
    perSecond: 25,
    regions: {
      'us-west-2': 10,
      'ap-northeast-3': 10,
      'ap-southeast-3': 10,
      'ca-west-1': 10,
      'eu-central-1': 10,
      'eu-west-1': 10,
      'eu-west-3': 30,
      'il-central-1': 10,
    },
    adjustable: false,
    source: LOGS,
  },
  PutLogEvents: {
    name: 'PutLogEvents throttle limit in transactions per second',
    perSecond: 5000,
    adjustable: true,
    source: LOGS,
  },
  DescribeLogGroups: {
    name: 'DescribeLogGroups throttle limit in transactions per second',
    perSecond: 10,
    adjustable: true,
    source: LOGS,
  },
  DescribeLogStreams: {
    name: 'DescribeLogStreams throttle limit in transactions per second',
    perSecond: 25,
    adjustable: true,
    source: LOGS,
  },
  StartLiveTail: {
    name: 'StartLiveTail throttle limit in transactions per second',
    perSecond: 5,
    adjustable: false,
    source: LOGS,
  },
} as const satisfies Readonly<Record<string, RateQuota>>;

/**
 * Live Tail's session quota: "Live Tail concurrent sessions limit", 15 per account and Region
 * (adjustable), each session scanning at most 10 log groups. Below a class of 30: the workbench
 * does not use Live Tail (the local cloud does not serve StartLiveTail's event stream either).
 */
export const LIVE_TAIL_CONCURRENT_SESSIONS = 15;

/** Lambda's API request quotas ("Lambda API requests"); none can be increased. */
export const LAMBDA_QUOTAS = {
  GetFunction: { name: 'GetFunction API requests', perSecond: 100, adjustable: false, source: LAMBDA },
  GetPolicy: { name: 'GetPolicy API requests', perSecond: 15, adjustable: false, source: LAMBDA },
  /** "15 requests per second across all APIs (not 15 requests per second per API)". */
  ControlPlane: {
    name: 'Remainder of the control plane API requests (excludes invocation, GetFunction, and GetPolicy requests)',
    perSecond: 15,
    adjustable: false,
    source: LAMBDA,
  },
} as const satisfies Readonly<Record<string, RateQuota>>;

/** Lambda's concurrency quota ("Concurrent executions", adjustable; new accounts get less). */
export const LAMBDA_CONCURRENT_EXECUTIONS = 1000;
/** What PutFunctionConcurrency must leave unreserved (UnreservedConcurrentExecution minimum). */
export const LAMBDA_UNRESERVED_MINIMUM = 100;

/** S3: "at least 3,500 PUT/COPY/POST/DELETE or 5,500 GET/HEAD requests per second per partitioned prefix". */
export const S3_QUOTAS = {
  Write: {
    name: 'PUT/COPY/POST/DELETE requests per second per prefix',
    perSecond: 3500,
    adjustable: false,
    source: S3,
  },
  Read: { name: 'GET/HEAD requests per second per prefix', perSecond: 5500, adjustable: false, source: S3 },
} as const satisfies Readonly<Record<string, RateQuota>>;

/** A quota's rate in `region`. */
export function rateIn(quota: RateQuota, region: string): number {
  return quota.regions?.[region] ?? quota.perSecond;
}
