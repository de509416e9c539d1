import type { TraceBus } from '../trace/bus.ts';
import { type Destination, type InvocationCondition, invocationRecord, parseDestination } from './destinations.ts';
import { functionArn } from './names.ts';
import type { InvocationResult } from './runtime/pool.ts';
import type { FunctionStore } from './store.ts';

/**
 * The waits AWS makes before the second and third attempt of a failed asynchronous event: one and
 * two minutes (Lambda developer guide, "Error handling and automatic retries in Lambda", asynchronous invocation).
 */
export const AWS_RETRY_WAITS_MS = [60_000, 120_000] as const;

/** AWS's defaults when no event invoke config says otherwise: 2 retries, 6 hours. */
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_AGE_SECONDS = 21_600;

/** One queued asynchronous event. */
export interface AsyncEvent {
  readonly requestId: string;
  readonly functionName: string;
  /** The qualifier it was invoked with (undefined: the unqualified function, i.e. `$LATEST`). */
  readonly qualifier?: string;
  /** The event as JSON text. */
  readonly payload: string;
  readonly source?: string;
  /** `_X_AMZN_TRACE_ID` the event's invocations carry (recursive loop detection follows the chain). */
  readonly traceId?: string;
}

/** What one attempt did: ran (with the version that ran), was throttled, or found no function. */
export type AttemptOutcome =
  | { readonly kind: 'ran'; readonly result: InvocationResult; readonly executedVersion: string }
  | { readonly kind: 'throttled'; readonly reason: string }
  | { readonly kind: 'gone'; readonly reason: string };

export interface AsyncQueueDependencies {
  readonly store: FunctionStore;
  readonly region: string;
  readonly trace: TraceBus;
  /** Local waits before the retries (AWS: about 1 and 2 minutes). Throttled events wait the first. */
  readonly retryDelaysMs: readonly number[];
  attempt(event: AsyncEvent, attempt: number): Promise<AttemptOutcome>;
  /** Sends an invocation record with the function's execution role (as Lambda does). */
  deliver(
    destination: Destination,
    record: Record<string, unknown>,
    functionName: string,
    roleArn: string,
  ): Promise<void>;
}

interface Queued {
  readonly event: AsyncEvent;
  readonly enqueuedAt: number;
  /** Waits AWS would have made that the local cloud shortened: they count into the event's age. */
  creditedMs: number;
  attempts: number;
  last?: { readonly result: InvocationResult; readonly executedVersion: string };
}

/**
 * Lambda's asynchronous invocation queue: an event runs, failed attempts are retried up to
 * `MaximumRetryAttempts` (0–2) while the event is younger than `MaximumEventAgeInSeconds`, and the
 * outcome goes to the on-success or on-failure destination with the recorded invocation record.
 * Reserved concurrency 0 sends events straight to the on-failure destination
 * (condition `ZeroReservedConcurrency`, recorded). The local cloud waits `retryDelaysMs` instead of
 * AWS's minutes, but an event's age counts the minutes AWS would have waited, so
 * `MaximumEventAgeInSeconds` ends events after the same attempts as on AWS.
 */
export class AsyncInvocationQueue {
  readonly #deps: AsyncQueueDependencies;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #closed = false;

  constructor(deps: AsyncQueueDependencies) {
    this.#deps = deps;
  }

  enqueue(event: AsyncEvent): void {
    this.#schedule({ event, enqueuedAt: Date.now(), creditedMs: 0, attempts: 0 }, 0);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  #schedule(queued: Queued, delayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#track(this.#process(queued));
    }, delayMs);
    timer.unref?.();
    this.#timers.add(timer);
  }

  #track(work: Promise<unknown>): void {
    this.#inFlight.add(work);
    work.finally(() => this.#inFlight.delete(work)).catch(() => undefined);
  }

  async #process(queued: Queued): Promise<void> {
    if (this.#closed) return;
    const { event } = queued;
    const { trace } = this.#deps;
    const record = this.#deps.store.get(event.functionName);
    if (record === undefined) {
      trace.publish(
        'lambda.async.dropped',
        { functionName: event.functionName, reason: 'function deleted', attempts: queued.attempts },
        event.requestId,
      );
      return;
    }
    const settings = record.eventInvokeConfigs?.[event.qualifier ?? '$LATEST'];
    const maxRetries = settings?.MaximumRetryAttempts ?? DEFAULT_RETRIES;
    const maxAgeMs = (settings?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
    if (record.reservedConcurrency === 0) return this.#fail(queued, 'ZeroReservedConcurrency');
    if (Date.now() - queued.enqueuedAt + queued.creditedMs > maxAgeMs) return this.#fail(queued, 'EventAgeExceeded');

    let outcome: AttemptOutcome;
    try {
      outcome = await this.#deps.attempt(event, queued.attempts + 1);
    } catch {
      return; // the service closed while the invocation ran
    }
    if (this.#closed) return;
    if (outcome.kind === 'gone') {
      trace.publish(
        'lambda.async.dropped',
        { functionName: event.functionName, reason: outcome.reason, attempts: queued.attempts },
        event.requestId,
      );
      return;
    }
    if (outcome.kind === 'throttled') {
      // Throttled events go back to the queue without using an attempt (Lambda developer guide: async invocation).
      const delay = this.#deps.retryDelaysMs[0] ?? 1000;
      trace.publish(
        'lambda.async.throttled',
        {
          functionName: event.functionName,
          delayMs: delay,
          reason: outcome.reason,
        },
        event.requestId,
      );
      this.#schedule(queued, delay);
      return;
    }
    queued.attempts += 1;
    queued.last = { result: outcome.result, executedVersion: outcome.executedVersion };
    if (outcome.result.error === undefined) return this.#succeed(queued);
    if (queued.attempts > maxRetries) return this.#fail(queued, 'RetriesExhausted');
    const delay = this.#deps.retryDelaysMs[queued.attempts - 1] ?? this.#deps.retryDelaysMs.at(-1) ?? 1000;
    queued.creditedMs += Math.max(0, (AWS_RETRY_WAITS_MS[queued.attempts - 1] ?? 120_000) - delay);
    trace.publish(
      'lambda.async.retry',
      {
        functionName: event.functionName,
        attempt: queued.attempts + 1,
        delayMs: delay,
        errorType: outcome.result.error.errorType,
        errorMessage: outcome.result.error.errorMessage,
      },
      event.requestId,
    );
    this.#schedule(queued, delay);
  }

  async #succeed(queued: Queued): Promise<void> {
    await this.#send(queued, 'OnSuccess', 'Success');
  }

  async #fail(queued: Queued, condition: Exclude<InvocationCondition, 'Success'>): Promise<void> {
    const error = queued.last?.result.error;
    this.#deps.trace.publish(
      'lambda.async.dropped',
      {
        functionName: queued.event.functionName,
        reason: condition,
        attempts: queued.attempts,
        ...(error ? { errorType: error.errorType, errorMessage: error.errorMessage } : {}),
      },
      queued.event.requestId,
    );
    await this.#send(queued, 'OnFailure', condition);
  }

  async #send(queued: Queued, member: 'OnSuccess' | 'OnFailure', condition: InvocationCondition): Promise<void> {
    const { event } = queued;
    const record = this.#deps.store.get(event.functionName);
    const target = record?.eventInvokeConfigs?.[event.qualifier ?? '$LATEST']?.DestinationConfig[member].Destination;
    if (record === undefined || target === undefined) return;
    const invocation = invocationRecord({
      requestId: event.requestId,
      functionArn: functionArn(this.#deps.region, event.functionName, event.qualifier ?? '$LATEST'),
      condition,
      approximateInvokeCount: queued.attempts,
      requestPayload: event.payload,
      ...(queued.last
        ? {
            response: {
              executedVersion: queued.last.executedVersion,
              payload: queued.last.result.error ? JSON.stringify(queued.last.result.error) : queued.last.result.payload,
              ...(queued.last.result.error ? { functionError: 'Unhandled' } : {}),
            },
          }
        : {}),
    });
    const trace = { functionName: event.functionName, destination: target, member, condition };
    try {
      const destination = parseDestination(target, member, { functionName: event.functionName });
      await this.#deps.deliver(destination, invocation, event.functionName, record.config.Role);
      this.#deps.trace.publish('lambda.async.destination', { ...trace, delivered: true }, event.requestId);
    } catch (error) {
      // AWS counts these in the DestinationDeliveryFailures metric; the local cloud traces them.
      this.#deps.trace.publish(
        'lambda.async.destination',
        { ...trace, delivered: false, error: (error as Error).message },
        event.requestId,
      );
    }
  }
}
