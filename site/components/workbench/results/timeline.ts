// The timeline of invocations, without the DOM: the trace's steps (and the Run button's own
// answers) folded into events, each with the invocations Lambda made for it. An asynchronous event
// keeps its request id through its retries (Lambda's async invocation), so its attempts group under
// it with the "Dropped … RetriesExhausted" that may end it; a stream batch gets a new request id per
// attempt, so its attempts group by the batch's records (mapping, shard, first and last record).
// Every invocation appears once: the Run's own is pinned, the others are listed newest first.
import { parseReportLine } from '../../../lib/report.ts';
import type { InvokeResult, TraceMessage } from '../../../lib/workbench-api.ts';
import { stepWords } from '../trace-words.ts';
import type { LessonNames } from './names.ts';

/** How an invocation ended, or that it has not. */
export type InvocationStatus = 'running' | 'succeeded' | 'failed' | 'timed-out';

/** One run of the function: an attempt at an event. */
export interface Invocation {
  readonly requestId: string;
  readonly attempt: number;
  readonly startedAt: number;
  status: InvocationStatus;
  invocationType?: string;
  cold?: boolean;
  durationMs?: number;
  billedDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  initDurationMs?: number;
  error?: { readonly errorType: string; readonly errorMessage: string };
  /** The init phase (the module's code outside the handler) failed or timed out: the handler never ran. */
  initFailed?: boolean;
  /** Its log lines (START … REPORT), at most `logLimit`. */
  readonly logs: string[];
  /** Lines left out past `logLimit`. */
  droppedLogLines: number;
  /** The Run's answer carried the log (LogType Tail): the trace's copy of the lines is not added again. */
  logsFromResult?: boolean;
  /** Seen in CloudWatch Logs (AWS mode) rather than reported by the local cloud. */
  observed?: string;
  /** Made from the Run's answer before the trace told of its start (the trace's start then joins it). */
  fromResult?: boolean;
}

/** What set an event off. */
export interface Trigger {
  readonly kind: 'run' | 's3' | 'stream' | 'api' | 'direct' | 'async' | 'logs';
  /** One line, e.g. `S3 notification: ObjectCreated:Put of cat.jpg`. */
  readonly text: string;
  /** For an S3 notification: the object, to match a Run's sample upload. */
  readonly object?: { readonly bucket: string; readonly key: string };
}

export interface TimelineNote {
  readonly tone: 'info' | 'error';
  readonly text: string;
  /** How many of the event's invocations had started when it was said (its place among the attempts). */
  readonly after?: number;
}

/** One event and the invocations Lambda made for it. */
export interface TimelineEvent {
  readonly key: string;
  /** Order of arrival (newest is highest). */
  readonly seq: number;
  readonly functionName: string;
  trigger: Trigger;
  readonly invocations: Invocation[];
  /** Retries, drops, batch outcomes, denials, in order. */
  readonly notes: TimelineNote[];
  /** Lambda (or the event source mapping) gave up on it. */
  dropped?: { readonly reason: string; readonly attempts: number };
  /** A retry is scheduled and has not started yet. */
  retryPending: boolean;
  /** The Run that made it (its number), when it is the Run's own invocation. */
  run?: number;
  /** The Run whose sample upload set it off (the S3 notification of the photo Run put there first). */
  setOffByRun?: number;
  /** The Run's answer: its payload (the response or the error). */
  result?: { readonly statusCode: number; readonly functionError?: string; readonly payload?: unknown };
  /** What the Run did first because the sample refers to it (e.g. uploaded the sample photo). */
  prepared?: readonly string[];
}

/** How an event turned out, for the outcome filter. */
export type Outcome = 'running' | 'succeeded' | 'failed';

export function outcomeOf(event: TimelineEvent): Outcome {
  if (event.dropped) return 'failed';
  const last = event.invocations.at(-1);
  if (event.retryPending || last === undefined || last.status === 'running') return 'running';
  return last.status === 'succeeded' ? 'succeeded' : 'failed';
}

export interface TimelineFilter {
  /** Physical function name, or undefined for every function. */
  readonly functionName?: string;
  readonly outcome?: Outcome;
}

export interface TimelineOptions {
  /** Events kept; older ones are dropped (and counted). @default 50 */
  readonly limit?: number;
  /** Log lines kept per invocation. @default 300 */
  readonly logLimit?: number;
  /** Notices (what is not an invocation: denials by the app, the observer's messages) kept. @default 5 */
  readonly noticeLimit?: number;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Why Lambda gave up on an event, for each reason it names (Lambda developer guide: async invocation, event source mappings). */
const DROP_REASONS: Readonly<Record<string, string>> = {
  RetriesExhausted: 'every attempt failed; an asynchronous event is retried twice, then dropped',
  RetryAttemptsExhausted: 'every attempt failed; the event source mapping stops retrying this batch',
  EventAgeExceeded: 'the event grew older than the maximum event age',
  RecordAgeExceeded: 'the records grew older than the maximum record age',
  ZeroReservedConcurrency: 'the function’s reserved concurrency is 0, so it may not run at all',
  RecursiveInvocationDetected: 'Lambda stopped a loop: the function kept triggering itself',
};

/** `PutObject bucket/key (N bytes)`: the object a Run uploaded before invoking. */
const PREPARED_PUT = /^PutObject ([^/\s]+)\/(.+?) \(/;

/** The model of one workbench's timeline. */
export class Timeline {
  readonly #names: LessonNames;
  readonly #limit: number;
  readonly #logLimit: number;
  readonly #noticeLimit: number;
  readonly #events = new Map<string, TimelineEvent>();
  /** Request id → event key (a stream batch's attempts each have their own request id). */
  readonly #byRequest = new Map<string, string>();
  /** Triggers announced before their invocation started (S3 notification, HTTP API integration). */
  readonly #triggers = new Map<string, Trigger>();
  #seq = 0;
  #runs = 0;
  #pending: { run: number; functionName: string; invocationType: string; claimed?: string } | undefined;
  #pinned: string | undefined;
  /** Objects each recent Run uploaded first, to label the invocations their notifications start. */
  #preparedObjects: { run: number; bucket: string; key: string }[] = [];
  /** Events dropped from the timeline since the last Clear (older than the newest `limit`). */
  droppedEvents = 0;
  readonly notices: TimelineNote[] = [];

  constructor(names: LessonNames, { limit = 50, logLimit = 300, noticeLimit = 5 }: TimelineOptions = {}) {
    this.#names = names;
    this.#limit = limit;
    this.#logLimit = logLimit;
    this.#noticeLimit = noticeLimit;
  }

  get limit(): number {
    return this.#limit;
  }

  /** The Run's own event, pinned above the others. */
  get pinned(): TimelineEvent | undefined {
    return this.#pinned === undefined ? undefined : this.#events.get(this.#pinned);
  }

  /** Every event but the pinned one, newest first, filtered. */
  list(filter: TimelineFilter = {}): TimelineEvent[] {
    return [...this.#events.values()]
      .filter((event) => event.key !== this.#pinned)
      .filter((event) => filter.functionName === undefined || event.functionName === filter.functionName)
      .filter((event) => filter.outcome === undefined || outcomeOf(event) === filter.outcome)
      .sort((a, b) => b.seq - a.seq);
  }

  /** Every event, pinned or not (newest first). */
  all(): TimelineEvent[] {
    return [...this.#events.values()].sort((a, b) => b.seq - a.seq);
  }

  /** Physical names of the functions that have events. */
  functionsSeen(): string[] {
    return [...new Set([...this.#events.values()].map((event) => event.functionName))];
  }

  clear(): void {
    this.#events.clear();
    this.#byRequest.clear();
    this.#triggers.clear();
    this.#pinned = undefined;
    this.#preparedObjects = [];
    this.droppedEvents = 0;
    this.notices.length = 0;
  }

  /** The Run button was pressed: its invocation, when it starts, is the Run's own. Returns its number. */
  runStarted(functionName: string, invocationType: 'RequestResponse' | 'Event'): number {
    this.#runs += 1;
    this.#pending = { run: this.#runs, functionName, invocationType };
    this.#pinned = undefined;
    return this.#runs;
  }

  /** The Run's answer: pins its event (made from the answer when the trace has not told of it yet). */
  runFinished(run: number, functionName: string, result: InvokeResult, invocationType: string): TimelineEvent {
    const pending = this.#pending?.run === run ? this.#pending : undefined;
    this.#pending = undefined;
    const requestId = result.requestId ?? pending?.claimed ?? `run-${run}`;
    // The trace may have claimed another direct invocation for this Run: give it back.
    if (pending?.claimed !== undefined && pending.claimed !== requestId) {
      const wrong = this.#events.get(this.#byRequest.get(pending.claimed) ?? pending.claimed);
      if (wrong?.run === run) {
        wrong.run = undefined;
        wrong.trigger = this.#directTrigger(wrong.invocations[0]?.invocationType ?? 'RequestResponse');
      }
    }
    const key = this.#byRequest.get(requestId) ?? requestId;
    const event = this.#events.get(key) ?? this.#newEvent(key, functionName, this.#runTrigger(run, invocationType));
    this.#byRequest.set(requestId, key);
    event.run = run;
    event.trigger = this.#runTrigger(run, invocationType);
    event.result = {
      statusCode: result.statusCode,
      ...(result.functionError !== undefined ? { functionError: result.functionError } : {}),
      ...(result.payload !== undefined ? { payload: result.payload } : {}),
    };
    if (result.prepared?.length) {
      event.prepared = result.prepared;
      for (const line of result.prepared) {
        const match = PREPARED_PUT.exec(line);
        if (match?.[1] && match[2]) this.#preparedObjects.push({ run, bucket: match[1], key: match[2] });
      }
      this.#preparedObjects = this.#preparedObjects.slice(-10);
      for (const other of this.#events.values()) this.#matchPrepared(other);
    }
    // A synchronous Run's answer is the invocation's end: fill in what the trace has not said yet.
    if (invocationType === 'RequestResponse' && result.requestId !== undefined) {
      const lines = result.logs.replace(/\n$/, '').split('\n').filter(Boolean);
      const report = result.report ?? parseReportLine(lines.find((line) => line.startsWith('REPORT')) ?? '');
      let invocation = event.invocations.find((candidate) => candidate.requestId === requestId);
      if (invocation === undefined) {
        invocation = this.#newInvocation(event, requestId, 1, Date.now());
        invocation.invocationType = invocationType;
        invocation.fromResult = true;
      }
      if (lines.length > invocation.logs.length) {
        invocation.logs.splice(0, invocation.logs.length, ...lines.slice(-this.#logLimit));
        invocation.logsFromResult = true;
      }
      if (invocation.status === 'running') {
        const payload = result.payload as { errorType?: unknown; errorMessage?: unknown } | undefined;
        this.#end(invocation, {
          ...(report
            ? {
                duration: report.durationMs,
                billedDuration: report.billedDurationMs,
                memorySizeMB: report.memorySizeMb,
                maxMemoryUsedMB: report.maxMemoryUsedMb,
                initDuration: report.initDurationMs,
                cold: report.coldStart,
              }
            : {}),
          ...(result.functionError
            ? {
                error: {
                  errorType: text(payload?.errorType) ?? 'Error',
                  errorMessage: text(payload?.errorMessage) ?? '',
                },
              }
            : {}),
        });
      }
    }
    this.#pinned = key;
    this.#trim();
    return event;
  }

  /** Folds one trace step in; returns whether the timeline changed. */
  apply(message: TraceMessage): boolean {
    const d = message.detail;
    const requestId = message.requestId;
    switch (message.type) {
      case 's3.notification': {
        const bucket = text(d.bucket) ?? '';
        const key = text(d.key) ?? '';
        if (d.error !== undefined) {
          return this.#notice('error', `S3 could not notify ${this.#names.label(d.functionArn)}: ${text(d.error)}`);
        }
        const invocationId = text(d.invocationId);
        if (invocationId === undefined) return false;
        const trigger: Trigger = {
          kind: 's3',
          text: `S3 notification: ${text(d.eventName) ?? 'ObjectCreated'} of ${key} in ${this.#names.label(bucket)}`,
          object: { bucket, key },
        };
        return this.#setTrigger(invocationId, trigger);
      }
      case 'apigateway.integration': {
        const lambdaRequest = text(d.requestId);
        if (lambdaRequest === undefined) return false;
        return this.#setTrigger(lambdaRequest, {
          kind: 'api',
          text: `HTTP API request: route ${text(d.routeKey) ?? ''}`,
        });
      }
      case 'esm.batch': {
        if (requestId === undefined) return false;
        const key = `esm:${text(d.uuid)}:${text(d.shardId)}:${text(d.firstSequence)}:${text(d.lastSequence)}`;
        this.#byRequest.set(requestId, key);
        const size = num(d.size) ?? 0;
        const trigger: Trigger = {
          kind: 'stream',
          text: `Batch of ${size} record${size === 1 ? '' : 's'} from ${this.#names.label(d.eventSourceArn)}`,
        };
        const event = this.#events.get(key);
        if (event === undefined) this.#newEvent(key, this.#functionOf(d.functionArn), trigger);
        else event.retryPending = false;
        return true;
      }
      case 'lambda.invoke.start':
        return requestId !== undefined && this.#start(requestId, message);
      case 'lambda.log': {
        if (requestId === undefined || d.outsideInvocation === true) return false;
        const line = typeof d.line === 'string' ? d.line : '';
        const invocation = this.#invocation(requestId) ?? this.#implicitStart(requestId, message);
        if (invocation === undefined || invocation.logsFromResult) return false;
        if (invocation.logs.length >= this.#logLimit) invocation.droppedLogLines += 1;
        else invocation.logs.push(line);
        return true;
      }
      case 'lambda.report': {
        const invocation = requestId === undefined ? undefined : this.#invocation(requestId);
        if (invocation === undefined) return false;
        invocation.durationMs ??= num(d.durationMs);
        invocation.billedDurationMs ??= num(d.billedDurationMs);
        invocation.memorySizeMb ??= num(d.memorySizeMb);
        invocation.maxMemoryUsedMb ??= num(d.maxMemoryUsedMb);
        invocation.initDurationMs ??= num(d.initDurationMs);
        return true;
      }
      case 'lambda.invoke.end': {
        const invocation = requestId === undefined ? undefined : this.#invocation(requestId);
        if (invocation === undefined || invocation.status !== 'running') return false;
        this.#end(invocation, d);
        return true;
      }
      case 'lambda.async.retry': {
        const event = this.#eventOf(requestId);
        if (event === undefined) return false;
        event.retryPending = true;
        event.notes.push(
          this.#at(event, {
            tone: 'error',
            text: `Attempt ${(num(d.attempt) ?? 2) - 1} failed (${text(d.errorType) ?? 'an error'}): Lambda tries again, attempt ${text(d.attempt)} in ${text(d.delayMs) ?? '?'} ms (on AWS, after a minute or two).`,
          }),
        );
        return true;
      }
      case 'lambda.async.throttled': {
        const event = this.#eventOf(requestId);
        if (event === undefined)
          return this.#notice('error', `Lambda held an event back: ${text(d.reason) ?? 'throttled'}.`);
        event.notes.push(
          this.#at(event, {
            tone: 'error',
            text: `Throttled (${text(d.reason) ?? 'no concurrency left'}): Lambda queues the event again without using an attempt.`,
          }),
        );
        return true;
      }
      case 'lambda.async.dropped': {
        if (requestId === undefined) return false;
        const event =
          this.#eventOf(requestId) ??
          this.#newEvent(
            requestId,
            this.#functionOf(d.functionName ?? d.functionRef),
            this.#triggers.get(requestId) ?? this.#sourceTrigger(text(d.source), 'Event'),
          );
        const reason = text(d.reason) ?? 'unknown reason';
        const attempts = num(d.attempts) ?? event.invocations.length;
        event.dropped = { reason, attempts };
        event.retryPending = false;
        const why = DROP_REASONS[reason];
        event.notes.push(
          this.#at(event, {
            tone: 'error',
            text: `Dropped after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}${why ? ` — ${why}` : ''}.`,
          }),
        );
        return true;
      }
      case 'lambda.async.destination': {
        const event = this.#eventOf(requestId);
        if (event === undefined) return false;
        event.notes.push(
          this.#at(event, {
            tone: d.delivered === true ? 'info' : 'error',
            text:
              d.delivered === true
                ? `Its record went to the ${d.member === 'OnSuccess' ? 'on-success' : 'on-failure'} destination ${this.#names.label(d.destination)}.`
                : `Could not send its record to the destination ${this.#names.label(d.destination)}: ${text(d.error)}.`,
          }),
        );
        return true;
      }
      case 'lambda.recursion.stopped': {
        const event = this.#eventOf(requestId);
        const line = `Lambda stopped a recursive loop after ${text(d.invocations) ?? '?'} invocations: the function’s own writes kept triggering it.`;
        if (event === undefined) return this.#notice('error', line);
        event.notes.push(this.#at(event, { tone: 'error', text: line }));
        return true;
      }
      case 'esm.invoke.result': {
        const event = this.#eventOf(requestId);
        if (event === undefined) return false;
        if (d.ok === true) {
          event.retryPending = false;
          return true;
        }
        event.retryPending = true;
        event.notes.push(
          this.#at(event, {
            tone: 'error',
            text:
              d.outcome === 'partial'
                ? `The function reported record ${text(d.failedSequence)} failed: the event source mapping retries the batch from that record.`
                : `The batch failed${d.error ? ` (${shorten(text(d.error) ?? '')})` : ''}: the event source mapping retries it.`,
          }),
        );
        return true;
      }
      case 'esm.bisect': {
        const event = this.#latestBatch(d);
        const sizes = Array.isArray(d.sizes) ? d.sizes.join(' and ') : 'two';
        if (event === undefined) return false;
        event.notes.push(
          this.#at(event, {
            tone: 'error',
            text: `The event source mapping splits the failing batch in two (${sizes} records) to find the bad record.`,
          }),
        );
        return true;
      }
      case 'esm.onfailure': {
        const key = `esm:${text(d.uuid)}:${text(d.shardId)}:${text(d.startSequenceNumber)}:${text(d.endSequenceNumber)}`;
        const event = this.#events.get(key) ?? this.#latestBatch(d);
        if (event === undefined) return false;
        const attempts = num(d.approximateInvokeCount) ?? event.invocations.length;
        const reason = text(d.condition) ?? 'RetryAttemptsExhausted';
        event.dropped = { reason, attempts };
        event.retryPending = false;
        const where =
          d.delivered === true
            ? ` Its records went to ${this.#names.label(d.bucket)} (${text(d.key)}).`
            : ` ${text(d.reason) ?? 'The records are discarded.'}`;
        event.notes.push(
          this.#at(event, {
            tone: 'error',
            text: `Dropped after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason} — ${DROP_REASONS[reason] ?? 'the event source mapping moves on'}.${where}`,
          }),
        );
        return true;
      }
      case 'lambda.throttled': {
        return this.#notice(
          'error',
          `Lambda throttled ${this.#names.label(d.functionName)}: no concurrency left (limit ${text(d.limit) ?? '?'}).`,
        );
      }
      case 'iam.denied': {
        const line = `Access denied: ${text(d.action) ?? 'the call'} on ${this.#names.label(d.resource)}${d.reason ? ` — ${text(d.reason)}` : ''}.`;
        const invocation = this.#runningInvocationOf(message);
        if (invocation !== undefined) {
          invocation.event.notes.push(this.#at(invocation.event, { tone: 'error', text: line }));
          return true;
        }
        return this.#notice('error', line);
      }
      case 'observer.notice':
        return this.#notice(d.tone === 'error' ? 'error' : 'info', text(d.message) ?? stepWords(message.type));
      case 'trace.dropped':
        return this.#notice(
          'error',
          `${text(d.count) ?? 'Some'} steps were not shown: ${text(d.reason) ?? 'the page fell behind'}.`,
        );
      case 'lambda.error':
        return this.#notice('error', `${stepWords(message.type)}: ${text(d.message) ?? ''}`);
      default:
        return false;
    }
  }

  // ---- events and invocations

  /** A note placed after the invocations the event has so far. */
  #at(event: TimelineEvent, note: Omit<TimelineNote, 'after'>): TimelineNote {
    return { ...note, after: event.invocations.length };
  }

  #newEvent(key: string, functionName: string, trigger: Trigger): TimelineEvent {
    const event: TimelineEvent = {
      key,
      seq: ++this.#seq,
      functionName,
      trigger,
      invocations: [],
      notes: [],
      retryPending: false,
    };
    this.#events.set(key, event);
    this.#matchPrepared(event);
    this.#trim();
    return event;
  }

  #newInvocation(event: TimelineEvent, requestId: string, attempt: number, at: number): Invocation {
    const invocation: Invocation = {
      requestId,
      attempt,
      startedAt: at,
      status: 'running',
      logs: [],
      droppedLogLines: 0,
    };
    event.invocations.push(invocation);
    this.#byRequest.set(requestId, event.key);
    return invocation;
  }

  #start(requestId: string, message: TraceMessage): boolean {
    const d = message.detail;
    const functionName = this.#functionOf(d.functionName);
    const invocationType = text(d.invocationType) ?? (d.observed !== undefined ? undefined : 'RequestResponse');
    const source = text(d.source);
    const key = this.#byRequest.get(requestId) ?? requestId;
    let event = this.#events.get(key);
    if (event === undefined) {
      const pending = this.#pending;
      const isRun =
        pending !== undefined &&
        pending.claimed === undefined &&
        source === undefined &&
        d.observed === undefined &&
        invocationType === pending.invocationType &&
        functionName === pending.functionName;
      const trigger = isRun
        ? this.#runTrigger(pending.run, pending.invocationType)
        : (this.#triggers.get(requestId) ?? this.#sourceTrigger(source, invocationType, text(d.observed)));
      event = this.#newEvent(key, functionName, trigger);
      if (isRun) {
        pending.claimed = requestId;
        event.run = pending.run;
        this.#pinned = key;
      }
    }
    event.retryPending = false;
    const same = event.invocations.filter((invocation) => invocation.requestId === requestId);
    // The start of the invocation the Run's answer already showed (AWS mode sees it late, in the logs).
    const answered = same.find((invocation) => invocation.fromResult);
    if (answered !== undefined) {
      answered.fromResult = false;
      if (d.observed !== undefined) answered.observed = text(d.observed);
      return false;
    }
    const attempt = num(d.attempt) ?? same.length + 1;
    // A replayed step (the stream reconnected) is not a new attempt.
    if (same.some((invocation) => invocation.attempt === attempt)) return false;
    const invocation = this.#newInvocation(event, requestId, attempt, message.time);
    if (invocationType !== undefined) invocation.invocationType = invocationType;
    if (typeof d.cold === 'boolean') invocation.cold = d.cold;
    if (d.observed !== undefined) invocation.observed = text(d.observed);
    return true;
  }

  /** Log lines of an invocation the timeline did not see start (it began before the page opened). */
  #implicitStart(requestId: string, message: TraceMessage): Invocation | undefined {
    const functionName = text(message.detail.functionName);
    if (functionName === undefined) return undefined;
    this.#start(requestId, {
      ...message,
      type: 'lambda.invoke.start',
      detail: { functionName, observed: 'its log lines' },
    });
    return this.#invocation(requestId);
  }

  #end(invocation: Invocation, d: Readonly<Record<string, unknown>>): void {
    invocation.durationMs = num(d.duration) ?? invocation.durationMs;
    invocation.billedDurationMs = num(d.billedDuration) ?? invocation.billedDurationMs;
    invocation.memorySizeMb = num(d.memorySizeMB) ?? invocation.memorySizeMb;
    invocation.maxMemoryUsedMb = num(d.maxMemoryUsedMB) ?? invocation.maxMemoryUsedMb;
    invocation.initDurationMs = num(d.initDuration) ?? invocation.initDurationMs;
    if (typeof d.cold === 'boolean') invocation.cold = d.cold;
    const error = d.error as { errorType?: unknown; errorMessage?: unknown } | undefined;
    if (error !== undefined) {
      invocation.error = { errorType: text(error.errorType) ?? 'Error', errorMessage: text(error.errorMessage) ?? '' };
    }
    invocation.status = d.timedOut === true ? 'timed-out' : error !== undefined ? 'failed' : 'succeeded';
    // Lambda reports a failed init with Duration 0 and the init's own duration (runtime/pool.ts).
    if (error !== undefined && invocation.durationMs === 0 && invocation.initDurationMs !== undefined) {
      invocation.initFailed = true;
      if (invocation.error?.errorType === 'Sandbox.Timedout') invocation.status = 'timed-out';
    }
  }

  #invocation(requestId: string): Invocation | undefined {
    const event = this.#eventOf(requestId);
    return event?.invocations.filter((invocation) => invocation.requestId === requestId).at(-1);
  }

  #eventOf(requestId: string | undefined): TimelineEvent | undefined {
    if (requestId === undefined) return undefined;
    return this.#events.get(this.#byRequest.get(requestId) ?? requestId);
  }

  /** The newest batch of a mapping's shard (bisect and on-failure steps name the mapping, not the request). */
  #latestBatch(d: Readonly<Record<string, unknown>>): TimelineEvent | undefined {
    const prefix = `esm:${text(d.uuid)}:${text(d.shardId)}:`;
    return this.all().find((event) => event.key.startsWith(prefix));
  }

  /** The running (else latest) invocation of the function a step's path starts from (an access denied to it). */
  #runningInvocationOf(message: TraceMessage): { event: TimelineEvent } | undefined {
    const principal = text(message.detail.principal) ?? '';
    // An execution role's session names the function (`…:assumed-role/Role/FunctionName`).
    const session = principal.includes(':assumed-role/') ? principal.split('/').at(-1) : undefined;
    const candidates = this.all().filter((event) => event.functionName === session);
    const event =
      candidates.find((candidate) => candidate.invocations.some((invocation) => invocation.status === 'running')) ??
      candidates[0];
    return event === undefined ? undefined : { event };
  }

  #setTrigger(requestId: string, trigger: Trigger): boolean {
    this.#triggers.set(requestId, trigger);
    // Bounded: announcements whose invocation never came (another scenario's function) are forgotten.
    if (this.#triggers.size > 200) this.#triggers.delete(this.#triggers.keys().next().value as string);
    const event = this.#eventOf(requestId);
    if (event === undefined || event.run !== undefined) return false;
    event.trigger = trigger;
    this.#matchPrepared(event);
    return true;
  }

  #matchPrepared(event: TimelineEvent): void {
    const object = event.trigger.object;
    if (object === undefined || event.setOffByRun !== undefined) return;
    const match = this.#preparedObjects.find(
      (prepared) =>
        prepared.key === object.key && this.#names.label(prepared.bucket) === this.#names.label(object.bucket),
    );
    if (match) event.setOffByRun = match.run;
  }

  #functionOf(ref: unknown): string {
    const value = text(ref) ?? '';
    if (!value.startsWith('arn:')) return value;
    return value.split(':')[6] ?? value;
  }

  #runTrigger(run: number, invocationType: string): Trigger {
    return {
      kind: 'run',
      text: `Your Run #${run}: the test event, ${invocationType === 'Event' ? 'queued (Event)' : 'RequestResponse'}`,
    };
  }

  #directTrigger(invocationType: string): Trigger {
    return {
      kind: 'direct',
      text: `Direct invoke (${invocationType}): an SDK or CLI call, e.g. the phone or a check`,
    };
  }

  #sourceTrigger(source: string | undefined, invocationType: string | undefined, observed?: string): Trigger {
    if (observed !== undefined) return { kind: 'logs', text: `Seen in ${observed}` };
    switch (source) {
      case 'aws:s3':
        return { kind: 's3', text: 'S3 notification' };
      case 'esm':
        return { kind: 'stream', text: 'Batch from the event source mapping' };
      case 'apigateway':
        return { kind: 'api', text: 'HTTP API request' };
      case undefined:
        return invocationType === 'Event'
          ? { kind: 'async', text: 'Asynchronous invoke (Event)' }
          : this.#directTrigger(invocationType ?? 'RequestResponse');
      default:
        return { kind: 'direct', text: `Invoked by ${source}` };
    }
  }

  #notice(tone: 'info' | 'error', line: string): boolean {
    this.notices.unshift({ tone, text: line });
    this.notices.length = Math.min(this.notices.length, this.#noticeLimit);
    return true;
  }

  /** Keeps the newest `limit` events (the pinned one and running ones stay). */
  #trim(): void {
    if (this.#events.size <= this.#limit) return;
    const oldestFirst = [...this.#events.values()].sort((a, b) => a.seq - b.seq);
    for (const event of oldestFirst) {
      if (this.#events.size <= this.#limit) break;
      if (event.key === this.#pinned) continue;
      this.#events.delete(event.key);
      for (const invocation of event.invocations) this.#byRequest.delete(invocation.requestId);
      for (const [requestId, key] of this.#byRequest) if (key === event.key) this.#byRequest.delete(requestId);
      this.droppedEvents += 1;
    }
  }
}

/** A long error text cut to one readable line. */
function shorten(value: string, max = 160): string {
  const line = value.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
