import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { ACCOUNT_ID } from '../edge/types.ts';
import { DynamoDBError } from './errors.ts';

/**
 * In-process bridge to dynalite (the table engine): its validations and actions are called directly, without
 * its HTTP listener, so a request costs no extra loopback hop. Item writes are observed underneath dynalite's
 * per-item lock, which is what lets DynamoDB Streams see consistent old and new images in order.
 */

const require = createRequire(import.meta.url);

/** A DynamoDB item in the wire format (`{ "id": { "S": "1" } }`). */
export type Item = Record<string, Record<string, unknown>>;

export interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/** A table as dynalite stores it: the TableDescription, plus the stream fields this service adds. */
export interface TableRecord {
  TableName: string;
  TableStatus: string;
  KeySchema: KeySchemaElement[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  LatestStreamArn?: string;
  LatestStreamLabel?: string;
  [field: string]: unknown;
}

type Callback<T> = (error: DynaliteError | null | undefined, value?: T) => void;

interface DynaliteError extends Error {
  statusCode?: number;
  body?: Record<string, unknown>;
}

interface SubDb {
  get(key: string, cb: Callback<unknown>): void;
  put(key: string, value: unknown, cb: Callback<void>): void;
  del(key: string, cb: Callback<void>): void;
  lock(key: string, fn: (release: <F extends (...args: never[]) => void>(cb: F) => F) => void): void;
  createValueStream(options?: object): Readable;
}

interface ItemDb extends SubDb {
  [HOOKED]?: true;
}

interface DynaliteStore {
  readonly options: Record<string, unknown>;
  readonly tableDb: SubDb & { awsRegion: string; awsAccountId: string };
  getItemDb(name: string): ItemDb;
  getTable(name: string, checkStatus: boolean, cb: Callback<TableRecord>): void;
  readonly lifecycleManager: { gracefulClose(cb: (error?: Error | null) => void): void };
}

interface ActionValidation {
  readonly types: Record<string, unknown>;
  readonly custom?: (data: Record<string, unknown>, store: DynaliteStore) => string | undefined;
}

type DynaliteAction = (
  store: DynaliteStore,
  data: Record<string, unknown>,
  cb: Callback<Record<string, unknown>>,
) => void;

interface DynaliteDb {
  create(options: Record<string, unknown>): DynaliteStore;
  createKey(item: Item, table: TableRecord): string;
  itemSize(item: Item): number;
}
interface DynaliteValidations {
  checkTypes(data: Record<string, unknown>, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(
    data: Record<string, unknown>,
    types: Record<string, unknown>,
    custom: ActionValidation['custom'],
    store: DynaliteStore,
  ): void;
}

// dynalite and its LevelDB stack cost ~20 MiB of memory: loaded when a table is first used (or
// found on disk), not when the cloud starts; each action's modules when that action is first run.
let dynaliteDb: DynaliteDb | undefined;
const db = (): DynaliteDb => (dynaliteDb ??= require('dynalite/db') as DynaliteDb);
let dynaliteValidations: DynaliteValidations | undefined;
const validations = (): DynaliteValidations =>
  (dynaliteValidations ??= require('dynalite/validations') as DynaliteValidations);

/** The operations dynalite implements (its index.js `validOperations`). */
export const DYNALITE_OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'ListTagsOfResource',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'UpdateItem',
  'UpdateTable',
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const ACTIONS = new Map<string, DynaliteAction>();
const VALIDATIONS = new Map<string, ActionValidation>();
const actionOf = (op: DynaliteOperation): DynaliteAction => {
  let action = ACTIONS.get(op);
  if (action === undefined) {
    action = require(`dynalite/actions/${lowerFirst(op)}`) as DynaliteAction;
    ACTIONS.set(op, action);
  }
  return action;
};
const validationOf = (op: DynaliteOperation): ActionValidation => {
  let validation = VALIDATIONS.get(op);
  if (validation === undefined) {
    validation = require(`dynalite/validations/${lowerFirst(op)}`) as ActionValidation;
    VALIDATIONS.set(op, validation);
  }
  return validation;
};

const HOOKED = Symbol('streams hook');

/** Called inside dynalite's per-item lock after a write is stored; `undefined` image = no item. */
export type ItemWriteListener = (tableName: string, oldItem: Item | undefined, newItem: Item | undefined) => void;

export interface DynaliteEngineOptions {
  /** LevelDB directory; undefined keeps tables in memory. */
  readonly path?: string;
  readonly region: string;
  /** Whether writes to a table must report their images (an extra read per write; only when a stream is on). */
  readonly wantsChanges: (tableName: string) => boolean;
  readonly onItemWrite: ItemWriteListener;
}

function toError(error: DynaliteError): Error {
  if (error.statusCode && error.body) return DynamoDBError.fromDynalite(error.statusCode, error.body);
  return error;
}

function isNotFound(error: DynaliteError | null | undefined): boolean {
  return !error || error.name === 'NotFoundError' || (error as { code?: string }).code === 'LEVEL_NOT_FOUND';
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class DynaliteEngine {
  #dynalite: DynaliteStore | undefined;
  readonly #options: DynaliteEngineOptions;

  constructor(options: DynaliteEngineOptions) {
    this.#options = options;
  }

  /** True once dynalite is loaded (the first table operation, or tables found on disk). */
  get loaded(): boolean {
    return this.#dynalite !== undefined;
  }

  get #store(): DynaliteStore {
    if (this.#dynalite !== undefined) return this.#dynalite;
    const { path, region } = this.#options;
    if (path !== undefined) mkdirSync(path, { recursive: true });
    // Tables become ACTIVE at once: learners should not wait (on AWS CreateTable takes seconds).
    const store = db().create({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    store.tableDb.awsRegion = region;
    store.tableDb.awsAccountId = ACCOUNT_ID;
    const getItemDb = store.getItemDb.bind(store);
    (store as { getItemDb: DynaliteStore['getItemDb'] }).getItemDb = (name) => {
      const itemDb = getItemDb(name);
      if (!itemDb[HOOKED]) this.#hook(name, itemDb);
      return itemDb;
    };
    this.#dynalite = store;
    return store;
  }

  /** dynalite's type checks and validations (AWS messages); returns the cleaned input. Throws DynamoDBError. */
  validate(
    operation: DynaliteOperation,
    input: Record<string, unknown>,
    { custom = true }: { custom?: boolean } = {},
  ): Record<string, unknown> {
    const validation = validationOf(operation);
    try {
      // checkTypes deletes unknown members from what it is given: hand it a copy.
      const data = validations().checkTypes({ ...input }, validation.types);
      validations().checkValidations(data, validation.types, custom ? validation.custom : undefined, this.#store);
      return data;
    } catch (error) {
      throw toError(error as DynaliteError);
    }
  }

  /** Runs a dynalite action on validated input. */
  run(operation: DynaliteOperation, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const action = actionOf(operation);
    return new Promise((resolve, reject) => {
      try {
        action(this.#store, data, (error, result) => (error ? reject(toError(error)) : resolve(result ?? {})));
      } catch (error) {
        reject(toError(error as DynaliteError));
      }
    });
  }

  /** Validates and runs. */
  execute(operation: DynaliteOperation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.run(operation, this.validate(operation, input));
  }

  /** The stored table (any status), or undefined. */
  getTable(name: string): Promise<TableRecord | undefined> {
    return new Promise((resolve, reject) => {
      this.#store.getTable(name, false, (error, table) => {
        if (!error) resolve(table);
        else if (error.statusCode === 400) resolve(undefined);
        else reject(error);
      });
    });
  }

  /** Read-modify-write of a table record under dynalite's table lock. */
  updateTableRecord<T>(name: string, update: (table: TableRecord | undefined) => Promise<T> | T): Promise<T> {
    const tableDb = this.#store.tableDb;
    return new Promise<T>((resolve, reject) => {
      tableDb.lock(name, (release) => {
        const done = release((error: unknown, value?: T) => (error ? reject(error) : resolve(value as T)));
        this.getTable(name)
          .then(async (table) => {
            const snapshot = table === undefined ? undefined : copy(table);
            const result = await update(snapshot);
            if (snapshot !== undefined && JSON.stringify(snapshot) !== JSON.stringify(table)) {
              await new Promise<void>((ok, fail) => tableDb.put(name, snapshot, (e) => (e ? fail(e) : ok())));
            }
            done(null, result);
          })
          .catch((error: unknown) => done(error));
      });
    });
  }

  /** Removes a table record left half-deleted by a shutdown (dynalite deletes it on a timer). */
  deleteTableRecord(name: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.#store.tableDb.del(name, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Every stored table record. */
  async listTables(): Promise<TableRecord[]> {
    const tables: TableRecord[] = [];
    for await (const value of this.#store.tableDb.createValueStream()) {
      if (value && typeof value === 'object' && (value as TableRecord).TableStatus) tables.push(value as TableRecord);
    }
    return tables;
  }

  /** The current item with the given key (any key-bearing item works), or undefined. */
  getItem(table: TableRecord, key: Item): Promise<Item | undefined> {
    const itemDb = this.#store.getItemDb(table.TableName);
    return new Promise((resolve, reject) =>
      itemDb.get(db().createKey(key, table), (error, item) =>
        isNotFound(error) ? resolve((item as Item | undefined) ?? undefined) : reject(error),
      ),
    );
  }

  /** DynamoDB's size of a set of attributes: name lengths plus value sizes (dynalite's itemSize). */
  static attributesSize(item: Item): number {
    return db().itemSize(item);
  }

  close(): Promise<void> {
    const store = this.#dynalite;
    if (store === undefined) return Promise.resolve();
    return new Promise((resolve) => store.lifecycleManager.gracefulClose(() => resolve()));
  }

  /**
   * Observes puts and deletes of one table's items. dynalite calls these inside `itemDb.lock(key)`, after
   * reading the old item and checking conditions, so reading the stored item here and reporting before the
   * callback (which releases the lock) gives consistent images and per-item order.
   */
  #hook(tableName: string, itemDb: ItemDb): void {
    itemDb[HOOKED] = true;
    const get = itemDb.get.bind(itemDb);
    const put = itemDb.put.bind(itemDb);
    const del = itemDb.del.bind(itemDb);
    const observe = (
      key: string,
      newItem: Item | undefined,
      write: (cb: Callback<void>) => void,
      cb: Callback<void>,
    ) => {
      if (!this.#options.wantsChanges(tableName)) return write(cb);
      get(key, (readError, oldItem) => {
        if (!isNotFound(readError)) return cb(readError);
        write((error) => {
          if (!error) {
            this.#options.onItemWrite(
              tableName,
              oldItem === undefined || oldItem === null ? undefined : copy(oldItem as Item),
              newItem === undefined ? undefined : copy(newItem),
            );
          }
          cb(error);
        });
      });
    };
    itemDb.put = (key, value, cb) => observe(key, value as Item, (done) => put(key, value, done), cb);
    itemDb.del = (key, cb) => observe(key, undefined, (done) => del(key, done), cb);
  }
}
