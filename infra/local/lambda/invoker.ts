/**
 * What other services of the local cloud (S3 notifications, later event source mappings
 * and API Gateway) need from Lambda. Implemented by the Lambda service.
 */
export interface LambdaInvoker {
  /** True when the function (name, ARN or qualified ARN) exists. */
  functionExists(functionRef: string): boolean;
  /**
   * Queues an asynchronous (`Event`) invocation, as S3 does for a bucket notification.
   * Returns the request id at once; retries follow Lambda's async retry policy.
   */
  invokeAsync(
    functionRef: string,
    payload: unknown,
    options?: {
      readonly source?: string;
      /** X-Amzn-Trace-Id of the request that caused the event (recursive loop detection). */
      readonly traceHeader?: string;
    },
  ): string;
}
