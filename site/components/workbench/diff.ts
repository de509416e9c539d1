// A line diff (longest common subsequence) and its rendering: how the reference solution differs
// from the learner's code, shown beside it, never written over it.

/** One line of a diff: kept, only in the learner's code (removed), or only in the solution (added). */
export interface DiffLine {
  readonly kind: 'same' | 'removed' | 'added';
  readonly text: string;
  /** 1-based line number in the learner's code (same, removed). */
  readonly oldLine?: number;
  /** 1-based line number in the solution (same, added). */
  readonly newLine?: number;
}

/** Above this many line pairs the LCS table is too big: the diff falls back to "all removed, all added". */
const MAX_CELLS = 4_000_000;

/** Lines without their terminators; an empty text has none. */
const splitLines = (text: string): string[] => {
  const normalized = text.replace(/\r\n/g, '\n').replace(/\n$/, '');
  return normalized === '' && text.length <= 1 ? [] : normalized.split('\n');
};

/** The lines that turn `before` into `after`, in order. Trailing whitespace differences count. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail first: edits are usually local, so the table stays small.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail += 1;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i += 1) out.push({ kind: 'same', text: a[i] ?? '', oldLine: i + 1, newLine: i + 1 });

  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (const [i, text] of midA.entries()) out.push({ kind: 'removed', text, oldLine: head + i + 1 });
    for (const [j, text] of midB.entries()) out.push({ kind: 'added', text, newLine: head + j + 1 });
  } else {
    // lcs[i][j]: length of the LCS of midA[i..] and midB[j..], in one flat array.
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i -= 1) {
      for (let j = m - 1; j >= 0; j -= 1) {
        lcs[i * width + j] =
          midA[i] === midB[j]
            ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
            : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ kind: 'same', text: midA[i] ?? '', oldLine: head + i + 1, newLine: head + j + 1 });
        i += 1;
        j += 1;
      } else if (j < m && (i === n || (lcs[i * width + j + 1] ?? 0) >= (lcs[(i + 1) * width + j] ?? 0))) {
        out.push({ kind: 'added', text: midB[j] ?? '', newLine: head + j + 1 });
        j += 1;
      } else {
        out.push({ kind: 'removed', text: midA[i] ?? '', oldLine: head + i + 1 });
        i += 1;
      }
    }
  }
  for (let k = 0; k < tail; k += 1) {
    out.push({
      kind: 'same',
      text: a[a.length - tail + k] ?? '',
      oldLine: a.length - tail + k + 1,
      newLine: b.length - tail + k + 1,
    });
  }
  return out;
}

/** Unchanged lines kept around each change; longer unchanged runs fold into one "… N lines" row. */
const CONTEXT = 3;

/**
 * Renders a diff as a table: old and new line numbers, a +/− marker (also spelled out for screen
 * readers), the text. Long unchanged stretches are folded.
 */
export function renderDiff(
  lines: readonly DiffLine[],
  caption: string,
  labels: readonly [before: string, after: string] = ['Yours', 'Solution'],
): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'wb-diff';
  // It scrolls sideways on narrow screens: keyboard users need to reach it.
  table.tabIndex = 0;
  const cap = table.createCaption();
  const added = lines.filter((line) => line.kind === 'added').length;
  const removed = lines.filter((line) => line.kind === 'removed').length;
  cap.textContent =
    added + removed === 0 ? `${caption}: identical.` : `${caption}: ${added} lines added, ${removed} lines removed.`;
  const head = table.createTHead().insertRow();
  // The line-number and marker columns stay narrow (the marker's header is for screen readers only),
  // so the code keeps most of a narrow pane.
  for (const [label, className] of [
    [labels[0], 'wb-diff-num'],
    [labels[1], 'wb-diff-num'],
    ['Change', 'wb-diff-marker'],
    ['Code', ''],
  ] as const) {
    const th = document.createElement('th');
    th.scope = 'col';
    if (className) th.className = className;
    if (label === 'Change')
      th.append(Object.assign(document.createElement('span'), { className: 'sr-only', textContent: label }));
    else th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const near = lines.map((_, index) =>
    lines.slice(Math.max(0, index - CONTEXT), index + CONTEXT + 1).some((line) => line.kind !== 'same'),
  );
  let folded = 0;
  const flushFold = () => {
    if (folded === 0) return;
    const row = body.insertRow();
    row.className = 'wb-diff-fold';
    const cell = row.insertCell();
    cell.colSpan = 4;
    cell.textContent = `… ${folded} unchanged line${folded === 1 ? '' : 's'}`;
    folded = 0;
  };
  lines.forEach((line, index) => {
    if (line.kind === 'same' && !near[index]) {
      folded += 1;
      return;
    }
    flushFold();
    const row = body.insertRow();
    row.className = `wb-diff-${line.kind}`;
    row.insertCell().textContent = line.oldLine === undefined ? '' : String(line.oldLine);
    row.insertCell().textContent = line.newLine === undefined ? '' : String(line.newLine);
    const marker = row.insertCell();
    marker.className = 'wb-diff-marker';
    if (line.kind !== 'same') {
      const sign = document.createElement('span');
      sign.setAttribute('aria-hidden', 'true');
      sign.textContent = line.kind === 'added' ? '+' : '−';
      const words = document.createElement('span');
      words.className = 'sr-only';
      words.textContent = line.kind === 'added' ? 'added' : 'removed';
      marker.append(sign, words);
    }
    const code = row.insertCell();
    code.className = 'wb-diff-code';
    code.textContent = line.text === '' ? ' ' : line.text;
  });
  flushFold();
  return table;
}
