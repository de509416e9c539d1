import type { IncomingHttpHeaders } from 'node:http';
import { protocolOf } from './protocol.ts';
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

/** An edge error in the protocol of the service a request was for (see {@link protocolOf}). */
export function renderError(
  error: { code: string; status: number; message: string },
  service: string,
  requestId: string,
  request: { readonly headers?: IncomingHttpHeaders; readonly rawQuery?: string } = {},
): ServiceResponse {
  const protocol = protocolOf(service, request.headers, request.rawQuery);
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
    case 'ec2':
      return {
        status,
        headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code>` +
          `<Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    default:
      return {
        status,
        headers: {
          // JSON 1.0 clients (DynamoDB, SQS, …) get 1.0 back.
          'content-type':
            protocol === 'json'
              ? String(request.headers?.['content-type'] ?? '').includes('x-amz-json-1.0')
                ? 'application/x-amz-json-1.0'
                : 'application/x-amz-json-1.1'
              : 'application/json',
          'x-amzn-requestid': requestId,
          'x-amzn-errortype': code,
        },
        body: JSON.stringify(protocol === 'json' ? { __type: code, message } : { Type: 'User', message }),
      };
  }
}
