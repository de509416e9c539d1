import type { ServiceResponse } from '../edge/types.ts';

/**
 * API Gateway v2 errors (REST-JSON): an HTTP status, the `x-amzn-ErrorType` header and a body
 * `{"message":"…"}` with lowerCamelCase members, as the API Gateway V2 API reference's per-operation
 * Errors list them (BadRequestException 400, NotFoundException 404, ConflictException 409,
 * TooManyRequestsException 429, AccessDeniedException 403).
 */
const STATUS = {
  BadRequestException: 400,
  NotFoundException: 404,
  ConflictException: 409,
  TooManyRequestsException: 429,
  AccessDeniedException: 403,
  /** The local cloud's answer for API Gateway operations it does not implement. */
  NotImplemented: 501,
  InternalServerErrorException: 500,
} as const;

export type ApiGatewayErrorCode = keyof typeof STATUS;

export class ApiGatewayError extends Error {
  override name = 'ApiGatewayError';
  readonly code: ApiGatewayErrorCode;
  readonly status: number;
  /** NotFoundException's `resourceType` member (`Api`, `Route`, `Integration`, `Stage`). */
  readonly resourceType?: string;

  constructor(code: ApiGatewayErrorCode, message: string, options?: ErrorOptions & { resourceType?: string }) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
    this.resourceType = options?.resourceType;
  }

  toResponse(requestId: string): ServiceResponse {
    return {
      status: this.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': this.code,
      },
      body: JSON.stringify({
        message: this.message,
        ...(this.resourceType !== undefined ? { resourceType: this.resourceType } : {}),
      }),
    };
  }

  /** Any throw becomes an API Gateway error; unknown ones an internal error without internals. */
  static from(error: unknown): ApiGatewayError {
    if (error instanceof ApiGatewayError) return error;
    return new ApiGatewayError('InternalServerErrorException', 'Internal server error', { cause: error });
  }
}

export const notFound = (resourceType: string, message: string): ApiGatewayError =>
  new ApiGatewayError('NotFoundException', message, { resourceType });
