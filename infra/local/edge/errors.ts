import type { ServiceResponse } from './types.ts';

/**
 * An error raised at the edge (authentication, routing, limits), rendered in the
 * protocol of the service the request was meant for.
 */
export class EdgeError extends Error {
  override name = 'EdgeError';
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.status = status;
  }
}

const escapeXml = (value: string): string =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** Protocol families of the services the edge fronts. */
export type Protocol = 'rest-xml' | 'rest-json' | 'json' | 'query';

/** Which protocol each signing name speaks, so edge errors parse in the caller's SDK. */
export const PROTOCOL_BY_SERVICE: Readonly<Record<string, Protocol>> = {
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

export function renderError(
  error: { code: string; status: number; message: string },
  service: string,
  requestId: string,
): ServiceResponse {
  const protocol = PROTOCOL_BY_SERVICE[service] ?? 'json';
  const { code, status, message } = error;
  switch (protocol) {
    case 'rest-xml':
      return {
        status,
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
        body:
          '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message>` +
          `<RequestId>${requestId}</RequestId></Error>`,
      };
    case 'query':
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body:
          `<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXml(code)}</Code>` +
          `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    default:
      return {
        status,
        headers: {
          'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': code,
        },
        body: JSON.stringify(protocol === 'json' ? { __type: code, message } : { Type: 'User', message }),
      };
  }
}
