// Plain JSON ⇄ DynamoDB's typed AttributeValues, for the workbench's item forms and table views
// (the project has no @aws-sdk/util-dynamodb; this covers what JSON can express).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A JSON value as an AttributeValue: string S, number N, boolean BOOL, null NULL, array L, object M. */
export function toAttributeValue(value: unknown, path = 'item'): AttributeValue {
  if (value === null) return { NULL: true };
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path} is not a finite number.`);
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      if (Array.isArray(value)) return { L: value.map((entry, index) => toAttributeValue(entry, `${path}[${index}]`)) };
      return { M: toItem(value as Record<string, unknown>, path) };
    default:
      throw new TypeError(`${path} is a ${typeof value}, which DynamoDB cannot store.`);
  }
}

/** A JSON object as a DynamoDB item. */
export function toItem(value: Readonly<Record<string, unknown>>, path = 'item'): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    item[name] = toAttributeValue(entry, `${path}.${name}`);
  }
  return item;
}

/** An AttributeValue as plain JSON: numbers as numbers when exact, sets as arrays, binary as base64. */
export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return toNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.M !== undefined) return fromItem(value.M);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(toNumber);
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.BS !== undefined) return value.BS.map((bytes) => Buffer.from(bytes).toString('base64'));
  return null;
}

/** A number kept as a string when a JS number would change it (DynamoDB has 38 digits). */
function toNumber(text: string): number | string {
  const number = Number(text);
  return Number.isFinite(number) && (Number.isSafeInteger(number) || !/^-?\d+$/.test(text)) ? number : text;
}

/** A DynamoDB item as plain JSON. */
export function fromItem(item: Readonly<Record<string, AttributeValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = fromAttributeValue(value);
  return out;
}
