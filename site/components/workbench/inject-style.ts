// Adds a stylesheet's text to the page when the module that imports it runs (see vite-lazy-css.ts).

/** Appends `css` as a `<style>` element in the document's head. */
export function injectStyle(css: string, source: string): void {
  const style = document.createElement('style');
  style.dataset.lazyCss = source;
  style.textContent = css;
  document.head.append(style);
}
