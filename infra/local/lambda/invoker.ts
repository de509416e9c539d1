import type { InvokeOptions, InvokeResult } from './context.ts';

/**
 * The one port through which the other services of the local cloud reach Lambda (S3
 * notifications, event source mappings, API Gateway integrations). Implemented by LambdaService;
 * each consumer takes the part it needs (`Pick<LambdaInvoker, …>`). A function reference is a name,
 * a partial or full ARN, optionally qualified with a version or alias.
 */
export interface LambdaInvoker {
  /** True when the function — and the version or alias a qualified reference names — exists. */
  functionExists(functionRef: string): boolean;
  /** The ARN for a reference (qualified as given) when it exists: what a mapping records as FunctionArn. */
  resolveFunctionArn(functionRef: string): string | undefined;
  /** Invokes as the Invoke API does (RequestResponse by default); throws LambdaError for Invoke's error answers. */
  invoke(functionRef: string, payload: unknown, options?: InvokeOptions): Promise<InvokeResult>;
  /**
   * Queues an asynchronous (`Event`) invocation, as S3 does for a bucket notification.
   * Returns the request id at once; retries, event age and destinations follow the function's
   * event invoke config.
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
  /** True when the resource policy of the function (or of the version or alias named) lets `principal` invoke it. */
  allowsInvoke(functionRef: string, principal: string, sourceArn?: string): boolean;
}
