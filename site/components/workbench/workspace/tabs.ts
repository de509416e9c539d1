// An ARIA tab list (arrow keys, Home and End move between tabs) whose choice is kept per key.
import { el } from '../dom.ts';

export interface Tab {
  readonly id: string;
  readonly label: string;
  readonly panel: HTMLElement;
  onShow?(): void;
}

/** An ARIA tab list: arrow keys, Home and End move between tabs; the choice is kept per scenario. */
export function createTabs(idPrefix: string, label: string, tabs: readonly Tab[], remember: string): HTMLElement {
  const list = el('div', { role: 'tablist', 'aria-label': label, class: 'wb-tablist' });
  const panels = el('div', { class: 'wb-tabpanels' });
  const buttons: HTMLButtonElement[] = [];
  const key = `lambda-workbook:v1:tab:${remember}`;
  const select = (index: number, focus: boolean) => {
    tabs.forEach((tab, i) => {
      const selected = i === index;
      const button = buttons[i];
      if (!button) return;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      tab.panel.hidden = !selected;
      if (selected) {
        if (focus) button.focus();
        tab.onShow?.();
        try {
          localStorage.setItem(key, tab.id);
        } catch {
          // storage unavailable
        }
      }
    });
  };
  tabs.forEach((tab, index) => {
    const button = el(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `${idPrefix}-tab-${tab.id}`,
        'aria-controls': `${idPrefix}-panel-${tab.id}`,
        class: 'wb-tab',
      },
      tab.label,
    );
    button.addEventListener('click', () => select(index, false));
    button.addEventListener('keydown', (event) => {
      const next =
        event.key === 'ArrowRight'
          ? (index + 1) % tabs.length
          : event.key === 'ArrowLeft'
            ? (index - 1 + tabs.length) % tabs.length
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? tabs.length - 1
                : undefined;
      if (next === undefined) return;
      event.preventDefault();
      select(next, true);
    });
    buttons.push(button);
    list.append(button);
    tab.panel.id = `${idPrefix}-panel-${tab.id}`;
    tab.panel.setAttribute('role', 'tabpanel');
    tab.panel.setAttribute('aria-labelledby', button.id);
    tab.panel.tabIndex = 0;
    tab.panel.classList.add('wb-tabpanel');
    panels.append(tab.panel);
  });
  let initial = 0;
  try {
    const saved = localStorage.getItem(key);
    initial = Math.max(
      0,
      tabs.findIndex((tab) => tab.id === saved),
    );
  } catch {
    // storage unavailable
  }
  select(initial, false);
  return el('div', { class: 'wb-tabs' }, list, panels);
}
