// Errors a learner meets when the workbook drives AWS (or the local cloud), explained: what went
// wrong and what to do, instead of an SDK stack trace.
import type { ApiError } from '../lib/workbench-api.ts';

export interface ExplainedError extends ApiError {
  /** HTTP status for the workbench API's answer. */
  readonly status: number;
  /** For AccessDenied: the action the caller lacks, e.g. `lambda:UpdateFunctionCode`. */
  readonly missingPermission?: string;
  /** For AccessDenied: the resource the action was refused on. */
  readonly resource?: string;
}

interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly Code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** `User: … is not authorized to perform: <action> on resource: <arn>` (IAM's wording, every service). */
const NOT_AUTHORIZED = /is not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9*]+)(?: on resource:? (\S+?))?(?:[ ,.]|$)/;

export interface ExplainContext {
  /** `local` or `aws`: what the learner points the workbook at. */
  readonly target: 'local' | 'aws';
  /** The region in use (AWS). */
  readonly region?: string;
  /** What the workbook was doing, e.g. `deploying your edit to ThumbnailFunction`. */
  readonly doing?: string;
}

/** Turns an SDK / network error into an answer a learner can act on. */
export function explainAwsError(error: unknown, context: ExplainContext): ExplainedError {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkErrorLike;
  const name = e.name ?? e.Code ?? e.code ?? 'Error';
  const message = e.message ?? String(error);
  const status = e.$metadata?.httpStatusCode;
  const doing = context.doing ? ` while ${context.doing}` : '';
  const where = context.target === 'aws' ? `AWS (${context.region || 'no region set'})` : 'the local cloud';

  if (name === 'CredentialsProviderError' || /Could not load credentials from any providers/i.test(message)) {
    return {
      status: 401,
      error: 'NoCredentials',
      message: `No AWS credentials found${doing}. Sign in the way your instructor showed you: \`aws sso login --profile <profile>\` and start the workbook with AWS_PROFILE=<profile>, or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).`,
    };
  }
  if (
    /SSO session .*(expired|invalid)|Token is expired|SSO Token|refresh failed/i.test(message) ||
    name === 'TokenProviderError'
  ) {
    return {
      status: 401,
      error: 'SsoSessionExpired',
      message: `Your AWS SSO session has expired${doing}. Run \`aws sso login --profile <profile>\`, then try again (no restart needed).`,
    };
  }
  if (['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired'].includes(name)) {
    return {
      status: 401,
      error: 'CredentialsExpired',
      message: `Your temporary AWS credentials have expired${doing}. Get fresh ones (\`aws sso login\`, or new keys from your instructor) and try again.`,
    };
  }
  if (
    [
      'UnrecognizedClientException',
      'InvalidClientTokenId',
      'InvalidAccessKeyId',
      'SignatureDoesNotMatch',
      'IncompleteSignature',
    ].includes(name)
  ) {
    return {
      status: 401,
      error: 'InvalidCredentials',
      message: `${where} does not accept these credentials (${name})${doing}: the access key is unknown or the secret is wrong. Check AWS_PROFILE / AWS_ACCESS_KEY_ID.`,
    };
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || status === 403) {
    const match = NOT_AUTHORIZED.exec(message);
    const action = match?.[1];
    const resource = match?.[2];
    return {
      status: 403,
      error: 'AccessDenied',
      message: action
        ? `Access denied${doing}: your credentials lack ${action}${resource ? ` on ${resource}` : ''}. ${context.target === 'aws' ? 'Your sandbox role allows only your own copy of the scenarios: check you picked your stacks (--learner), or ask your instructor.' : 'The role in use does not grant it: see the policy in the scenario’s infra.ts.'} (${message})`
        : `Access denied${doing}: ${message}`,
      ...(action ? { missingPermission: action } : {}),
      ...(resource ? { resource } : {}),
    };
  }
  if (
    name === 'PermanentRedirect' ||
    name === 'AuthorizationHeaderMalformed' ||
    /wrong region|expecting '[a-z0-9-]+'/i.test(message)
  ) {
    return {
      status: 409,
      error: 'WrongRegion',
      message: `The sandbox lives in another region than ${context.region || 'the one configured'}${doing}: start the workbook with --region set to the region your instructor deployed to. (${message})`,
    };
  }
  if (name === 'ResourceNotFoundException' || name === 'NoSuchBucket' || name === 'NotFoundException') {
    return {
      status: 404,
      error: 'NotDeployed',
      message: `Not found in ${where}${doing}: ${message}. Is the stack deployed${context.target === 'aws' ? ', in this region, and is the outputs file the current one' : ' (see the output of npm start)'}?`,
    };
  }
  const code = (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || name === 'TimeoutError') {
    return {
      status: 502,
      error: 'Unreachable',
      message: `${where} cannot be reached${doing} (${code ?? name}). ${context.target === 'local' ? 'Is `npm start` still running?' : 'Check your network connection and AWS_ENDPOINT_URL.'}`,
    };
  }
  if (name === 'TooManyRequestsException' || name === 'ThrottlingException' || status === 429) {
    return {
      status: 429,
      error: 'Throttled',
      message: `${where} throttled the request${doing} (${name}): the function's reserved concurrency or an account limit was reached. Wait a moment and try again.`,
    };
  }
  return {
    status: status !== undefined && status >= 400 && status < 500 ? status : 502,
    error: name,
    message: `${where} answered ${name}${doing}: ${message}`,
  };
}
