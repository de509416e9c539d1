// The search dialog's results: Pagefind's JavaScript API (the index `astro build` writes to
// `<base>pagefind/`), imported on the first intent to search, never with the page. Results render
// as plain links built with the DOM; an excerpt keeps only Pagefind's `<mark>` highlights.

/** The part of a Pagefind result's data the dialog shows. */
export interface PagefindFragment {
  readonly url: string;
  readonly excerpt: string;
  readonly meta: Readonly<Record<string, string | undefined>>;
  readonly sub_results?: readonly { readonly title: string; readonly url: string; readonly excerpt: string }[];
}

/** The part of `pagefind.js` the dialog uses (see Pagefind's "search API" documentation). */
interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  debouncedSearch(
    term: string,
    options?: Record<string, unknown>,
    debounceMs?: number,
  ): Promise<{ readonly results: readonly { data(): Promise<PagefindFragment> }[] } | null>;
}

const MAX_RESULTS = 8;
const MAX_SUB_RESULTS = 3;
const DEBOUNCE_MS = 200;

/** Excerpt HTML from Pagefind → nodes: text stays text, `<mark>` stays `<mark>`, any other markup is dropped. */
export function excerptNodes(html: string): Node[] {
  // DOMParser's document is inert: no script runs and nothing it names is fetched.
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html').body;
  const nodes: Node[] = [];
  const walk = (parent: Node): void => {
    for (const child of parent.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) nodes.push(document.createTextNode(child.textContent ?? ''));
      else if (child.nodeName === 'MARK') {
        const mark = document.createElement('mark');
        mark.textContent = child.textContent;
        nodes.push(mark);
      } else if (child.nodeType === Node.ELEMENT_NODE && !/^(SCRIPT|STYLE|TEMPLATE)$/.test(child.nodeName)) walk(child);
    }
  };
  walk(parsed);
  return nodes;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** One result link: a title and its highlighted excerpt. */
function resultLink(url: string, title: string, excerpt: string): HTMLAnchorElement {
  const link = element(
    'a',
    '',
    element('span', 'ss-title', title),
    element('span', 'ss-excerpt', ...excerptNodes(excerpt)),
  );
  link.href = url;
  return link;
}

/** A page's entry: its link, then the matching sections under their headings. */
export function resultItem(fragment: PagefindFragment): HTMLLIElement {
  const title = fragment.meta.title || fragment.url;
  const item = element('li', 'ss-result', resultLink(fragment.url, title, fragment.excerpt));
  // The section before the first heading has the page's own URL: the page link already stands for it.
  const sections = (fragment.sub_results ?? []).filter((sub) => sub.url !== fragment.url).slice(0, MAX_SUB_RESULTS);
  if (sections.length > 0) {
    const list = element('ul', 'ss-sections');
    for (const sub of sections) list.append(element('li', '', resultLink(sub.url, sub.title, sub.excerpt)));
    item.append(list);
  }
  return item;
}

const quoted = (query: string) => `“${query}”`;

/**
 * Wires the dialog inside `root` (see Search.astro) to Pagefind: loads the index now, searches
 * as the learner types, and moves through the results with the arrow keys.
 */
export function attachSearch(root: HTMLElement): void {
  const dialog = root.querySelector('dialog');
  const input = root.querySelector<HTMLInputElement>('[data-search-input]');
  const status = root.querySelector<HTMLElement>('[data-search-status]');
  const list = root.querySelector<HTMLElement>('[data-search-results]');
  if (!dialog || !input || !status || !list) return;
  const say = (message: string) => {
    status.textContent = message;
  };

  if (root.dataset.dev !== undefined) {
    input.disabled = true;
    say(
      'Search needs the built site: the development server (npm run dev) has no search index. Run npm start, which builds the site with its index.',
    );
    return;
  }

  const base = root.dataset.base ?? '/';
  let failed = false;
  const pagefind: Promise<Pagefind> = (async () => {
    const module = (await import(/* @vite-ignore */ `${base}pagefind/pagefind.js`)) as Pagefind;
    await module.options({ baseUrl: base, basePath: `${base}pagefind/`, excerptLength: 20 });
    await module.init();
    return module;
  })();
  pagefind.catch((error: unknown) => {
    failed = true;
    input.disabled = true;
    list.replaceChildren();
    const reason = error instanceof Error ? error.message : String(error);
    say(`The search index could not be loaded (${reason}). Reload the page to try again.`);
  });

  let latest = 0;
  const run = async () => {
    const query = input.value.trim();
    const turn = ++latest;
    if (!query) {
      list.replaceChildren();
      say('');
      return;
    }
    if (failed) return;
    root.setAttribute('aria-busy', 'true');
    try {
      const api = await pagefind;
      const search = await api.debouncedSearch(query, {}, DEBOUNCE_MS);
      if (!search || turn !== latest) return;
      const shown = await Promise.all(search.results.slice(0, MAX_RESULTS).map((result) => result.data()));
      if (turn !== latest) return;
      list.replaceChildren(...shown.map(resultItem));
      const total = search.results.length;
      if (total === 0) say(`No results for ${quoted(query)}.`);
      else if (total > shown.length) say(`${total} pages match ${quoted(query)}; the best ${shown.length} are shown.`);
      else say(`${total} ${total === 1 ? 'page matches' : 'pages match'} ${quoted(query)}.`);
    } catch (error) {
      if (turn === latest && !failed) say(`Search failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (turn === latest) root.removeAttribute('aria-busy');
    }
  };
  input.addEventListener('input', () => void run());
  // Typed before this module arrived: search for it now.
  if (input.value.trim()) void run();

  dialog.addEventListener('keydown', (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const links = [...list.querySelectorAll('a')];
    const stops: HTMLElement[] = [input, ...links];
    const at = stops.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (at < 0 || links.length === 0) return;
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? Math.min(at + 1, stops.length - 1) : Math.max(at - 1, 0);
      stops[next]?.focus();
    } else if (event.key === 'Enter' && event.target === input && links[0]) {
      event.preventDefault();
      links[0].click();
    } else if (at > 0 && event.key.length === 1 && event.key !== ' ') {
      // Typing on a result goes on in the search box.
      input.focus();
    }
  });
}
