/**
 * The small XML subset S3 request and response bodies use: elements, attributes (ignored),
 * text, CDATA, comments and the five predefined entities plus character references.
 * DOCTYPE is refused, so no entity expansion can happen.
 */

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface XmlElement {
  /** Local name, without any namespace prefix. */
  readonly name: string;
  readonly children: XmlElement[];
  /** Concatenated, entity-decoded text directly inside this element. */
  text: string;
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&([^;&\s]{1,10});/g, (_, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isInteger(code) || code < 0 || code > 0x10ffff)
        throw new XmlSyntaxError(`Bad character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[ref];
    if (value === undefined) throw new XmlSyntaxError(`Unknown entity &${ref};`);
    return value;
  });
}

const NAME = /^[A-Za-z_][\w.:-]*/;

/** Parses a document and returns its root element; throws XmlSyntaxError when it is not well-formed. */
export function parseXml(input: string | Buffer): XmlElement {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const fail = (message: string): never => {
    throw new XmlSyntaxError(`${message} at offset ${pos}`);
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const chunk = text.slice(pos, lt === -1 ? text.length : lt);
    if (chunk.length > 0) {
      const top = stack.at(-1);
      if (top) top.text += decodeEntities(chunk);
      else if (chunk.trim() !== '') fail('Text outside the root element');
    }
    if (lt === -1) break;
    pos = lt;
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos);
      if (end === -1) fail('Unterminated processing instruction');
      pos = end + 2;
    } else if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos);
      if (end === -1) fail('Unterminated comment');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', pos)) {
      const end = text.indexOf(']]>', pos);
      const top = stack.at(-1);
      if (end === -1 || !top) fail('Misplaced or unterminated CDATA');
      top!.text += text.slice(pos + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<!', pos)) {
      fail('DOCTYPE and declarations are not allowed');
    } else if (text.startsWith('</', pos)) {
      const end = text.indexOf('>', pos);
      if (end === -1) fail('Unterminated end tag');
      const name = text.slice(pos + 2, end).trim();
      const open = stack.pop();
      if (!open || localName(name) !== open.name) fail(`Mismatched end tag </${name}>`);
      pos = end + 1;
    } else {
      const match = NAME.exec(text.slice(pos + 1, pos + 256));
      if (!match) fail('Bad element name');
      const name = match![0];
      pos += 1 + name.length;
      // Attributes: skipped, but quoted values may contain '>'.
      let selfClosing = false;
      for (;;) {
        const c = text[pos];
        if (c === undefined) fail('Unterminated start tag');
        if (c === '"' || c === "'") {
          const close = text.indexOf(c, pos + 1);
          if (close === -1) fail('Unterminated attribute value');
          pos = close + 1;
        } else if (c === '/' && text[pos + 1] === '>') {
          selfClosing = true;
          pos += 2;
          break;
        } else if (c === '>') {
          pos += 1;
          break;
        } else if (c === '<') {
          fail('Unexpected < in start tag');
        } else {
          pos += 1;
        }
      }
      const element: XmlElement = { name: localName(name), children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) fail('More than one root element');
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length > 0) fail(`Unclosed element <${stack.at(-1)!.name}>`);
  if (!root) fail('No root element');
  return root!;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** First child element with that name. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** All child elements with that name. */
export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** Trimmed text of the first child with that name. */
export function childText(element: XmlElement, name: string): string | undefined {
  return child(element, name)?.text.trim();
}

export function escapeXml(value: string): string {
  return value.replace(
    /[<>&'"\r]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' })[c] ?? c,
  );
}

/** A value for `toXml`: text, a nested element map, or an array for repeated elements. */
export type XmlValue = string | number | boolean | undefined | XmlNode | readonly XmlValue[];
export interface XmlNode {
  readonly [name: string]: XmlValue;
}

function render(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => render(name, item)).join('');
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as XmlNode)
      .map(([k, v]) => render(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Renders an S3 response document: declaration, root element with S3's namespace. */
export function toXml(rootName: string, content: XmlNode | string): string {
  const inner =
    typeof content === 'string'
      ? escapeXml(content)
      : Object.entries(content)
          .map(([k, v]) => render(k, v))
          .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rootName} xmlns="${S3_XMLNS}">${inner}</${rootName}>`;
}
