import { randomBytes } from 'node:crypto';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { DynaliteEngine, type Item, type KeySchemaElement } from './engine.ts';

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
  'KEYS_ONLY',
];

export type AttributeMap = Record<string, AttributeValue>;

/**
 * One DynamoDB Streams record as GetRecords returns it (no `eventSourceARN`: the Lambda event source mapping
 * adds it when it builds the `DynamoDBStreamEvent`). Assignable to `DynamoDBRecord` from `@types/aws-lambda`.
 */
export interface DynamoDBStreamRecord extends DynamoDBRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly dynamodb: {
    /** Epoch seconds, rounded down (on the wire a number; SDKs parse it as a date). */
    readonly ApproximateCreationDateTime: number;
    readonly Keys: AttributeMap;
    readonly NewImage?: AttributeMap;
    readonly OldImage?: AttributeMap;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: StreamViewType;
  };
}

export interface ItemChange {
  readonly keySchema: readonly KeySchemaElement[];
  readonly oldItem: Item | undefined;
  readonly newItem: Item | undefined;
  readonly viewType: StreamViewType;
  readonly region: string;
  readonly sequenceNumber: string;
  /** Epoch milliseconds. */
  readonly now: number;
}

/**
 * Builds the stream record for one item change, shaped as recorded against AWS
 * (test/recordings/aws/dynamodbstreams-*.json). SizeBytes is the size of Keys plus the images the view type
 * includes — that reproduces the recorded 12/13/16/26/46/80 bytes.
 */
export function buildStreamRecord(change: ItemChange): DynamoDBStreamRecord {
  const { oldItem, newItem, viewType } = change;
  const eventName = oldItem === undefined ? 'INSERT' : newItem === undefined ? 'REMOVE' : 'MODIFY';
  const keys = keysOf((newItem ?? oldItem)!, change.keySchema);
  const withNew = newItem !== undefined && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES');
  const withOld = oldItem !== undefined && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES');
  let size = DynaliteEngine.attributesSize(keys);
  if (withNew) size += DynaliteEngine.attributesSize(newItem);
  if (withOld) size += DynaliteEngine.attributesSize(oldItem);
  return {
    awsRegion: change.region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(change.now / 1000),
      Keys: keys as AttributeMap,
      ...(withNew ? { NewImage: newItem as AttributeMap } : {}),
      ...(withOld ? { OldImage: oldItem as AttributeMap } : {}),
      SequenceNumber: change.sequenceNumber,
      SizeBytes: size,
      StreamViewType: viewType,
    },
    eventID: randomBytes(16).toString('hex'),
    eventName,
    eventSource: 'aws:dynamodb',
    eventVersion: '1.1',
  };
}

/** The key attributes of an item, hash key first. */
export function keysOf(item: Item, keySchema: readonly KeySchemaElement[]): Item {
  const keys: Item = {};
  for (const { AttributeName } of [...keySchema].sort((a) => (a.KeyType === 'HASH' ? -1 : 1))) {
    const value = item[AttributeName];
    if (value !== undefined) keys[AttributeName] = value;
  }
  return keys;
}

/** Whether two items hold the same data (sets compare unordered; dynalite already normalizes numbers). */
export function itemsEqual(a: Item, b: Item): boolean {
  return valuesEqual({ M: a }, { M: b });
}

function valuesEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const [typeA] = Object.keys(a);
  const [typeB] = Object.keys(b);
  if (typeA === undefined || typeA !== typeB) return false;
  const x = a[typeA];
  const y = b[typeB];
  switch (typeA) {
    case 'SS':
    case 'NS':
    case 'BS': {
      const left = [...(x as string[])].sort();
      const right = [...(y as string[])].sort();
      return left.length === right.length && left.every((value, i) => value === right[i]);
    }
    case 'L': {
      const left = x as Record<string, unknown>[];
      const right = y as Record<string, unknown>[];
      return left.length === right.length && left.every((value, i) => valuesEqual(value, right[i]!));
    }
    case 'M': {
      const left = x as Record<string, Record<string, unknown>>;
      const right = y as Record<string, Record<string, unknown>>;
      const names = Object.keys(left);
      return (
        names.length === Object.keys(right).length &&
        names.every((name) => right[name] !== undefined && valuesEqual(left[name]!, right[name]!))
      );
    }
    default:
      return x === y;
  }
}
