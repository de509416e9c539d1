// The resources panel: the scenario's buckets (objects with image previews) and tables (items),
// refreshed when a trace message says one of them was written, and with a Refresh button.
import { isScenarioId, SCENARIOS } from '../../../../scenarios/catalog.ts';
import type { BucketView, ResourcesView, TableView } from '../../../lib/workbench-api.ts';
import type { MountPanel } from '../context.ts';
import { el } from '../dom.ts';
import {
  cellValue,
  changesResources,
  formatBytes,
  formatTime,
  planTable,
  refreshDelay,
  resourceNames,
  roleTitle,
  shorten,
  sortObjects,
} from './view.ts';
import '../panels.css';

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A bucket's or table's physical name, shortened in the middle (the whole of it on a click). */
function physicalName(name: string): HTMLElement {
  const code = el('code');
  code.append(expandable(name, 'wb-resource__name', 40));
  return code;
}

/** Characters of a key or value shown before it is shortened (the whole of it on demand). */
const CELL_CHARS = 32;

/**
 * A long text shortened in the middle, as a button that shows the whole of it (and shortens it
 * again); a short one as it is.
 */
function expandable(text: string, className: string, max = CELL_CHARS): HTMLElement {
  if (text.length <= max) return el('span', className, text);
  const short = shorten(text, max);
  const button = el('button', `${className} wb-expand`, short);
  button.type = 'button';
  button.title = text;
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? text : short;
  });
  return button;
}

/** Mounts the resources panel. */
export const mountResources: MountPanel = (element, context) => {
  const { api, scenario } = context;
  // not-content: Starlight's prose styles (margins between siblings, table looks) stay out.
  element.classList.add('wb-resources-panel', 'not-content');
  const toolbar = el('div', 'wb-resources__toolbar');
  const refresh = el('button', 'wb-button', 'Refresh');
  refresh.type = 'button';
  const status = el('span', 'wb-resources__status');
  status.setAttribute('aria-live', 'polite');
  toolbar.append(refresh, status);
  const error = el('p', 'wb-error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const body = el('div', 'wb-resources__body');
  element.replaceChildren(toolbar, error, body);

  let names = new Set<string>();
  /** Tables whose bookkeeping the learner unfolded. */
  const openBookkeeping = new Set<string>();
  /** Preview images by URL, kept from one render to the next. */
  let previews = new Map<string, HTMLImageElement>();
  let nextPreviews = new Map<string, HTMLImageElement>();
  /** Object keys and item counts seen, to mark what is new and announce it. */
  let seen: Map<string, Set<string>> | undefined;
  let loading = false;
  let again = false;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingSince: number | undefined;
  let lastRefresh: number | undefined;

  const renderBucket = (bucket: BucketView, fresh: Set<string>): HTMLElement => {
    const section = el('section', 'wb-resource');
    section.dataset.role = bucket.role;
    section.dataset.name = bucket.name;
    const heading = el('h4', undefined, `${roleTitle(bucket.role)} `);
    heading.append(physicalName(bucket.name));
    const count = el(
      'span',
      'wb-resource__count',
      ` — ${bucket.objects.length} object${bucket.objects.length === 1 ? '' : 's'}`,
    );
    heading.append(count);
    section.append(heading);
    if (bucket.objects.length === 0) {
      section.append(el('p', 'wb-empty', 'No objects yet.'));
      return section;
    }
    const list = el('ul', 'wb-objects');
    for (const object of sortObjects(bucket.objects)) {
      const item = el('li', fresh.has(object.key) ? 'wb-object is-new' : 'wb-object');
      item.dataset.key = object.key;
      if (object.previewUrl) {
        // The time in the URL makes a rewritten object load again; an unchanged one keeps its
        // <img> across refreshes, so it does not flicker.
        const url = `${object.previewUrl}${object.previewUrl.includes('?') ? '&' : '?'}v=${encodeURIComponent(object.lastModified)}`;
        const src = api.url(url);
        let img = previews.get(src);
        if (img === undefined) {
          img = el('img', 'wb-object__preview');
          img.src = src;
          img.alt = `Preview of ${object.key} in ${roleTitle(bucket.role).toLowerCase()}`;
          img.decoding = 'async';
        }
        nextPreviews.set(src, img);
        item.append(img);
      }
      const caption = el('div', 'wb-object__caption');
      caption.append(
        expandable(object.key, 'wb-object__key'),
        el('span', 'wb-object__meta', `${formatBytes(object.size)} · ${formatTime(object.lastModified)}`),
      );
      item.append(caption);
      list.append(item);
    }
    section.append(list);
    return section;
  };

  const renderTable = (table: TableView, fresh: Set<string>): HTMLElement => {
    const section = el('section', 'wb-resource');
    section.dataset.role = table.role;
    section.dataset.name = table.name;
    const heading = el('h4', undefined, `${roleTitle(table.role)} `);
    heading.append(physicalName(table.name));
    heading.append(
      el('span', 'wb-resource__count', ` — ${table.items.length} item${table.items.length === 1 ? '' : 's'}`),
    );
    section.append(heading);
    if (table.items.length === 0) {
      section.append(el('p', 'wb-empty', 'No items yet.'));
      return section;
    }
    const plan = planTable(table, presentation(table.role));
    if (plan.items.length > 0) section.append(itemsTable(table, plan.items, plan.columns, fresh, 'Items of'));
    else section.append(el('p', 'wb-empty', 'Only bookkeeping so far (below).'));
    if (plan.bookkeeping.length > 0) {
      // Bookkeeping (the idempotency marks of a stream handler) folded under its count.
      const details = el('details', 'wb-bookkeeping');
      // Open stays open across refreshes.
      details.open = openBookkeeping.has(table.name);
      details.addEventListener('toggle', () => {
        if (details.open) openBookkeeping.add(table.name);
        else openBookkeeping.delete(table.name);
      });
      details.append(
        el('summary', undefined, plan.bookkeepingSummary ?? `${plan.bookkeeping.length} more items`),
        itemsTable(table, plan.bookkeeping, plan.bookkeepingColumns, fresh, 'Bookkeeping items of'),
      );
      section.append(details);
    }
    return section;
  };

  const presentation = (role: string) =>
    isScenarioId(scenario.id) ? SCENARIOS[scenario.id].tables?.[role] : undefined;

  const itemsTable = (
    table: TableView,
    items: readonly Record<string, unknown>[],
    columns: readonly string[],
    fresh: Set<string>,
    what: string,
  ): HTMLElement => {
    const scroller = el('div', 'wb-table-scroll');
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', `${what} ${roleTitle(table.role).toLowerCase()}`);
    const grid = el('table', 'wb-items');
    const caption = el('caption', 'wb-visually-hidden', `${what} ${table.name}`);
    const head = el('thead');
    const headRow = el('tr');
    for (const column of columns) {
      const th = el('th', undefined, column);
      th.scope = 'col';
      headRow.append(th);
    }
    head.append(headRow);
    const rows = el('tbody');
    for (const item of items) {
      const signature = JSON.stringify(item);
      const row = el('tr', fresh.has(signature) ? 'is-new' : undefined);
      for (const column of columns) {
        const value = item[column];
        const cell = el('td', typeof value === 'number' ? 'is-number' : value === undefined ? 'is-empty' : undefined);
        // The column's name, shown beside the value where the panel is too narrow for columns.
        cell.dataset.label = column;
        cell.append(expandable(cellValue(value), 'wb-cell'));
        row.append(cell);
      }
      rows.append(row);
    }
    grid.append(caption, head, rows);
    scroller.append(grid);
    return scroller;
  };

  const render = (view: ResourcesView) => {
    const previous = seen;
    seen = new Map();
    nextPreviews = new Map();
    const announcements: string[] = [];
    const sections: HTMLElement[] = [];
    for (const bucket of view.buckets) {
      const keys = new Set(bucket.objects.map((object) => object.key));
      const before = previous?.get(bucket.name);
      const fresh = new Set(before ? [...keys].filter((key) => !before.has(key)) : []);
      for (const key of fresh) announcements.push(`${roleTitle(bucket.role)}: new object ${key}`);
      seen.set(bucket.name, keys);
      sections.push(renderBucket(bucket, fresh));
    }
    for (const table of view.tables) {
      const signatures = new Set(table.items.map((item) => JSON.stringify(item)));
      const before = previous?.get(table.name);
      const fresh = new Set(before ? [...signatures].filter((signature) => !before.has(signature)) : []);
      if (fresh.size > 0) announcements.push(`${roleTitle(table.role)}: ${fresh.size} item(s) changed`);
      seen.set(table.name, signatures);
      sections.push(renderTable(table, fresh));
    }
    if (sections.length === 0) sections.push(el('p', 'wb-empty', 'This scenario has no buckets or tables to show.'));
    body.replaceChildren(...sections);
    previews = nextPreviews;
    for (const text of announcements.slice(0, 3)) context.announce(text);
  };

  const load = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    element.setAttribute('aria-busy', 'true');
    status.textContent = 'Loading…';
    try {
      const view = await api.get<ResourcesView>(`/scenarios/${encodeURIComponent(scenario.id)}/resources`);
      if (disposed) return;
      names = resourceNames(view);
      error.hidden = true;
      render(view);
      status.textContent = `Updated ${formatTime(new Date().toISOString())}`;
      element.dataset.loaded = String(Date.now());
    } catch (failure) {
      if (disposed) return;
      error.textContent = `Could not load the resources: ${errorMessage(failure)}`;
      error.hidden = false;
      status.textContent = '';
    } finally {
      loading = false;
      element.removeAttribute('aria-busy');
      if (again && !disposed) {
        again = false;
        void load();
      }
    }
  };

  const schedule = () => {
    const now = Date.now();
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const delay = refreshDelay(now, { lastRefresh, pendingSince });
    const run = () => {
      timer = undefined;
      pendingSince = undefined;
      lastRefresh = Date.now();
      void load();
    };
    if (delay === 0) run();
    else {
      pendingSince ??= now;
      timer = setTimeout(run, delay);
    }
  };

  refresh.addEventListener('click', () => void load());
  const unsubscribe = context.onTrace((message) => {
    if (changesResources(message, names)) schedule();
  });
  if (!scenario.deployed) {
    error.textContent = `The ${scenario.stack} stack is not deployed yet, so it has no buckets or tables to show. Run npm start (it deploys the stacks), then Refresh.`;
    error.hidden = false;
  }
  void load();

  return () => {
    disposed = true;
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
    element.replaceChildren();
    element.classList.remove('wb-resources-panel', 'not-content');
  };
};
