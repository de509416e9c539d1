// The triggers panel: real events for the scenario's real resources. Thumbnails: drop or choose a
// photo (or make a sample one in the browser) and upload it to the photos bucket. Stream metrics:
// write and delete orders, put click records on the Kinesis stream. Web backend: send an HTTP
// request to the API. Mobile clicks: the phone panel is the trigger.
import { isScenarioId, SCENARIOS } from '../../../../scenarios/catalog.ts';
import type { FlowNode, TriggerRequest, TriggerResult } from '../../../lib/workbench-api.ts';
import type { MountPanel, WorkbenchContext } from '../context.ts';
import { el } from '../dom.ts';
import {
  type AsyncTriggerKind,
  FOLLOW_UP_TIMEOUT_MS,
  followingFunctions,
  followUpText,
  formatSeconds,
  startedFunction,
  waitHint,
} from './follow-up.ts';
import {
  type Checked,
  checkUpload,
  clickRecordRequest,
  deleteOrderRequest,
  HTTP_METHODS,
  httpRequest,
  MAX_UPLOAD_BYTES,
  ORDER_STATUSES,
  orderItemRequest,
  uploadRequest,
} from './forms.ts';
import '../panels.css';

let instances = 0;

function button(text: string, className = 'wb-button wb-primary'): HTMLButtonElement {
  const element = el('button', className, text);
  element.type = 'button';
  return element;
}

/** A labelled input (or select / textarea) in a `wb-field` wrapper. */
function field<T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  label: string,
  control: T,
  id: string,
  hint?: string,
): { wrapper: HTMLElement; control: T } {
  const wrapper = el('div', 'wb-field');
  control.id = id;
  const labelElement = el('label', undefined, label);
  labelElement.htmlFor = id;
  wrapper.append(labelElement, control);
  if (hint) {
    const hintElement = el('span', 'wb-hint', hint);
    hintElement.id = `${id}-hint`;
    control.setAttribute('aria-describedby', hintElement.id);
    wrapper.append(hintElement);
  }
  return { wrapper, control };
}

function input(value: string, attributes: Record<string, string> = {}): HTMLInputElement {
  const element = el('input');
  element.value = value;
  for (const [key, attribute] of Object.entries(attributes)) element.setAttribute(key, attribute);
  return element;
}

function select(options: readonly string[], value: string): HTMLSelectElement {
  const element = el('select');
  for (const option of options) element.append(new Option(option, option, option === value, option === value));
  return element;
}

/**
 * Where a trigger's outcome is shown: a status line, errors as alerts, and — while the function it
 * sets off has not started yet — a progress bar with the time waited and why it takes that long.
 */
class Outcome {
  readonly element = el('div', 'wb-trigger__outcome');
  readonly #status = el('p', 'wb-trigger__status');
  readonly #error = el('p', 'wb-error');
  // Outside the live region: the ticking seconds are not announced, the start is.
  readonly #wait = el('div', 'wb-trigger__wait');
  readonly #progress = el('progress', 'wb-trigger__progress');
  readonly #elapsed = el('span', 'wb-trigger__elapsed');
  readonly #hint = el('p', 'wb-hint');
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.#status.setAttribute('role', 'status');
    this.#error.setAttribute('role', 'alert');
    this.#error.hidden = true;
    this.#wait.hidden = true;
    this.#progress.setAttribute('aria-label', 'Waiting for the function to start');
    this.#wait.append(this.#progress, this.#elapsed, this.#hint);
    this.element.append(this.#status, this.#wait, this.#error);
  }

  busy(text: string): void {
    this.#stopWaiting();
    this.#error.hidden = true;
    this.#status.textContent = text;
    this.element.dataset.state = 'busy';
  }

  /** Shows `text` with a progress bar and the time since `since`, until `done` or `fail`. */
  waiting(text: string, hint: string, since: number): void {
    this.busy(text);
    this.element.dataset.state = 'waiting';
    this.#hint.textContent = hint;
    this.#wait.hidden = false;
    const tick = () => {
      this.#elapsed.textContent = `${formatSeconds(Date.now() - since)} so far`;
    };
    tick();
    this.#ticker = setInterval(tick, 100);
  }

  done(text: string): void {
    this.#stopWaiting();
    this.#error.hidden = true;
    this.#status.textContent = text;
    this.element.dataset.state = 'done';
  }

  fail(text: string): void {
    this.#stopWaiting();
    this.#status.textContent = '';
    this.#error.textContent = text;
    this.#error.hidden = false;
    this.element.dataset.state = 'error';
  }

  #stopWaiting(): void {
    if (this.#ticker !== undefined) clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#wait.hidden = true;
  }
}

/**
 * Watches the trace for the start of one of the functions a trigger sets off, from `since`
 * (subscribed before the trigger is sent: locally the function may start before it answers).
 */
function watchFollowUp(context: WorkbenchContext, kind: AsyncTriggerKind) {
  const functions = followingFunctions(context.scenario.diagram, kind);
  const since = Date.now();
  let started: { fn: FlowNode; at: number } | undefined;
  let resolve: (() => void) | undefined;
  const unsubscribe = context.onTrace((message) => {
    const fn = started ? undefined : startedFunction(message, functions);
    if (fn) {
      started = { fn, at: Date.now() };
      resolve?.();
    }
  });
  return {
    functions,
    since,
    /** Resolves with the function and the wait once one started, or undefined after the timeout. */
    async started(): Promise<{ fn: FlowNode; waitedMs: number } | undefined> {
      if (started === undefined) {
        const timer = { id: undefined as ReturnType<typeof setTimeout> | undefined };
        await new Promise<void>((done) => {
          resolve = done;
          timer.id = setTimeout(done, FOLLOW_UP_TIMEOUT_MS);
        });
        clearTimeout(timer.id);
      }
      unsubscribe();
      return started ? { fn: started.fn, waitedMs: started.at - since } : undefined;
    },
    cancel: unsubscribe,
  };
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Sends a checked trigger, reporting in `outcome`; returns the result, or undefined on failure. */
async function send(
  context: WorkbenchContext,
  request: Checked<TriggerRequest>,
  outcome: Outcome,
  controls: readonly HTMLButtonElement[],
): Promise<TriggerResult | undefined> {
  if (!request.ok) {
    outcome.fail(request.error);
    return undefined;
  }
  for (const control of controls) control.disabled = true;
  outcome.busy('Sending…');
  const kind = request.value.kind;
  const follow = kind === 'http' ? undefined : watchFollowUp(context, kind);
  try {
    const result = await context.api.post<TriggerResult>(
      `/scenarios/${encodeURIComponent(context.scenario.id)}/trigger`,
      request.value,
    );
    const sent = `${result.summary} (${Math.round(result.durationMs)} ms)`;
    context.announce(result.summary);
    if (follow === undefined || follow.functions.length === 0 || kind === 'http') {
      follow?.cancel();
      outcome.done(sent);
      return result;
    }
    const names = follow.functions.map((fn) => fn.label).join(' or ');
    outcome.waiting(
      `${sent}. Waiting for ${names} to start…`,
      waitHint(kind, context.session.target.kind),
      follow.since,
    );
    void follow.started().then((started) => {
      outcome.element.dataset.followUpMs = started ? String(started.waitedMs) : 'timeout';
      const text = followUpText(started?.fn.label ?? names, started?.waitedMs, context.session.target.kind);
      outcome.done(`${sent}. ${text}`);
      if (started) context.announce(text);
    });
    return result;
  } catch (error) {
    follow?.cancel();
    outcome.fail(`The trigger failed: ${errorMessage(error)}`);
    return undefined;
  } finally {
    for (const control of controls) control.disabled = false;
  }
}

/** A photo drawn in the browser: a sky, a sun, hills and the time, as a JPEG. */
export async function samplePhoto(width = 640, height = 427): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser cannot draw on a canvas, so it cannot make a sample photo.');
  const sky = g.createLinearGradient(0, 0, 0, height);
  const hue = Math.floor(Math.random() * 360);
  sky.addColorStop(0, `hsl(${hue} 70% 55%)`);
  sky.addColorStop(1, `hsl(${(hue + 40) % 360} 80% 85%)`);
  g.fillStyle = sky;
  g.fillRect(0, 0, width, height);
  g.fillStyle = 'hsl(45 100% 60%)';
  g.beginPath();
  g.arc(width * 0.75, height * 0.3, height * 0.12, 0, Math.PI * 2);
  g.fill();
  for (const [shade, base, amplitude] of [
    [35, 0.7, 0.08],
    [25, 0.8, 0.06],
  ] as const) {
    g.fillStyle = `hsl(${(hue + 120) % 360} 45% ${shade}%)`;
    g.beginPath();
    g.moveTo(0, height);
    for (let x = 0; x <= width; x += 8) {
      g.lineTo(x, height * base + Math.sin(x / (40 + shade) + hue) * height * amplitude);
    }
    g.lineTo(width, height);
    g.fill();
  }
  g.fillStyle = 'white';
  g.font = `bold ${Math.round(height / 12)}px sans-serif`;
  g.fillText('Lambda Workbook', width * 0.05, height * 0.15);
  g.font = `${Math.round(height / 18)}px sans-serif`;
  g.fillText(new Date().toLocaleTimeString(), width * 0.05, height * 0.25);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the sample photo.'))),
      'image/jpeg',
      0.85,
    ),
  );
}

function mountUpload(form: HTMLElement, context: WorkbenchContext, n: number): () => void {
  const outcome = new Outcome();
  const zone = el('div', 'wb-drop');
  const fileInput = el('input', 'wb-drop__input');
  fileInput.type = 'file';
  fileInput.id = `wb-upload-${n}`;
  fileInput.accept = 'image/jpeg,image/png,.jpg,.jpeg,.png';
  const label = el('label', 'wb-drop__label');
  label.htmlFor = fileInput.id;
  label.append(
    el('strong', undefined, 'Drop a photo here'),
    ' or ',
    el('span', 'wb-drop__choose', 'choose a file'),
    el(
      'span',
      'wb-hint',
      ` JPEG or PNG, up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. It is uploaded to the photos bucket.`,
    ),
  );
  zone.append(fileInput, label);
  const sample = button('Upload a sample photo');
  const warning = el('p', 'wb-warning');
  warning.hidden = true;
  const preview = el('img', 'wb-upload__preview');
  preview.hidden = true;
  preview.alt = '';
  let previewUrl: string | undefined;

  const upload = async (blob: Blob, name: string) => {
    const checked = checkUpload({ name, size: blob.size, type: blob.type });
    if (!checked.ok) {
      warning.hidden = true;
      outcome.fail(checked.error);
      return;
    }
    warning.textContent = checked.value.warning ?? '';
    warning.hidden = checked.value.warning === undefined;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(blob);
    preview.src = previewUrl;
    preview.alt = `The photo being uploaded: ${checked.value.key}`;
    preview.hidden = false;
    form.dataset.sentAt = String(Date.now());
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const result = await send(
      context,
      { ok: true, value: uploadRequest(checked.value.key, checked.value.contentType, bytes) },
      outcome,
      [sample],
    );
    if (result) form.dataset.uploadedKey = checked.value.key;
  };

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void upload(file, file.name);
    fileInput.value = '';
  });
  const enter = (event: DragEvent) => {
    event.preventDefault();
    zone.classList.add('is-over');
  };
  zone.addEventListener('dragenter', enter);
  zone.addEventListener('dragover', enter);
  zone.addEventListener('dragleave', () => zone.classList.remove('is-over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('is-over');
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0) {
      outcome.fail('Nothing to upload: drop a photo file (JPEG or PNG).');
      return;
    }
    if (files.length > 1) context.announce(`Uploading the first of ${files.length} files.`);
    const file = files[0]!;
    void upload(file, file.name);
  });
  sample.addEventListener('click', () => {
    outcome.busy('Drawing a sample photo…');
    samplePhoto().then(
      (blob) => {
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
        return upload(blob, `sample-${stamp}.jpg`);
      },
      (error: unknown) => outcome.fail(errorMessage(error)),
    );
  });

  const actions = el('div', 'wb-trigger__actions');
  actions.append(sample);
  form.append(zone, actions, warning, outcome.element, preview);
  return () => {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
  };
}

function mountStreamMetrics(form: HTMLElement, context: WorkbenchContext, n: number): void {
  // Orders: the DynamoDB table whose stream the metrics function polls.
  const orders = el('fieldset', 'wb-fieldset');
  orders.append(el('legend', undefined, 'Order → orders table → stream → metrics function'));
  const orderId = field(
    'Order id',
    input(`order-${1000 + Math.floor(Math.random() * 9000)}`, { autocomplete: 'off', spellcheck: 'false' }),
    `wb-order-id-${n}`,
    'The partition key. Writing an existing id again is a MODIFY.',
  );
  const total = field('Total', input('42.5', { inputmode: 'decimal' }), `wb-order-total-${n}`);
  const status = field('Status', select(ORDER_STATUSES, 'placed'), `wb-order-status-${n}`);
  const put = button('Put order');
  const remove = button('Delete order', 'wb-button');
  const orderOutcome = new Outcome();
  const orderActions = el('div', 'wb-trigger__actions');
  orderActions.append(put, remove);
  const row = el('div', 'wb-fields');
  row.append(orderId.wrapper, total.wrapper, status.wrapper);
  orders.append(row, orderActions, orderOutcome.element);
  put.addEventListener('click', () => {
    const request = orderItemRequest({
      orderId: orderId.control.value,
      total: total.control.value,
      status: status.control.value,
    });
    void send(context, request, orderOutcome, [put, remove]);
  });
  remove.addEventListener('click', () => {
    void send(context, deleteOrderRequest(orderId.control.value), orderOutcome, [put, remove]);
  });

  // Clicks: the Kinesis stream the click metrics function polls.
  const clicks = el('fieldset', 'wb-fieldset');
  clicks.append(el('legend', undefined, 'Click → Kinesis stream → click metrics function'));
  const page = field('Page', input('/pricing', { autocomplete: 'off', spellcheck: 'false' }), `wb-click-page-${n}`);
  const clientId = field(
    'Client id',
    input(`browser-${Math.random().toString(36).slice(2, 8)}`, { autocomplete: 'off', spellcheck: 'false' }),
    `wb-click-client-${n}`,
    'Also the partition key: records of one key stay in order.',
  );
  const sendClick = button('Put click record');
  const sendBad = button('Put a record that is not JSON', 'wb-button');
  const clickOutcome = new Outcome();
  const clickRow = el('div', 'wb-fields');
  clickRow.append(page.wrapper, clientId.wrapper);
  const clickActions = el('div', 'wb-trigger__actions');
  clickActions.append(sendClick, sendBad);
  clicks.append(clickRow, clickActions, clickOutcome.element);
  const clickForm = () => ({ page: page.control.value, clientId: clientId.control.value });
  sendClick.addEventListener('click', () => {
    void send(context, clickRecordRequest(clickForm()), clickOutcome, [sendClick, sendBad]);
  });
  sendBad.addEventListener('click', () => {
    void send(context, clickRecordRequest(clickForm(), 'not json at all'), clickOutcome, [sendClick, sendBad]);
  });

  form.append(orders, clicks);
}

/** Requests a learner can start from. */
const HTTP_PRESETS: readonly { label: string; method: string; path: string; headers: string; body: string }[] = [
  { label: 'GET /items', method: 'GET', path: '/items', headers: 'accept: application/json', body: '' },
  {
    label: 'POST /items',
    method: 'POST',
    path: '/items',
    headers: 'content-type: application/json',
    body: '{"name": "Desk lamp", "price": 25}',
  },
  {
    label: 'POST invalid item',
    method: 'POST',
    path: '/items',
    headers: 'content-type: application/json',
    body: '{"name": "", "price": -1}',
  },
  { label: 'GET /', method: 'GET', path: '/', headers: '', body: '' },
];

function prettyBody(body: string, contentType = ''): string {
  if (/json/i.test(contentType) || /^\s*[[{]/.test(body)) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }
  return body;
}

function mountHttp(form: HTMLElement, context: WorkbenchContext, n: number): void {
  const presets = el('div', 'wb-trigger__actions');
  presets.setAttribute('role', 'group');
  presets.setAttribute('aria-label', 'Example requests');
  const method = field('Method', select(HTTP_METHODS, 'GET'), `wb-http-method-${n}`);
  const path = field(
    'Path',
    input('/items', { autocomplete: 'off', spellcheck: 'false' }),
    `wb-http-path-${n}`,
    'Below the API URL; add a query string if you like.',
  );
  const headersArea = el('textarea');
  headersArea.rows = 2;
  headersArea.spellcheck = false;
  headersArea.value = 'accept: application/json';
  const headers = field('Headers', headersArea, `wb-http-headers-${n}`, 'One "name: value" per line.');
  const bodyArea = el('textarea');
  bodyArea.rows = 3;
  bodyArea.spellcheck = false;
  const body = field('Body', bodyArea, `wb-http-body-${n}`);
  for (const preset of HTTP_PRESETS) {
    const choose = button(preset.label, 'wb-button');
    choose.addEventListener('click', () => {
      method.control.value = preset.method;
      path.control.value = preset.path;
      headersArea.value = preset.headers;
      bodyArea.value = preset.body;
      path.control.focus();
    });
    presets.append(choose);
  }
  const sendButton = button('Send request');
  const outcome = new Outcome();
  const response = el('div', 'wb-http-response');
  response.hidden = true;
  const statusLine = el('p', 'wb-http-response__status');
  const headerList = el('dl', 'wb-http-response__headers');
  const responseBody = el('pre', 'wb-http-response__body');
  responseBody.tabIndex = 0;
  response.append(el('h4', undefined, 'Response'), statusLine, headerList, responseBody);

  const row = el('div', 'wb-fields');
  row.append(method.wrapper, path.wrapper);
  const actions = el('div', 'wb-trigger__actions');
  actions.append(sendButton);
  form.append(presets, row, headers.wrapper, body.wrapper, actions, outcome.element, response);

  sendButton.addEventListener('click', async () => {
    const request = httpRequest({
      method: method.control.value,
      path: path.control.value,
      headers: headersArea.value,
      body: bodyArea.value,
    });
    const result = await send(context, request, outcome, [sendButton]);
    const answer = result?.response;
    if (!answer) {
      response.hidden = true;
      return;
    }
    response.hidden = false;
    response.dataset.status = String(answer.status);
    statusLine.textContent = `HTTP ${answer.status}`;
    statusLine.className = `wb-http-response__status ${answer.status >= 400 ? 'is-error' : 'is-ok'}`;
    headerList.replaceChildren();
    for (const [name, value] of Object.entries(answer.headers)) {
      headerList.append(el('dt', undefined, name), el('dd', undefined, value));
    }
    const contentType = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    responseBody.textContent = answer.body === '' ? '(empty body)' : prettyBody(answer.body, contentType);
  });
}

/** Mounts the scenario's triggers. */
export const mountTriggers: MountPanel = (element, context) => {
  const n = ++instances;
  // not-content: Starlight's prose styles (margins between siblings, table looks) stay out.
  element.classList.add('wb-triggers-panel', 'not-content');
  const form = el('div', 'wb-trigger');
  form.dataset.scenario = context.scenario.id;
  element.replaceChildren(form);
  let cleanup: (() => void) | undefined;
  if (!context.scenario.deployed) {
    const note = el('p', 'wb-warning');
    note.textContent = `The ${context.scenario.stack} stack is not deployed, so there is nothing to trigger yet. Run npm start (it deploys the stacks) and reload.`;
    form.append(note);
  }
  const id = context.scenario.id;
  switch (isScenarioId(id) ? SCENARIOS[id].trigger.kind : undefined) {
    case 'upload':
      cleanup = mountUpload(form, context, n);
      break;
    case 'table-writes':
      mountStreamMetrics(form, context, n);
      break;
    case 'http':
      mountHttp(form, context, n);
      break;
    case 'app':
      form.append(
        el(
          'p',
          'wb-hint',
          'Here the trigger is the app itself: tap the buttons on the phone. It calls Cognito and Lambda straight from your browser, with the identity pool’s temporary credentials.',
        ),
      );
      break;
    default:
      form.append(el('p', 'wb-hint', 'This scenario has no triggers besides its sample events.'));
  }
  return () => {
    cleanup?.();
    element.replaceChildren();
    element.classList.remove('wb-triggers-panel', 'not-content');
  };
};
