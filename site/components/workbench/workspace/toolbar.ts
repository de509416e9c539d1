// The workspace's toolbar: the function's name and target, Deploy and Run, the deploy state (as
// the tracker in deploy-state.ts judges it) and the way back to the lesson.
import type { ScenarioInfo, SessionInfo } from '../../../lib/workbench-api.ts';
import { el } from '../dom.ts';
import type { LessonNames } from '../results/names.ts';
import { renderFunctionTitle } from '../results/view.ts';
import type { DeployVerdict } from './deploy-state.ts';

export interface Toolbar {
  readonly deployButton: HTMLButtonElement;
  readonly runButton: HTMLButtonElement;
  readonly closeButton: HTMLButtonElement;
  /** "Local cloud" or "AWS <region>". */
  readonly target: string;
  renderDeploy(verdict: DeployVerdict): void;
  renderBusy(busy: boolean): void;
}

export function createToolbar(
  host: HTMLElement,
  session: SessionInfo,
  scenario: ScenarioInfo,
  lessonNames: LessonNames,
  announce: (text: string) => void,
): Toolbar {
  const target = session.target.kind === 'local' ? 'Local cloud' : `AWS ${session.target.region}`;
  const deployButton = el(
    'button',
    { type: 'button', class: 'wb-button', 'data-wb-action': 'deploy', 'aria-keyshortcuts': 'Control+S' },
    'Deploy',
  );
  const runButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-primary', 'data-wb-action': 'run', 'aria-keyshortcuts': 'Control+Enter' },
    'Run',
  );
  const deployState = el('span', { class: 'wb-deploy-state', 'data-wb-deploy-state': '', role: 'status' });
  const closeButton = el(
    'button',
    { type: 'button', class: 'wb-button wb-close', 'data-wb-close': '' },
    'Back to the lesson',
  );
  host.append(
    el(
      'p',
      { class: 'wb-function' },
      el('span', { class: 'wb-lambda', 'aria-hidden': 'true' }, 'λ'),
      ...renderFunctionTitle(lessonNames, `${scenario.stack} (not deployed)`, announce),
      el('span', { class: 'wb-badge wb-badge-target' }, target),
    ),
    el('div', { class: 'wb-row wb-actions' }, deployButton, runButton, deployState),
    closeButton,
  );
  return {
    deployButton,
    runButton,
    closeButton,
    target,
    renderDeploy(verdict) {
      deployState.textContent = verdict.text;
      deployState.dataset.wbDeployStatus = verdict.status;
      deployState.classList.toggle('wb-tone-warn', verdict.status !== 'up-to-date' && verdict.status !== 'checking');
    },
    renderBusy(busy) {
      for (const button of [deployButton, runButton]) {
        if (busy) button.setAttribute('aria-disabled', 'true');
        else button.removeAttribute('aria-disabled');
      }
    },
  };
}
