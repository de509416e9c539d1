// The results of one workbench as one timeline of invocations. On top, the latest action's status
// (deploy, run, check) and the Run's own invocation pinned with what the Lambda console shows — the
// REPORT figures, the response or the error, the log. Below, every other invocation once, newest
// first, grouped by the event that caused it (retries under their event), labelled by its trigger,
// filterable by function and outcome, bounded, and clearable. The model is timeline.ts.
import { estimateCostUsd } from '../../../lib/report.ts';
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
import { lessonNote } from './lesson-notes.ts';
import type { LessonNames } from './names.ts';
import {
  type Invocation,
  type Outcome,
  outcomeOf,
  Timeline,
  type TimelineEvent,
  type TimelineOptions,
} from './timeline.ts';
import './timeline.css';

/** The results area of one workbench. */
export interface ResultsView {
  /** The timeline: status, the pinned Run, the other invocations. */
  readonly element: HTMLElement;
  /** A line for beside the Run button (the event could not be run). */
  readonly runNote: HTMLElement;
  busy(text: string): void;
  deployed(result: DeployResult): void;
  compileFailed(failure: CompileFailure): void;
  /** The Run button was pressed; the invocation it starts is pinned. Returns the Run's number. */
  runStarted(functionName: string, invocationType: 'RequestResponse' | 'Event'): number;
  invoked(run: number, functionName: string, result: InvokeResult, invocationType: 'RequestResponse' | 'Event'): void;
  /** Run refused before anything ran: the test event is not valid JSON (`detail` says where). */
  invalidEvent(detail: string): void;
  /** The event editor changed: the line beside Run no longer applies. */
  clearRunNote(): void;
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
export function renderLog(lines: readonly string[], label: string, dropped = 0): HTMLElement {
  const pre = el('pre', { class: 'wb-log', tabindex: '0', 'aria-label': label });
  for (const line of lines) if (line !== '') pre.append(logLine(line));
  if (dropped > 0) pre.append(el('span', { class: 'wb-log-meta' }, `… ${dropped} more lines not kept\n`));
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

/** An invocation's REPORT figures, when it has them. */
function reportOf(invocation: Invocation): ReportLine | undefined {
  const { durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb } = invocation;
  if (durationMs === undefined || billedDurationMs === undefined || memorySizeMb === undefined) return undefined;
  return {
    requestId: invocation.requestId,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb: maxMemoryUsedMb ?? 0,
    ...(invocation.initDurationMs !== undefined ? { initDurationMs: invocation.initDurationMs } : {}),
    coldStart: invocation.cold ?? invocation.initDurationMs !== undefined,
    estimatedCostUsd: estimateCostUsd(billedDurationMs, memorySizeMb),
  };
}

/** How an invocation ended, in a few words. */
function endedAs(invocation: Invocation): string {
  const error = invocation.error;
  if (invocation.status === 'running') return 'running…';
  if (invocation.initFailed) {
    return invocation.status === 'timed-out'
      ? `init phase timed out${invocation.initDurationMs !== undefined ? ` after ${formatMs(invocation.initDurationMs)}` : ''}`
      : `failed during init — ${error?.errorType ?? 'Error'}: ${error?.errorMessage ?? ''}`;
  }
  if (invocation.status === 'timed-out') return `timed out after ${formatMs(invocation.durationMs ?? 0)}`;
  if (error) return `failed — ${error.errorType}: ${error.errorMessage}`;
  return 'succeeded';
}

/** `warm · 12.3 ms (billed 13 ms) · 80 of 128 MB · ≈ $0.0000021`. */
function figuresOf(invocation: Invocation): string {
  const parts: string[] = [];
  if (invocation.cold !== undefined) parts.push(invocation.cold ? 'cold start' : 'warm');
  const report = reportOf(invocation);
  if (report) {
    parts.push(`${formatMs(report.durationMs)} (billed ${formatMs(report.billedDurationMs)})`);
    parts.push(`${report.maxMemoryUsedMb} of ${report.memorySizeMb} MB`);
    if (report.initDurationMs !== undefined) parts.push(`init ${formatMs(report.initDurationMs)}`);
    parts.push(`≈ ${formatUsd(report.estimatedCostUsd)}`);
  }
  return parts.join(' · ');
}

const TRIGGER_BADGES: Readonly<Record<TimelineEvent['trigger']['kind'], string>> = {
  run: 'Run',
  s3: 'S3',
  stream: 'Stream',
  api: 'HTTP API',
  direct: 'Direct',
  async: 'Event',
  logs: 'Logs',
};

const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  running: 'in progress',
  succeeded: 'succeeded',
  failed: 'failed',
};

const clock = (time: number) =>
  new Date(time).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A signature of what an event shows: its element is rebuilt only when this changes. */
function signature(event: TimelineEvent, pinned: boolean): string {
  return JSON.stringify([
    pinned,
    event.trigger.text,
    event.run,
    event.setOffByRun,
    event.dropped,
    event.retryPending,
    event.notes.length,
    event.result !== undefined,
    event.invocations.map((i) => [i.status, i.logs.length, i.droppedLogLines, i.durationMs, i.cold]),
  ]);
}

/** Creates the results area; `announce` speaks the outcome in the page's polite live region. */
export function createResultsView(
  idPrefix: string,
  announce: (text: string) => void,
  names: LessonNames,
  options: TimelineOptions = {},
): ResultsView {
  const timeline = new Timeline(names, options);
  const status = el('p', { class: 'wb-status-line', id: `${idPrefix}-result-status` });
  status.hidden = true;
  const body = el('div', { class: 'wb-result-body' });
  const pinned = el('div', { class: 'wb-pinned' });
  const result = el('div', { class: 'wb-result' }, status, body, pinned);
  const runNote = el('p', { class: 'wb-run-note wb-tone-error', role: 'alert', 'data-wb-run-note': '' });
  runNote.hidden = true;

  // ---- controls: filter by function and outcome, Clear
  const functionFilter = el('select', { class: 'wb-select', id: `${idPrefix}-tl-function` });
  const outcomeFilter = el(
    'select',
    { class: 'wb-select', id: `${idPrefix}-tl-outcome` },
    el('option', { value: '' }, 'Any outcome'),
    el('option', { value: 'succeeded' }, 'Succeeded'),
    el('option', { value: 'failed' }, 'Failed'),
    el('option', { value: 'running' }, 'In progress'),
  );
  const functionField = el(
    'span',
    { class: 'wb-tl-field' },
    el('label', { for: functionFilter.id }, 'Function'),
    functionFilter,
  );
  const clearButton = el('button', { type: 'button', class: 'wb-button wb-small', 'data-wb-clear': '' }, 'Clear');
  const count = el('span', { class: 'wb-tl-count wb-muted', 'data-wb-count': '' });
  const controls = el(
    'div',
    { class: 'wb-tl-controls', role: 'group', 'aria-label': 'Filter the timeline' },
    functionField,
    el('span', { class: 'wb-tl-field' }, el('label', { for: outcomeFilter.id }, 'Outcome'), outcomeFilter),
    count,
    clearButton,
  );
  const bound = el('p', { class: 'wb-tl-bound wb-muted', 'data-wb-bound': '' });
  const notices = el('ul', { class: 'wb-tl-notices', 'aria-label': 'Notices' });
  const empty = el('p', { class: 'wb-muted wb-tl-empty' });
  const list = el('ol', { class: 'wb-tl-list', 'aria-label': 'Invocations, newest first' });
  const element = el(
    'div',
    { class: 'wb-timeline' },
    result,
    el('h4', { class: 'wb-tl-title', id: `${idPrefix}-tl-title` }, 'Invocations'),
    controls,
    bound,
    notices,
    empty,
    list,
  );

  const setStatus = (text: string, tone: 'ok' | 'error' | 'busy' | 'info') => {
    status.hidden = false;
    status.className = `wb-status-line wb-tone-${tone}`;
    status.textContent = text;
  };

  // ---- rendering (batched to one frame: a chatty function logs hundreds of lines a second)
  const rendered = new Map<string, { element: HTMLElement; signature: string }>();
  /** Logs the learner opened stay open when their entry is rebuilt. */
  const openLogs = new Set<string>();
  let pinnedSignature = '';
  let frame: number | undefined;
  const schedule = () => {
    if (frame === undefined) frame = requestAnimationFrame(render);
  };

  const functionLabel = (physical: string) =>
    el('span', { class: 'wb-tl-function', title: `Deployed as ${physical}` }, names.label(physical));

  const renderInvocation = (event: TimelineEvent, invocation: Invocation, full: boolean): HTMLElement => {
    const id = `${invocation.requestId}#${invocation.attempt}`;
    const note = lessonNote(invocation);
    // The pinned Run's only invocation: its figures are the REPORT list below, its outcome the status line.
    const summary = !(full && event.invocations.length === 1 && invocation.status !== 'running');
    const item = el(
      'li',
      {
        class: `wb-tl-invocation wb-tl-${invocation.status}`,
        'data-request-id': invocation.requestId,
        'data-attempt': String(invocation.attempt),
        'data-status': invocation.status,
      },
      summary
        ? el(
            'p',
            { class: 'wb-tl-summary' },
            event.invocations.length > 1 || invocation.attempt > 1
              ? el('span', { class: 'wb-tl-attempt' }, `Attempt ${invocation.attempt}: `)
              : undefined,
            el('span', { class: 'wb-tl-ended' }, endedAs(invocation)),
            el('span', { class: 'wb-muted' }, ` ${figuresOf(invocation)}`),
          )
        : undefined,
      note ? el('p', { class: 'wb-tl-why', 'data-why': note.id }, note.text) : undefined,
    );
    if (full) {
      const report = reportOf(invocation);
      if (report && invocation.status !== 'running') item.append(renderReport(report));
    }
    // The pinned Run's only invocation shows its log in full, after the response (as the console does).
    if (invocation.logs.length > 0 && !(full && event.invocations.length === 1)) {
      const details = el(
        'details',
        { class: 'wb-tl-log' },
        el('summary', {}, `Log (${invocation.logs.length + invocation.droppedLogLines} lines)`),
        renderLog(invocation.logs, `Log of ${invocation.requestId}`, invocation.droppedLogLines),
      );
      details.open = openLogs.has(id);
      details.addEventListener('toggle', () => {
        if (details.open) openLogs.add(id);
        else openLogs.delete(id);
      });
      item.append(details);
    }
    return item;
  };

  const renderEvent = (event: TimelineEvent, full: boolean): HTMLElement => {
    const outcome = outcomeOf(event);
    const head = el(
      'p',
      { class: 'wb-tl-head' },
      el(
        'span',
        { class: `wb-badge wb-tl-trigger-badge`, 'data-trigger': event.trigger.kind },
        event.run !== undefined ? `Run #${event.run}` : TRIGGER_BADGES[event.trigger.kind],
      ),
      ' ',
      functionLabel(event.functionName),
      el('span', { class: `wb-tl-outcome wb-tl-outcome-${outcome}` }, OUTCOME_WORDS[outcome]),
    );
    const trigger = el(
      'p',
      { class: 'wb-tl-trigger' },
      el('span', { class: 'wb-tl-time' }, clock(event.invocations[0]?.startedAt ?? Date.now())),
      ` ${event.trigger.text}`,
    );
    if (event.setOffByRun !== undefined) {
      trigger.append(
        el(
          'span',
          { class: 'wb-tl-pair', 'data-run': String(event.setOffByRun) },
          ` — set off by Run #${event.setOffByRun}, which uploaded this sample first`,
        ),
      );
    }
    const item = el(
      full ? 'div' : 'li',
      {
        class: `wb-tl-event wb-tl-event-${outcome}`,
        'data-outcome': outcome,
        'data-function': event.functionName,
        'data-trigger': event.trigger.kind,
        ...(event.run !== undefined ? { 'data-run': String(event.run) } : {}),
      },
      head,
    );
    // The attempts in order, each retry, drop or denial said where it happened among them.
    const attempts = el('ol', { class: 'wb-tl-attempts' });
    const noteItem = (note: TimelineEvent['notes'][number]) =>
      el('li', { class: `wb-tl-note wb-tone-${note.tone}` }, note.text);
    for (const note of event.notes) if ((note.after ?? 0) === 0) attempts.append(noteItem(note));
    event.invocations.forEach((invocation, index) => {
      attempts.append(renderInvocation(event, invocation, full));
      for (const note of event.notes) if (note.after === index + 1) attempts.append(noteItem(note));
    });
    // The pinned Run's one invocation: its REPORT figures first, right under the status line.
    if (full && event.invocations.length === 1) item.append(attempts, trigger);
    else item.append(trigger, ...(attempts.children.length > 0 ? [attempts] : []));
    if (full && event.prepared?.length) {
      item.append(el('ul', { class: 'wb-prepared' }, ...event.prepared.map((line) => el('li', {}, line))));
      const pair = timeline.all().find((other) => other.setOffByRun === event.run);
      item.append(
        el(
          'p',
          { class: 'wb-tl-pair wb-muted' },
          pair
            ? `Its upload also made S3 notify the function: that second invocation is listed below, labelled “set off by Run #${event.run}”.`
            : 'The upload may make S3 notify the function too: a second invocation, listed below when it comes.',
        ),
      );
    }
    if (full && event.result) {
      const payload = event.result.payload;
      if (event.result.functionError) item.append(renderFunctionError(payload, event.result.functionError));
      else if (payload !== undefined)
        item.append(
          el('h5', {}, 'Response'),
          el('pre', { class: 'wb-payload', tabindex: '0', 'aria-label': 'Response' }, showJson(payload)),
        );
    }
    const only = event.invocations.length === 1 ? event.invocations[0] : undefined;
    if (full && only !== undefined && only.logs.length > 0) {
      item.append(el('h5', {}, 'Log output'), renderLog(only.logs, 'Log output', only.droppedLogLines));
    }
    if (event.retryPending) item.append(el('p', { class: 'wb-muted' }, 'Waiting for the next attempt…'));
    return item;
  };

  const refreshFunctionOptions = () => {
    const known = new Map(names.functions.map((fn) => [fn.physical, fn.label]));
    for (const physical of timeline.functionsSeen())
      if (!known.has(physical)) known.set(physical, names.label(physical));
    const wanted = ['', ...known.keys()];
    const have = [...functionFilter.options].map((option) => option.value);
    if (JSON.stringify(wanted) !== JSON.stringify(have)) {
      const value = functionFilter.value;
      replace(
        functionFilter,
        el('option', { value: '' }, 'All functions'),
        ...[...known].map(([physical, label]) => el('option', { value: physical, title: physical }, label)),
      );
      functionFilter.value = wanted.includes(value) ? value : '';
    }
    functionField.hidden = known.size < 2;
  };

  function render() {
    frame = undefined;
    refreshFunctionOptions();
    const current = timeline.pinned;
    const nextPinned = current ? signature(current, true) : '';
    if (nextPinned !== pinnedSignature) {
      pinnedSignature = nextPinned;
      if (current) replace(pinned, renderEvent(current, true));
      else pinned.replaceChildren();
    }
    const filter = {
      ...(functionFilter.value ? { functionName: functionFilter.value } : {}),
      ...(outcomeFilter.value ? { outcome: outcomeFilter.value as Outcome } : {}),
    };
    const events = timeline.list(filter);
    const keep = new Set<string>();
    const elements: HTMLElement[] = [];
    for (const event of events) {
      keep.add(event.key);
      const sig = signature(event, false);
      let entry = rendered.get(event.key);
      if (entry === undefined || entry.signature !== sig) {
        entry = { element: renderEvent(event, false), signature: sig };
        rendered.set(event.key, entry);
      }
      elements.push(entry.element);
    }
    for (const key of rendered.keys()) if (!keep.has(key)) rendered.delete(key);
    // Moved, not rebuilt: an open log and the focus inside an entry stay.
    elements.forEach((child, index) => {
      if (list.children[index] !== child) list.insertBefore(child, list.children[index] ?? null);
    });
    while (list.children.length > elements.length) list.lastElementChild?.remove();

    const total = timeline.all().reduce((sum, event) => sum + event.invocations.length, 0);
    const shown = events.reduce((sum, event) => sum + event.invocations.length, 0);
    const filtered = filter.functionName !== undefined || filter.outcome !== undefined;
    const pinnedCount = current?.invocations.length ?? 0;
    count.textContent = filtered
      ? `${shown} of ${total - pinnedCount} shown`
      : `${total} invocation${total === 1 ? '' : 's'}`;
    bound.hidden = timeline.droppedEvents === 0;
    bound.textContent = `${timeline.droppedEvents} older event${timeline.droppedEvents === 1 ? ' was' : 's were'} dropped: the timeline keeps the latest ${timeline.limit}.`;
    replace(notices, ...timeline.notices.map((note) => el('li', { class: `wb-tone-${note.tone}` }, note.text)));
    empty.hidden = events.length > 0;
    empty.textContent =
      filtered && timeline.all().length > 0
        ? 'No invocation matches the filter.'
        : current
          ? 'No other invocations yet: those S3, DynamoDB, Kinesis or API Gateway start appear here.'
          : 'Invocations appear here as they happen: your Runs, and those S3, DynamoDB, Kinesis or API Gateway start.';
  }

  functionFilter.addEventListener('change', render);
  outcomeFilter.addEventListener('change', render);
  clearButton.addEventListener('click', () => {
    timeline.clear();
    status.hidden = true;
    status.textContent = '';
    body.replaceChildren();
    rendered.clear();
    openLogs.clear();
    list.replaceChildren();
    render();
    announce('Timeline cleared.');
  });
  render();

  return {
    element,
    runNote,
    busy(text) {
      element.setAttribute('aria-busy', 'true');
      setStatus(text, 'busy');
    },
    deployed(result) {
      element.removeAttribute('aria-busy');
      const deployed = result.functions ?? [result];
      setStatus(
        `Deployed ${deployed.map((fn) => names.label(fn.functionName)).join(' and ')} in ${formatMs(result.durationMs)} (bundle ${result.bundleBytes.toLocaleString('en-US')} bytes).`,
        'ok',
      );
      replace(
        body,
        ...deployed.map((fn) =>
          el(
            'p',
            { class: 'wb-muted' },
            `${names.label(fn.functionName)} (${fn.functionName}): code SHA-256 ${fn.codeSha256}`,
          ),
        ),
      );
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
    runStarted(functionName, invocationType) {
      runNote.hidden = true;
      const run = timeline.runStarted(functionName, invocationType);
      schedule();
      return run;
    },
    invoked(run, functionName, result, invocationType) {
      element.removeAttribute('aria-busy');
      body.replaceChildren();
      const event = timeline.runFinished(run, functionName, result, invocationType);
      const invocation = event.invocations.at(-1);
      const report = invocation ? reportOf(invocation) : undefined;
      if (invocationType === 'Event') {
        setStatus(
          `Queued (status ${result.statusCode}): Lambda runs it asynchronously; it is pinned here when it starts.`,
          'ok',
        );
        announce('Event queued. Its invocation appears in the timeline.');
      } else if (result.functionError) {
        const payload = result.payload as { errorType?: string; errorMessage?: string } | undefined;
        setStatus(
          invocation?.initFailed
            ? invocation.status === 'timed-out'
              ? `Failed: the init phase timed out${invocation.initDurationMs !== undefined ? ` after ${formatMs(invocation.initDurationMs)}` : ''}; the handler never ran.`
              : `Failed during init (${payload?.errorType ?? result.functionError}); the handler never ran.`
            : `Failed: the function returned an error (${result.functionError})${report ? ` after ${formatMs(report.durationMs)}` : ''}.`,
          'error',
        );
        announce(`Function error: ${payload?.errorType ?? ''} ${payload?.errorMessage ?? ''}`.trim());
      } else {
        setStatus(
          `Succeeded${report ? ` in ${formatMs(report.durationMs)}, ${report.coldStart ? 'cold start' : 'warm'}` : ''}.`,
          'ok',
        );
        announce(`Succeeded${report ? ` in ${formatMs(report.durationMs)}` : ''}.`);
      }
      render();
    },
    invalidEvent(detail) {
      const text = `Not run: the test event is not valid JSON — ${detail.replace(/^Not valid JSON:\s*/, '')}. Fix it in the Test event tab.`;
      runNote.textContent = text;
      runNote.hidden = false;
      setStatus(text, 'error');
    },
    clearRunNote() {
      runNote.hidden = true;
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
      if (!timeline.apply(message)) return;
      if (message.type === 'lambda.async.retry')
        announce(`Lambda retries the event, attempt ${String(message.detail.attempt)}.`);
      else if (message.type === 'iam.denied') announce(timeline.notices[0]?.text ?? 'Access denied.');
      else if (message.type === 'observer.notice') announce(String(message.detail.message ?? ''));
      schedule();
    },
  };
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

/**
 * The toolbar's title: the functions by their lesson names, each deployed name in its title, and a
 * button that copies the deployed name of the function the workbench edits (for the CLI or console).
 */
export function renderFunctionTitle(
  names: LessonNames,
  fallback: string,
  announce: (text: string) => void,
): HTMLElement[] {
  const functions = names.functions;
  const title = el(
    'span',
    {
      class: 'wb-function-name',
      'data-wb-function-title': '',
      ...(functions.length > 0
        ? { title: functions.map((fn) => `${fn.label}: deployed as ${fn.physical}`).join('\n') }
        : {}),
    },
    functions.length > 0 ? functions.map((fn) => fn.label).join(', ') : fallback,
  );
  const first = functions[0];
  if (first === undefined) return [title];
  const copy = el(
    'button',
    {
      type: 'button',
      class: 'wb-button wb-small wb-copy-name',
      'data-wb-copy-name': first.physical,
      title: `Copy the deployed name: ${first.physical}`,
      'aria-label': `Copy the deployed name of ${first.label}`,
    },
    'Copy',
  );
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(first.physical);
      announce(`Copied ${first.physical}.`);
      copy.textContent = 'Copied';
      setTimeout(() => {
        copy.textContent = 'Copy';
      }, 1500);
    } catch {
      // No clipboard (an insecure origin, a denied permission): show the name to copy by hand.
      window.prompt(`Deployed name of ${first.label}:`, first.physical);
    }
  });
  return [title, copy];
}
