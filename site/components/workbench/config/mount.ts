// The configuration view, like the Lambda console's Configuration tab: memory, timeout and
// environment variables (editable: UpdateFunctionConfiguration, with Lambda's LastUpdateStatus
// shown while it applies the change), reserved concurrency, the triggers with their settings and
// the execution role's policies. What the learner's credentials may not read says so, by action
// and role, in its section.
import {
  type ConfigSectionError,
  type ConfigUpdateProgress,
  environmentBytes,
  type FunctionConfigView,
  LAMBDA_LIMITS,
} from '../../../lib/function-config.ts';
import type { TraceMessage } from '../../../lib/workbench-api.ts';
import type { MountPanel } from '../context.ts';
import { el, replace } from '../dom.ts';
import { displayName } from '../editor/file-tree.ts';
import {
  describeChange,
  describeResourcePolicy,
  policyStatements,
  readConfigForm,
  summarizeTrigger,
  type VariableRow,
} from './view.ts';
import './config.css';

let instances = 0;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A refused look-up, in words: what could not be read and why (AccessDenied names action and role). */
function unreadable(error: ConfigSectionError): HTMLElement {
  const box = el('p', 'wb-warning');
  box.dataset.wbDenied = error.missingPermission ?? error.error;
  box.append(
    el('strong', undefined, error.error === 'AccessDenied' ? 'Not allowed: ' : `${error.error}: `),
    error.message,
  );
  return box;
}

/** Mounts the configuration view of the scenario's functions. */
export const mountConfig: MountPanel = (element, context) => {
  const { api, scenario } = context;
  const n = ++instances;
  const id = (name: string) => `wb-config-${n}-${name}`;
  element.classList.add('wb-config-panel', 'not-content');

  // ---- head: which function, refresh
  const functionSelect = el('select', { id: id('function'), class: 'wb-select' });
  // The lesson's words (the diagram's label, e.g. "Metrics function"), the handler file beside it.
  const label = (fn: { name?: string; path: string }) => {
    const node = scenario.diagram.nodes.find(
      (candidate) => candidate.kind === 'function' && candidate.resourceName === fn.name,
    );
    return `${node?.label ?? 'Function'} (${displayName(fn.path, scenario.id)})`;
  };
  scenario.functions.forEach((fn, index) => {
    functionSelect.append(new Option(label(fn), String(index)));
  });
  const refresh = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Refresh');
  const head = el(
    'div',
    'wb-config__head',
    scenario.functions.length > 1
      ? el('div', 'wb-field', el('label', { for: functionSelect.id }, 'Function'), functionSelect)
      : el('p', 'wb-config__name', scenario.functions[0] ? label(scenario.functions[0]) : scenario.stack),
    refresh,
  );
  const failure = el('div', { class: 'wb-error', role: 'alert' });
  failure.hidden = true;
  const body = el('div', 'wb-config__body');
  body.append(el('p', 'wb-hint', 'Reading the function’s configuration…'));
  element.replaceChildren(head, failure, body);

  // ---- the form (kept across refreshes so a half-typed edit is not lost while saving)
  const memory = el('input', {
    id: id('memory'),
    type: 'number',
    inputmode: 'numeric',
    min: String(LAMBDA_LIMITS.memoryMb.min),
    max: String(LAMBDA_LIMITS.memoryMb.max),
    step: '1',
    class: 'wb-input',
    'aria-describedby': `${id('memory-hint')} ${id('memory-error')}`,
  });
  const timeout = el('input', {
    id: id('timeout'),
    type: 'number',
    inputmode: 'numeric',
    min: String(LAMBDA_LIMITS.timeoutSeconds.min),
    max: String(LAMBDA_LIMITS.timeoutSeconds.max),
    step: '1',
    class: 'wb-input',
    'aria-describedby': `${id('timeout-hint')} ${id('timeout-error')}`,
  });
  const memoryError = el('p', { id: id('memory-error'), class: 'wb-field-error' });
  const timeoutError = el('p', { id: id('timeout-error'), class: 'wb-field-error' });
  const variablesBody = el('tbody');
  const variablesError = el('p', { id: id('variables-error'), class: 'wb-field-error' });
  const bytes = el('p', { class: 'wb-hint', id: id('variables-bytes') });
  const addVariable = el('button', { type: 'button', class: 'wb-button wb-small' }, 'Add variable');
  const save = el('button', { type: 'button', class: 'wb-button wb-primary', 'data-wb-config-save': '' }, 'Save');
  const reset = el('button', { type: 'button', class: 'wb-button' }, 'Undo changes');
  const progress = el('progress', { class: 'wb-config__progress', 'aria-label': 'Lambda is applying the change' });
  progress.hidden = true;
  const status = el('p', { class: 'wb-config__status', role: 'status' });
  const saveError = el('div', { class: 'wb-error', role: 'alert' });
  saveError.hidden = true;

  let view: FunctionConfigView | undefined;
  let saving = false;
  let loadCount = 0;

  const variableRows = (): VariableRow[] =>
    [...variablesBody.querySelectorAll('tr')].map((row) => ({
      name: row.querySelector<HTMLInputElement>('[data-wb-var-name]')?.value ?? '',
      value: row.querySelector<HTMLInputElement>('[data-wb-var-value]')?.value ?? '',
    }));
  const updateBytes = () => {
    const rows = variableRows().filter((row) => row.name.trim() !== '' || row.value !== '');
    const used = environmentBytes(Object.fromEntries(rows.map((row) => [row.name.trim(), row.value])));
    bytes.textContent = `${used.toLocaleString('en-US')} of ${LAMBDA_LIMITS.environmentBytes.toLocaleString('en-US')} bytes (Lambda’s 4 KB limit for all variables).`;
    bytes.classList.toggle('wb-tone-warn', used > LAMBDA_LIMITS.environmentBytes);
  };
  const addRow = (name = '', value = '', focus = false) => {
    const index = variablesBody.rows.length;
    const nameInput = el('input', {
      class: 'wb-input',
      'data-wb-var-name': '',
      'aria-label': `Name of variable ${index + 1}`,
      placeholder: 'NAME',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    nameInput.value = name;
    const valueInput = el('input', {
      class: 'wb-input',
      'data-wb-var-value': '',
      'aria-label': `Value of variable ${index + 1}`,
      placeholder: 'value',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    valueInput.value = value;
    const remove = el(
      'button',
      { type: 'button', class: 'wb-button wb-small', 'aria-label': `Remove variable ${name || index + 1}` },
      'Remove',
    );
    const row = el(
      'tr',
      undefined,
      el('td', undefined, nameInput),
      el('td', undefined, valueInput),
      el('td', undefined, remove),
    );
    remove.addEventListener('click', () => {
      row.remove();
      updateBytes();
      addVariable.focus();
    });
    for (const input of [nameInput, valueInput]) input.addEventListener('input', updateBytes);
    variablesBody.append(row);
    if (focus) nameInput.focus();
  };
  addVariable.addEventListener('click', () => {
    addRow('', '', true);
    updateBytes();
  });

  const fillForm = (current: FunctionConfigView) => {
    memory.value = String(current.memorySize);
    timeout.value = String(current.timeout);
    variablesBody.replaceChildren();
    for (const [name, value] of Object.entries(current.environment)) addRow(name, value);
    updateBytes();
    for (const field of [memory, timeout]) field.removeAttribute('aria-invalid');
    memoryError.textContent = '';
    timeoutError.textContent = '';
    variablesError.textContent = '';
  };
  reset.addEventListener('click', () => {
    if (view) fillForm(view);
    status.textContent = 'The form shows the function’s configuration again.';
  });

  const form = el(
    'form',
    { class: 'wb-config__form', 'aria-labelledby': id('general') },
    el('h4', { id: id('general') }, 'General configuration'),
    el(
      'div',
      'wb-config__pair',
      el(
        'div',
        'wb-field',
        el('label', { for: memory.id }, 'Memory (MB)'),
        memory,
        el(
          'span',
          { class: 'wb-hint', id: id('memory-hint') },
          `${LAMBDA_LIMITS.memoryMb.min}–${LAMBDA_LIMITS.memoryMb.max.toLocaleString('en-US')} MB. CPU grows with memory; the REPORT line shows Memory Size and Max Memory Used.`,
        ),
        memoryError,
      ),
      el(
        'div',
        'wb-field',
        el('label', { for: timeout.id }, 'Timeout (seconds)'),
        timeout,
        el(
          'span',
          { class: 'wb-hint', id: id('timeout-hint') },
          `${LAMBDA_LIMITS.timeoutSeconds.min}–${LAMBDA_LIMITS.timeoutSeconds.max} s. An invocation still running then is stopped: “Task timed out”.`,
        ),
        timeoutError,
      ),
    ),
    el(
      'fieldset',
      { class: 'wb-fieldset wb-config__variables', 'aria-describedby': `${bytes.id} ${variablesError.id}` },
      el('legend', undefined, 'Environment variables'),
      el(
        'table',
        'wb-config__table',
        el(
          'thead',
          undefined,
          el(
            'tr',
            undefined,
            el('th', { scope: 'col' }, 'Name'),
            el('th', { scope: 'col' }, 'Value'),
            el('th', { scope: 'col' }, el('span', 'wb-visually-hidden', 'Remove')),
          ),
        ),
        variablesBody,
      ),
      el('div', 'wb-row', addVariable),
      bytes,
      variablesError,
    ),
    el('div', 'wb-row wb-config__actions', save, reset),
    progress,
    status,
    saveError,
  );

  const showProblems = (problems: readonly { field: string; message: string }[]) => {
    const by = (field: string) =>
      problems
        .filter((problem) => problem.field === field)
        .map((problem) => problem.message)
        .join(' ');
    memoryError.textContent = by('memorySize');
    timeoutError.textContent = by('timeout');
    variablesError.textContent = by('environment');
    for (const [field, input] of [
      ['memorySize', memory],
      ['timeout', timeout],
    ] as const) {
      if (by(field)) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
    const first = problems[0]?.field;
    if (first === 'memorySize') memory.focus();
    else if (first === 'timeout') timeout.focus();
  };

  // ---- the read-only sections
  const concurrencySection = el('section', 'wb-config__section');
  const triggersSection = el('section', 'wb-config__section');
  const roleSection = el('section', 'wb-config__section');
  const resourcePolicySection = el('section', { class: 'wb-config__section', 'data-wb-resource-policy': '' });

  const renderConcurrency = (current: FunctionConfigView) => {
    replace(
      concurrencySection,
      el('h4', undefined, 'Function and concurrency'),
      el(
        'dl',
        'wb-config__facts',
        el('dt', undefined, 'Function name'),
        el('dd', undefined, el('code', undefined, current.functionName)),
        el('dt', undefined, 'Reserved concurrency'),
        el(
          'dd',
          { 'data-wb-reserved': String(current.reservedConcurrency ?? '') },
          current.reservedConcurrency === undefined
            ? 'None: it draws on the account’s unreserved concurrency.'
            : `${current.reservedConcurrency}: at most ${current.reservedConcurrency} execution environment${current.reservedConcurrency === 1 ? '' : 's'} at once; more requests are throttled (set in infra.ts).`,
        ),
        el('dt', undefined, 'Runtime and handler'),
        el('dd', undefined, `${current.runtime ?? '—'}, ${current.handler ?? '—'}`),
        el('dt', undefined, 'Last update'),
        el(
          'dd',
          undefined,
          `${current.lastUpdateStatus ?? '—'}${current.lastModified ? ` (${current.lastModified})` : ''}`,
        ),
      ),
    );
  };

  const renderTriggers = (current: FunctionConfigView) => {
    const items = current.triggers.found.map((trigger) => {
      const summary = summarizeTrigger(trigger);
      const settings = el('dl', 'wb-config__facts');
      for (const [label, value] of summary.settings)
        settings.append(el('dt', undefined, label), el('dd', undefined, value));
      const item = el(
        'li',
        'wb-config__trigger',
        el('p', 'wb-config__trigger-kind', summary.kind),
        el('p', 'wb-config__trigger-title', el('code', undefined, summary.title)),
        settings,
      );
      if (trigger.kind === 'identity-pool-invoke') {
        item.append(
          rawJson('The guest role’s statements and trust policy (JSON)', {
            statements: trigger.statements,
            trustPolicy: trigger.trustPolicy,
          }),
        );
      }
      item.dataset.wbTrigger = trigger.kind;
      return item;
    });
    replace(
      triggersSection,
      el('h4', undefined, 'Triggers'),
      items.length > 0 ? el('ul', 'wb-config__triggers', ...items) : undefined,
      items.length === 0 && current.triggers.unreadable.length === 0
        ? el('p', 'wb-hint', 'Nothing invokes this function but direct Invoke calls (Run).')
        : undefined,
      ...current.triggers.unreadable.map(unreadable),
    );
  };

  const renderRole = (current: FunctionConfigView) => {
    const name = current.roleArn.slice(current.roleArn.lastIndexOf('/') + 1);
    const heading = el('h4', undefined, 'Execution role');
    const roleName = el('p', undefined, el('code', { title: current.roleArn }, name));
    if (!current.role.ok) {
      replace(roleSection, heading, roleName, unreadable(current.role.error));
      return;
    }
    const policies = current.role.value.policies.map((policy) => {
      const lines = policyStatements(policy.document);
      return el(
        'li',
        'wb-config__policy',
        el(
          'p',
          undefined,
          el('strong', undefined, policy.name),
          el('span', 'wb-hint', policy.kind === 'inline' ? ' inline policy' : ' managed policy'),
        ),
        el('ul', 'wb-config__statements', ...lines.map((line) => el('li', undefined, el('code', undefined, line)))),
        rawJson('Policy document (JSON)', policy.document),
      );
    });
    replace(
      roleSection,
      heading,
      roleName,
      el(
        'p',
        'wb-hint',
        'What the function’s code may do with its credentials: any other call is refused with AccessDenied.',
      ),
      policies.length > 0
        ? el('ul', 'wb-config__policies', ...policies)
        : el('p', 'wb-hint', 'The role has no policies.'),
    );
  };

  /** A JSON document behind a disclosure, for the learner who wants AWS's own text. */
  const rawJson = (label: string, document: unknown) =>
    el(
      'details',
      undefined,
      el('summary', undefined, label),
      el('pre', { class: 'wb-config__json', tabindex: '0' }, JSON.stringify(document, null, 2)),
    );

  const renderResourcePolicy = (current: FunctionConfigView) => {
    const heading = el('h4', undefined, 'Resource-based policy');
    const intro = el(
      'p',
      'wb-hint',
      'Who else may invoke the function: AWS services and accounts the function itself allows (Lambda GetPolicy).',
    );
    const policy = current.resourcePolicy;
    if (!policy.ok) {
      replace(resourcePolicySection, heading, intro, unreadable(policy.error));
      return;
    }
    if (policy.value === null) {
      const guests = current.triggers.found.some((trigger) => trigger.kind === 'identity-pool-invoke');
      replace(
        resourcePolicySection,
        heading,
        el(
          'p',
          'wb-hint',
          guests
            ? 'None. Nothing is allowed by the function itself: the app may invoke it because the identity pool’s guest role’s own policy allows lambda:InvokeFunction on it (see Triggers).'
            : 'None: only callers whose own IAM policies allow lambda:InvokeFunction on it may invoke it.',
        ),
      );
      return;
    }
    const lines = describeResourcePolicy(policy.value.document);
    replace(
      resourcePolicySection,
      heading,
      intro,
      el('ul', 'wb-config__statements', ...lines.map((line) => el('li', undefined, line))),
      rawJson('Policy document (JSON)', policy.value.document),
    );
  };

  const render = (current: FunctionConfigView, refill: boolean) => {
    view = current;
    if (refill) fillForm(current);
    renderConcurrency(current);
    renderTriggers(current);
    renderRole(current);
    renderResourcePolicy(current);
    element.dataset.wbFunction = current.functionName;
    element.dataset.wbMemory = String(current.memorySize);
    element.dataset.wbTimeout = String(current.timeout);
    if (!body.contains(form)) {
      body.replaceChildren(form, concurrencySection, triggersSection, resourcePolicySection, roleSection);
    }
  };

  const functionIndex = () => Number(functionSelect.value || 0);

  const load = async (refill = true) => {
    const request = ++loadCount;
    refresh.disabled = true;
    element.dataset.wbLoading = 'true';
    try {
      const current = await api.get<FunctionConfigView>(
        `/scenarios/${encodeURIComponent(scenario.id)}/configuration?functionIndex=${functionIndex()}`,
      );
      if (request !== loadCount) return;
      failure.hidden = true;
      render(current, refill);
    } catch (error) {
      if (request !== loadCount) return;
      // Never a blank panel: the explained error (e.g. AccessDenied on GetFunction, or not deployed).
      failure.textContent = `The configuration could not be read: ${errorMessage(error)}`;
      failure.hidden = false;
      if (!view) body.replaceChildren();
    } finally {
      if (request === loadCount) {
        refresh.disabled = false;
        delete element.dataset.wbLoading;
      }
    }
  };

  const submit = async () => {
    if (!view || saving) return;
    saveError.hidden = true;
    const verdict = readConfigForm(
      { memorySize: memory.value, timeout: timeout.value, variables: variableRows() },
      view,
    );
    if (!verdict.ok) {
      showProblems(verdict.problems);
      status.textContent = 'Not saved: fix what is marked first (Lambda’s limits).';
      return;
    }
    showProblems([]);
    if (!verdict.changed) {
      status.textContent = 'Nothing changed: the function already has this configuration.';
      return;
    }
    saving = true;
    save.setAttribute('aria-disabled', 'true');
    progress.hidden = false;
    element.dataset.wbSaving = 'true';
    const change = describeChange(verdict.update);
    status.textContent = `Asking Lambda to set ${change}…`;
    const started = Date.now();
    let lastStatus = 'InProgress';
    const tick = setInterval(() => {
      status.textContent = `Lambda is applying ${change}: LastUpdateStatus ${lastStatus} (${((Date.now() - started) / 1000).toFixed(1)} s)…`;
    }, 200);
    try {
      let done: FunctionConfigView | undefined;
      await api.postLines<ConfigUpdateProgress>(
        `/scenarios/${encodeURIComponent(scenario.id)}/configuration`,
        { functionIndex: functionIndex(), ...verdict.update },
        (line) => {
          if (line.kind === 'status') lastStatus = line.lastUpdateStatus;
          else if (line.kind === 'done') done = line.view;
          else if (line.kind === 'error') throw Object.assign(new Error(line.error.message), { body: line.error });
        },
      );
      if (!done) throw new Error('The server ended without the new configuration.');
      render(done, true);
      const text = `Saved: ${change} (LastUpdateStatus ${done.lastUpdateStatus ?? 'Successful'} after ${((Date.now() - started) / 1000).toFixed(1)} s). The next invocation starts a new execution environment with it: watch its REPORT line.`;
      status.textContent = text;
      context.announce(text);
    } catch (error) {
      status.textContent = '';
      // AWS's own words (the server explains, and keeps AWS's code and message).
      const body = (error as { body?: { error?: string; awsCode?: unknown; awsMessage?: unknown } }).body;
      const denied = body?.error === 'AccessDenied';
      // Lambda's own code and words when it refused; the explanation (action and role) when IAM did.
      const text =
        !denied && typeof body?.awsCode === 'string' && typeof body.awsMessage === 'string'
          ? `${body.awsCode}: ${body.awsMessage}`
          : errorMessage(error);
      saveError.replaceChildren(
        el('strong', undefined, denied ? 'Not allowed. ' : 'Lambda refused the change. '),
        text,
      );
      saveError.hidden = false;
      context.announce(`Lambda refused the change: ${errorMessage(error)}`);
    } finally {
      clearInterval(tick);
      saving = false;
      save.removeAttribute('aria-disabled');
      progress.hidden = true;
      delete element.dataset.wbSaving;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submit();
  });
  save.addEventListener('click', () => void submit());

  refresh.addEventListener('click', () => void load(true));
  functionSelect.addEventListener('change', () => {
    view = undefined;
    body.replaceChildren(el('p', 'wb-hint', 'Reading the function’s configuration…'));
    void load(true);
  });
  // Changed from elsewhere (a terminal, another tab): read it again, keeping the form when it is being saved.
  const unsubscribe = context.onTrace((message: TraceMessage) => {
    if (message.type !== 'lambda.function.updated' || message.detail.change !== 'configuration') return;
    if (message.detail.functionName !== view?.functionName || saving) return;
    void load(true);
  });
  void load(true);

  return () => {
    unsubscribe();
    element.replaceChildren();
    element.classList.remove('wb-config-panel', 'not-content');
  };
};
