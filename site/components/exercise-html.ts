// Fitting an exercise statement's rendered HTML into a lesson page (ExerciseList.astro).

/**
 * Moves every heading of `html` down by `by` levels (`<h2>` → `<h4>` for 2; capped at `<h6>`) and
 * prefixes heading ids and the links to them with `idPrefix`, so that several statements on one
 * page keep a sound outline and unique ids. The HTML is the build's own Markdown rendering.
 */
export function shiftHeadings(html: string, by: number, idPrefix: string): string {
  const level = (n: string) => Math.min(6, Number(n) + by);
  return (
    html
      .replace(/<(\/?)h([1-6])\b/g, (_, slash: string, n: string) => `<${slash}h${level(n)}`)
      // Starlight wraps headings for anchor links with a class naming the level.
      .replace(/\blevel-h([1-6])\b/g, (_, n: string) => `level-h${level(n)}`)
      .replace(/(<h[1-6][^>]*\bid=")([^"]+)"/g, (_, start: string, id: string) => `${start}${idPrefix}${id}"`)
      .replace(/(<a[^>]*\bhref="#)([^"]+)"/g, (_, start: string, id: string) => `${start}${idPrefix}${id}"`)
  );
}
