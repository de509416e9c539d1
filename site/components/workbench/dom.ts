// A tiny DOM builder for the workbench (no UI framework: page weight matters).

type Child = Node | string | number | false | null | undefined;

/**
 * `el('button', { type: 'button', class: 'x' }, 'Run')`: attributes as strings, children as nodes
 * or text; `el('p', 'wb-hint', 'text')`: a class name alone in place of the attributes.
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string | undefined>> | string | undefined = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (typeof attributes === 'string') {
    if (attributes) element.className = attributes;
  } else {
    for (const [name, value] of Object.entries(attributes ?? {})) {
      if (value !== undefined) element.setAttribute(name, value);
    }
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/**
 * Resolves once the browser has drawn the next frame (its animation callbacks, style, layout and
 * paint), or after `fallbackMs` in a tab that draws none (hidden).
 */
export const afterNextFrame = (fallbackMs = 200): Promise<void> =>
  new Promise((resolve) => {
    const fallback = setTimeout(resolve, fallbackMs);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });

/** `1234.5` → `1,234.5 ms`; durations the way the console shows them. */
export const formatMs = (value: number): string =>
  `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 1 })} ms`;

/** A USD amount small enough to need significant digits (an invocation costs fractions of a cent). */
export const formatUsd = (value: number): string =>
  `$${value.toLocaleString('en-US', { maximumSignificantDigits: 3, minimumSignificantDigits: 2 })}`;

/** JSON for display: pretty, or the text itself. */
export const showJson = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
