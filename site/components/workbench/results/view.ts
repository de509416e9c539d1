// Execution results, as the Lambda console shows them — the response or the error, the log with
// START / END / REPORT, the REPORT's figures (duration, billed duration, memory, init duration,
// cold or warm, estimated cost) — plus what happens afterwards, live from the trace: async
// invocations, retries, batches from a stream, access denials.

import { estimateCostUsd, parseReportLine } from '../../../lib/report.ts';
import type {
  CheckReport,
  CompileFailure,
  DeployResult,
  InvokeResult,
  ReportLine,
  TraceMessage,
} from '../../../lib/workbench-api.ts';
import { ApiRequestError } from '../api.ts';
import { el, formatMs, formatUsd, replace, showJson } from '../dom.ts';

/** The results area of one workbench. */
export interface ResultsView {
  /** The latest result: status line first, then the REPORT figures, the response and the log. */
  readonly resultElement: HTMLElement;
  /** Invocations as they happen (the trace). */
  readonly liveElement: HTMLElement;
  busy(text: string): void;
  deployed(result: DeployResult): void;
  compileFailed(failure: CompileFailure): void;
  invoked(result: InvokeResult, invocationType: 'RequestResponse' | 'Event'): void;
  checked(report: CheckReport): void;
  failed(error: unknown, doing: string): void;
  /** A step from the shared trace stream (already filtered to this scenario). */
  trace(message: TraceMessage): void;
}

/** One log line, classified for display. */
function logLine(line: string): HTMLElement {
  const span = el('span', { class: 'wb-log-line' });
  if (/^(START|END) RequestId:/.test(line)) span.classList.add('wb-log-meta');
  else if (line.startsWith('REPORT RequestId:')) span.classList.add('wb-log-report');
  else if (/\t(ERROR|WARN)\t|"level":"(ERROR|WARN)"/.test(line)) span.classList.add('wb-log-error');
  span.textContent = `${line}\n`;
  return span;
}

/** The log, line by line. */
export function renderLog(log: string, label: string): HTMLElement {
  const pre = el('pre', { class: 'wb-log', tabindex: '0', 'aria-label': label });
  for (const line of log.replace(/\n$/, '').split('\n')) if (line !== '') pre.append(logLine(line));
  return pre;
}

/** The REPORT line's figures as a definition list, with a cold/warm badge. */
export function renderReport(report: ReportLine): HTMLElement {
  const row = (term: string, value: string) => [el('dt', {}, term), el('dd', {}, value)];
  const badge = el(
    'span',
    { class: `wb-badge ${report.coldStart ? 'wb-badge-cold' : 'wb-badge-warm'}` },
    report.coldStart ? 'Cold start' : 'Warm',
  );
  return el(
    'div',
    { class: 'wb-report' },
    el('p', { class: 'wb-report-head' }, badge, el('span', { class: 'wb-muted' }, ` Request ${report.requestId}`)),
    el(
      'dl',
      { class: 'wb-report-figures' },
      ...row('Duration', formatMs(report.durationMs)),
      ...row('Billed duration', formatMs(report.billedDurationMs)),
      ...row('Memory used', `${report.maxMemoryUsedMb} MB of ${report.memorySizeMb} MB`),
      ...(report.initDurationMs !== undefined ? row('Init duration', formatMs(report.initDurationMs)) : []),
      ...row('Estimated cost', `${formatUsd(report.estimatedCostUsd)} on AWS`),
    ),
  );
}

interface LambdaErrorPayload {
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly trace?: readonly string[] | string;
  readonly stackTrace?: readonly string[];
}

function renderFunctionError(payload: unknown, kind: string): HTMLElement {
  const error = (typeof payload === 'object' && payload !== null ? payload : {}) as LambdaErrorPayload;
  const trace = error.trace ?? error.stackTrace;
  return el(
    'div',
    { class: 'wb-error' },
    el(
      'p',
      {},
      el('strong', {}, error.errorType ?? 'Error'),
      `: ${error.errorMessage ?? showJson(payload)}`,
      el('span', { class: 'wb-muted' }, ` (${kind})`),
    ),
    trace
      ? el(
          'pre',
          { class: 'wb-trace', tabindex: '0', 'aria-label': 'Stack trace' },
          Array.isArray(trace) ? trace.join('\n') : String(trace),
        )
      : undefined,
  );
}

const short = (id: string | undefined) => (id ? id.slice(0, 8) : '');

/** Creates the results area; `announce` speaks the outcome in the page's polite live region. */
export function createResultsView(idPrefix: string, announce: (text: string) => void): ResultsView {
  const status = el('p', { class: 'wb-status-line', id: `${idPrefix}-result-status` }, 'Nothing run yet.');
  const body = el('div', { class: 'wb-result-body' });
  const live = el('ol', { class: 'wb-live', 'aria-label': 'Live activity, newest first' });
  const liveEmpty = el(
    'p',
    { class: 'wb-muted wb-live-empty' },
    'Invocations appear here as they happen: yours, and those S3, DynamoDB, Kinesis or API Gateway start.',
  );
  const element = el('div', { class: 'wb-result', 'aria-live': 'polite', 'aria-atomic': 'false' }, status, body);
  const liveElement = el('div', { class: 'wb-live-box' }, liveEmpty, live);

  const setStatus = (text: string, tone: 'ok' | 'error' | 'busy' | 'info') => {
    status.className = `wb-status-line wb-tone-${tone}`;
    status.textContent = text;
  };

  // Live invocations by request id: the newest 25 stay.
  const cards = new Map<string, { card: HTMLElement; log: HTMLElement; summary: HTMLElement }>();
  const addItem = (item: HTMLElement) => {
    liveEmpty.hidden = true;
    live.prepend(item);
    while (live.children.length > 25) {
      const last = live.lastElementChild as HTMLElement;
      for (const [id, entry] of cards) if (entry.card === last) cards.delete(id);
      last.remove();
    }
  };
  const cardFor = (requestId: string, title: string) => {
    let entry = cards.get(requestId);
    if (!entry) {
      const summary = el('p', { class: 'wb-live-summary' }, title);
      const log = el('pre', { class: 'wb-log wb-log-live', tabindex: '0', 'aria-label': `Log of ${short(requestId)}` });
      const card = el('li', { class: 'wb-live-item wb-live-invocation' }, summary, log);
      entry = { card, log, summary };
      cards.set(requestId, entry);
      addItem(card);
    }
    return entry;
  };
  const note = (text: string, tone: 'info' | 'error' = 'info') =>
    addItem(el('li', { class: `wb-live-item wb-tone-${tone}` }, text));

  return {
    resultElement: element,
    liveElement,
    busy(text) {
      element.setAttribute('aria-busy', 'true');
      setStatus(text, 'busy');
    },
    deployed(result) {
      element.removeAttribute('aria-busy');
      setStatus(
        `Deployed ${result.functionName} in ${formatMs(result.durationMs)} (bundle ${result.bundleBytes.toLocaleString('en-US')} bytes).`,
        'ok',
      );
      replace(body, el('p', { class: 'wb-muted' }, `Code SHA-256 ${result.codeSha256}`));
    },
    compileFailed(failure) {
      element.removeAttribute('aria-busy');
      setStatus(
        `Not deployed: ${failure.errors.length || 'a'} compile error${failure.errors.length === 1 ? '' : 's'}.`,
        'error',
      );
      replace(
        body,
        el('p', {}, failure.message),
        el(
          'ul',
          { class: 'wb-problem-list' },
          ...failure.errors.map((error) =>
            el('li', {}, `Line ${error.line}, column ${error.column}: ${error.message}`),
          ),
        ),
      );
      announce(`Deploy failed: ${failure.errors[0]?.message ?? failure.message}`);
    },
    invoked(result, invocationType) {
      element.removeAttribute('aria-busy');
      const report =
        result.report ?? parseReportLine(result.logs.split('\n').find((l) => l.startsWith('REPORT')) ?? '');
      const parts: HTMLElement[] = [];
      // The REPORT figures right under the status line: the first thing a learner reads.
      if (report) parts.push(renderReport(report));
      // What Run created first because the sample event refers to it (the sample photo, an item).
      if (result.prepared?.length) {
        parts.push(el('ul', { class: 'wb-prepared' }, ...result.prepared.map((line) => el('li', {}, line))));
      }
      if (invocationType === 'Event') {
        setStatus(
          `Queued (status ${result.statusCode}): Lambda runs it asynchronously; follow it under Live activity.`,
          'ok',
        );
        announce('Event queued. The invocation appears under Live activity.');
      } else if (result.functionError) {
        setStatus(
          `Failed: the function returned an error (${result.functionError})${report ? ` after ${formatMs(report.durationMs)}` : ''}.`,
          'error',
        );
        parts.push(renderFunctionError(result.payload, result.functionError));
        const payload = result.payload as LambdaErrorPayload | undefined;
        announce(`Function error: ${payload?.errorType ?? ''} ${payload?.errorMessage ?? ''}`.trim());
      } else {
        setStatus(
          `Succeeded${report ? ` in ${formatMs(report.durationMs)}, ${report.coldStart ? 'cold start' : 'warm'}` : ''}.`,
          'ok',
        );
        parts.push(
          el('h4', {}, 'Response'),
          el('pre', { class: 'wb-payload', tabindex: '0', 'aria-label': 'Response' }, showJson(result.payload ?? null)),
        );
        announce(`Succeeded${report ? ` in ${formatMs(report.durationMs)}` : ''}.`);
      }
      if (result.logs) parts.push(el('h4', {}, 'Log output'), renderLog(result.logs, 'Log output'));
      replace(body, ...parts);
    },
    checked(report) {
      element.removeAttribute('aria-busy');
      const passed = report.tests.filter((test) => test.status === 'pass').length;
      setStatus(
        `Check ${report.status === 'pass' ? 'passed' : report.status === 'fail' ? 'failed' : 'could not run'}: ${passed} of ${report.tests.length} tests pass.`,
        report.status === 'pass' ? 'ok' : 'error',
      );
    },
    failed(error, doing) {
      element.removeAttribute('aria-busy');
      const message =
        error instanceof ApiRequestError
          ? `${error.error}: ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error);
      setStatus(`${doing} failed.`, 'error');
      replace(body, el('div', { class: 'wb-error' }, el('p', {}, message)));
      announce(`${doing} failed: ${message}`);
    },
    trace(message) {
      const detail = message.detail;
      const requestId = message.requestId ?? '';
      switch (message.type) {
        case 'lambda.invoke.start': {
          const attempt = Number(detail.attempt ?? 1);
          const source =
            typeof detail.source === 'string'
              ? `, from ${detail.source}`
              : typeof detail.observed === 'string'
                ? `, seen in ${detail.observed}`
                : '';
          const entry = cardFor(
            requestId,
            `${String(detail.invocationType ?? 'Invoke')} ${short(requestId)}${source}${attempt > 1 ? ` — attempt ${attempt}` : ''}: running${detail.cold ? ' (cold start)' : ''}…`,
          );
          entry.card.classList.add('wb-running');
          break;
        }
        case 'lambda.log': {
          if (!requestId || detail.outsideInvocation) return;
          const line = String(detail.line ?? '');
          const entry = cardFor(requestId, `Invocation ${short(requestId)}`);
          entry.log.append(logLine(line));
          break;
        }
        case 'lambda.invoke.end': {
          const entry = cardFor(requestId, `Invocation ${short(requestId)}`);
          entry.card.classList.remove('wb-running');
          const error = detail.error as { errorType?: string; errorMessage?: string } | undefined;
          const billed = Number(detail.billedDuration ?? 0);
          const memory = Number(detail.memorySizeMB ?? 128);
          const figures = `${formatMs(Number(detail.duration ?? 0))} (billed ${formatMs(billed)}), ${String(detail.maxMemoryUsedMB ?? '?')} of ${memory} MB${detail.initDuration !== undefined ? `, init ${formatMs(Number(detail.initDuration))}` : ''}, ${detail.cold ? 'cold' : 'warm'}, ≈ ${formatUsd(estimateCostUsd(billed, memory))}`;
          entry.summary.textContent = `${String(detail.invocationType ?? 'Invoke')} ${short(requestId)}: ${
            detail.timedOut
              ? 'timed out'
              : error
                ? `failed — ${error.errorType ?? 'Error'}: ${error.errorMessage ?? ''}`
                : 'succeeded'
          } in ${figures}.`;
          entry.card.classList.toggle('wb-tone-error', Boolean(error || detail.timedOut));
          break;
        }
        case 'lambda.async.retry':
          note(
            `Retry: Lambda invokes ${short(requestId)} again (attempt ${String(detail.attempt)}) in ${formatMs(Number(detail.delayMs ?? 0))} after ${String(detail.errorType ?? 'an error')}.`,
            'error',
          );
          announce(`Lambda retries the event, attempt ${String(detail.attempt)}.`);
          break;
        case 'lambda.async.dropped':
          note(
            `Dropped: ${short(requestId)} gave up after ${String(detail.attempts ?? '?')} attempts (${String(detail.reason ?? '')}).`,
            'error',
          );
          break;
        case 'esm.batch':
          note(
            `Batch of ${String(detail.size)} record${detail.size === 1 ? '' : 's'} polled from ${String(detail.shardId ?? 'the stream')}.`,
          );
          break;
        case 'esm.invoke.result':
          if (detail.ok !== true) {
            note(
              `Batch ${String(detail.outcome)}${detail.failedSequence ? ` at record ${String(detail.failedSequence)}` : ''}${detail.error ? `: ${String(detail.error)}` : ''} — the event source mapping retries.`,
              'error',
            );
          }
          break;
        case 'esm.bisect':
          note('The event source mapping splits the failing batch in two to find the bad record.', 'error');
          break;
        case 'esm.onfailure':
          note(`Sent to the on-failure destination: ${showJson(detail)}`, 'error');
          break;
        case 'iam.denied': {
          const text = `Access denied: ${String(detail.principal ?? 'the caller')} may not ${String(detail.action)} on ${String(detail.resource)} — ${String(detail.reason ?? '')}`;
          note(text, 'error');
          announce(text);
          break;
        }
        case 'observer.notice':
          // AWS mode: why results come later (AWS throttles the class's shared quota).
          note(String(detail.message ?? ''), detail.tone === 'error' ? 'error' : undefined);
          announce(String(detail.message ?? ''));
          break;
        case 's3.notification':
          note(`S3 notification: ${String(detail.eventName ?? 'object event')} ${String(detail.key ?? '')}`.trim());
          break;
        default:
          break;
      }
    },
  };
}
