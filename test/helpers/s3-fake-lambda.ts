import { ACCOUNT_ID, DEFAULT_REGION } from '../../infra/local/edge/types.ts';
import type { LambdaInvoker } from '../../infra/local/lambda/invoker.ts';

export interface RecordedInvoke {
  readonly functionRef: string;
  readonly payload: unknown;
  readonly source?: string;
}

/** The part of the Lambda port S3 uses, knowing a fixed set of functions and recording every async invoke. */
export class FakeLambdaInvoker implements Pick<LambdaInvoker, 'functionExists' | 'invokeAsync'> {
  readonly invocations: RecordedInvoke[] = [];
  readonly #functions: Set<string>;

  constructor(functionNames: readonly string[] = []) {
    this.#functions = new Set(functionNames);
  }

  static arn(name: string, region = DEFAULT_REGION): string {
    return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
  }

  functionExists(functionRef: string): boolean {
    const name = functionRef.split(':function:')[1]?.split(':')[0] ?? functionRef;
    return this.#functions.has(name);
  }

  invokeAsync(functionRef: string, payload: unknown, options?: { readonly source?: string }): string {
    // Serialise as the Lambda service would: handlers receive JSON, not shared objects.
    this.invocations.push({ functionRef, payload: JSON.parse(JSON.stringify(payload)), source: options?.source });
    return `fake-${this.invocations.length}`;
  }
}
