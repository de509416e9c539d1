import { checksumHeaders, xmlDate } from './context.ts';
import { encodeEventKey } from './event.ts';
import { compareKeys, type ObjectRecord } from './store.ts';
import type { XmlNode } from './xml.ts';

export interface ListingPage {
  readonly contents: readonly ObjectRecord[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  /** Last key or common prefix returned: where the next page starts. */
  readonly last?: string;
}

/**
 * One page of a bucket listing: keys after `after` under `prefix`, keys sharing the part up to the
 * next `delimiter` rolled up into one common prefix, at most `maxKeys` entries (keys + prefixes).
 */
export function listPage(
  objects: readonly ObjectRecord[],
  {
    prefix = '',
    delimiter = '',
    maxKeys = 1000,
    after = '',
  }: { prefix?: string; delimiter?: string; maxKeys?: number; after?: string },
): ListingPage {
  const contents: ObjectRecord[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  for (const object of objects) {
    if (!object.key.startsWith(prefix)) continue;
    if (after !== '' && compareKeys(object.key, after) <= 0) continue;
    let rolledUp: string | undefined;
    if (delimiter !== '') {
      const at = object.key.indexOf(delimiter, prefix.length);
      if (at !== -1) rolledUp = object.key.slice(0, at + delimiter.length);
    }
    if (rolledUp !== undefined && (rolledUp === last || (after !== '' && compareKeys(rolledUp, after) <= 0))) continue;
    if (contents.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (rolledUp !== undefined) {
      commonPrefixes.push(rolledUp);
      last = rolledUp;
    } else {
      contents.push(object);
      last = object.key;
    }
  }
  return { contents, commonPrefixes, isTruncated, last };
}

/** `encoding-type=url`: S3 encodes keys and prefixes form-style (SDKs decode with unquote_plus). */
export function encoder(encodingType: string | null): (value: string) => string {
  return encodingType === 'url' ? encodeEventKey : (value) => value;
}

export function contentsXml(object: ObjectRecord, encode: (value: string) => string): XmlNode {
  const checksum = object.checksum;
  return {
    Key: encode(object.key),
    LastModified: xmlDate(object.lastModified),
    ETag: `"${object.etag}"`,
    ChecksumAlgorithm: checksum?.algorithm.toUpperCase(),
    ChecksumType: checksum ? checksumHeaders(checksum)['x-amz-checksum-type'] : undefined,
    Size: object.size,
    StorageClass: 'STANDARD',
  };
}
