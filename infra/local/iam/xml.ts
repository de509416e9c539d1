import type { ServiceResponse } from '../edge/types.ts';

export const escapeXml = (value: string): string =>
  value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

/** A value of a query-protocol response: scalars, nested structures, or lists (rendered as `<member>`). */
export type XmlValue = string | number | boolean | Date | undefined | XmlStructure | readonly XmlValue[];
export interface XmlStructure {
  readonly [name: string]: XmlValue;
}

function render(value: XmlValue, indent: string): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    return `\n${(value as readonly XmlValue[])
      .map((item) => `${indent}<member>${render(item, `${indent}  `)}</member>\n`)
      .join('')}${indent.slice(2)}`;
  }
  if (typeof value === 'object') {
    const fields = Object.entries(value as XmlStructure).filter(([, v]) => v !== undefined);
    if (fields.length === 0) return '';
    return `\n${fields.map(([name, v]) => `${indent}<${name}>${render(v, `${indent}  `)}</${name}>\n`).join('')}${indent.slice(2)}`;
  }
  return escapeXml(String(value));
}

/**
 * A query-protocol answer: `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Action}Response>`.
 * Actions without output (DeleteRole …) have no Result element.
 */
export function queryResponse(
  action: string,
  namespace: string,
  requestId: string,
  result?: XmlStructure,
): ServiceResponse {
  const body =
    `<${action}Response xmlns="${namespace}">\n` +
    (result === undefined ? '' : `  <${action}Result>${render(result, '    ')}</${action}Result>\n`) +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n` +
    `</${action}Response>\n`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
