// The workspace's files as a tree a learner scans at a glance: the functions' handlers, the modules
// they import, the infrastructure and the sample events (those two read-only), each file marked when
// it holds an edit. Data in, DOM out: it renders the state's files and reports a choice.
import type { WorkspaceFile } from '../../../lib/workbench-api.ts';
import { el } from '../dom.ts';

export interface TreeFile {
  readonly path: string;
  readonly role: WorkspaceFile['role'];
  readonly editable: boolean;
  readonly changed: boolean;
}

const GROUPS: readonly { role: WorkspaceFile['role']; label: string }[] = [
  { role: 'handler', label: 'Functions' },
  { role: 'module', label: 'Modules' },
  { role: 'infra', label: 'Infrastructure (read-only)' },
  { role: 'event', label: 'Sample events (read-only)' },
];

/** A file's name in the tree: relative to `scenarios/` for shared modules, to the scenario otherwise. */
export function displayName(path: string, scenario: string): string {
  const own = `scenarios/${scenario}/`;
  return path.startsWith(own) ? path.slice(own.length) : path.replace(/^scenarios\//, '');
}

/** Renders the tree into `element`; `onSelect` receives the chosen path. */
export function renderFileTree(
  element: HTMLElement,
  files: readonly TreeFile[],
  selected: string,
  scenario: string,
  onSelect: (path: string) => void,
): void {
  const focused = element.contains(document.activeElement)
    ? (document.activeElement as HTMLElement).dataset.wbPath
    : undefined;
  const buttons: HTMLButtonElement[] = [];
  const groups = GROUPS.map(({ role, label }) => {
    const inGroup = files.filter((file) => file.role === role);
    if (inGroup.length === 0) return undefined;
    const id = `${element.id}-${role}`;
    return el(
      'div',
      { class: 'wb-tree-group' },
      el('h3', { class: 'wb-tree-heading', id }, label),
      el(
        'ul',
        { class: 'wb-tree-list', 'aria-labelledby': id },
        ...inGroup.map((file) => {
          const button = el(
            'button',
            {
              type: 'button',
              class: 'wb-tree-file',
              'data-wb-path': file.path,
              'aria-current': file.path === selected ? 'true' : undefined,
              title: file.path,
            },
            el('span', { class: 'wb-tree-name' }, displayName(file.path, scenario)),
            file.changed ? el('span', { class: 'wb-tree-changed', title: 'Edited' }, ' ●') : undefined,
            file.changed ? el('span', { class: 'sr-only' }, ' (edited)') : undefined,
          );
          button.addEventListener('click', () => onSelect(file.path));
          buttons.push(button);
          return el('li', {}, button);
        }),
      ),
    );
  });
  element.replaceChildren(...groups.filter((group): group is HTMLDivElement => group !== undefined));
  // Up and Down move between files, as in an editor's explorer.
  element.onkeydown = (event) => {
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    const next =
      event.key === 'ArrowDown'
        ? index + 1
        : event.key === 'ArrowUp'
          ? index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? buttons.length - 1
              : undefined;
    if (next === undefined || !buttons[next]) return;
    event.preventDefault();
    buttons[next]?.focus();
  };
  if (focused) buttons.find((button) => button.dataset.wbPath === focused)?.focus();
}
