// Just enough Markdown for an exercise statement — headings, paragraphs, lists, fenced code,
// inline code, bold, italics, links — built as DOM nodes (never innerHTML: no markup gets in).
import { el } from './dom.ts';

function inline(text: string): Node[] {
  const nodes: Node[] = [];
  // `code`, **bold**, *italic* / _italic_, [text](url)
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\b_([^_]+)_\b|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    if (match[1] !== undefined) nodes.push(el('code', {}, match[1]));
    else if (match[2] !== undefined) nodes.push(el('strong', {}, ...inline(match[2])));
    else if (match[3] !== undefined) nodes.push(el('em', {}, ...inline(match[3])));
    else if (match[4] !== undefined) nodes.push(el('em', {}, ...inline(match[4])));
    else if (match[5] !== undefined && match[6] !== undefined) {
      const safe = /^(https?:|\/|#)/.test(match[6]) ? match[6] : '#';
      nodes.push(el('a', { href: safe }, ...inline(match[5])));
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

/**
 * Renders Markdown into a fragment. `headingLevel` is the level a `#` heading becomes (statements
 * sit below the workbench's own headings), capped at 6.
 */
export function renderMarkdown(markdown: string, headingLevel = 5): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: { ordered: boolean; element: HTMLElement; item?: HTMLElement; text: string[] } | undefined;
  const flushParagraph = () => {
    if (paragraph.length > 0) fragment.append(el('p', {}, ...inline(paragraph.join(' '))));
    paragraph = [];
  };
  const flushItem = () => {
    if (list?.item) list.item.append(...inline(list.text.join(' ')));
    if (list) list.text = [];
  };
  const flushList = () => {
    flushItem();
    if (list) fragment.append(list.element);
    list = undefined;
  };
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) {
        code.push(lines[i] ?? '');
        i += 1;
      }
      fragment.append(el('pre', { class: 'wb-md-code', tabindex: '0' }, el('code', {}, code.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flushParagraph();
      flushList();
      const level = Math.min(6, headingLevel + (heading[1]?.length ?? 1) - 2);
      fragment.append(el(`h${Math.max(headingLevel, level)}` as 'h5', {}, ...inline(heading[2] ?? '')));
      continue;
    }
    const item = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      const ordered = /\d/.test(item[1] ?? '');
      if (!list || list.ordered !== ordered) {
        flushList();
        list = { ordered, element: el(ordered ? 'ol' : 'ul'), text: [] };
      }
      flushItem();
      list.item = el('li');
      list.element.append(list.item);
      list.text.push(item[2] ?? '');
      continue;
    }
    if (line.trim() === '') {
      flushParagraph();
      flushList();
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list.text.push(line.trim());
      continue;
    }
    flushList();
    paragraph.push(line.trim());
  }
  flushParagraph();
  flushList();
  return fragment;
}
