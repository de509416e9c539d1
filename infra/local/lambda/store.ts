import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** A function's configuration, in the shape Lambda's GetFunctionConfiguration returns. */
export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Runtime: string;
  readonly Role: string;
  readonly Handler: string;
  readonly CodeSize: number;
  readonly Description: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly LastModified: string;
  readonly CodeSha256: string;
  /** `$LATEST`, or the number of a published version. */
  readonly Version: string;
  readonly Environment?: { readonly Variables: Readonly<Record<string, string>> };
  readonly TracingConfig: { readonly Mode: string };
  readonly RevisionId: string;
  readonly State: 'Active';
  readonly LastUpdateStatus: 'Successful';
  readonly PackageType: 'Zip';
  readonly Architectures: readonly string[];
  readonly EphemeralStorage: { readonly Size: number };
  readonly LoggingConfig: { readonly LogFormat: 'Text'; readonly LogGroup: string };
  readonly SnapStart: { readonly ApplyOn: 'None'; readonly OptimizationStatus: 'Off' };
}

/** One statement of a function's resource-based policy (AddPermission). */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: string | Readonly<Record<string, string>>;
  readonly Action: string;
  readonly Resource: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Where a function's code lives: extracted from a zip we own, or a developer's directory used in place. */
export type FunctionCode =
  | { readonly kind: 'zip'; readonly dir: string }
  | { readonly kind: 'local'; readonly dir: string };

/** A published version: a frozen copy of `$LATEST`'s configuration and code (PublishVersion). */
export interface VersionRecord {
  readonly config: FunctionConfiguration;
  readonly code: FunctionCode;
}

/** An alias, in the shape GetAlias returns (AliasConfiguration). */
export interface AliasConfiguration {
  readonly AliasArn: string;
  readonly Name: string;
  readonly FunctionVersion: string;
  readonly Description: string;
  readonly RevisionId: string;
  /** Weighted routing: `{ AdditionalVersionWeights: { '2': 0.1 } }` sends 10 % to version 2. */
  readonly RoutingConfig?: { readonly AdditionalVersionWeights: Readonly<Record<string, number>> };
}

/** A destination of asynchronous invocation records (`{}` when none is set, as AWS answers). */
export interface DestinationRef {
  readonly Destination?: string;
}

/** Asynchronous invocation settings of a function, version or alias (FunctionEventInvokeConfig). */
export interface EventInvokeConfig {
  readonly FunctionArn: string;
  /** Epoch seconds (a timestamp on the wire). */
  readonly LastModified: number;
  readonly MaximumRetryAttempts?: number;
  readonly MaximumEventAgeInSeconds?: number;
  readonly DestinationConfig: { readonly OnSuccess: DestinationRef; readonly OnFailure: DestinationRef };
}

export interface FunctionRecord {
  /** `$LATEST`. */
  readonly config: FunctionConfiguration;
  readonly code: FunctionCode;
  /** Statements of every qualifier; each names its resource (the function, or a version's or alias's ARN). */
  readonly policy: readonly PolicyStatement[];
  /** Published versions, oldest first. */
  readonly versions?: readonly VersionRecord[];
  /** The last version number handed out (numbers are never reused, even after DeleteFunction of a version). */
  readonly lastVersion?: number;
  readonly aliases?: readonly AliasConfiguration[];
  /** By qualifier (`$LATEST` for the unqualified function). */
  readonly eventInvokeConfigs?: Readonly<Record<string, EventInvokeConfig>>;
  /** PutFunctionConcurrency; undefined: the function uses the account's unreserved pool. */
  readonly reservedConcurrency?: number;
  /** PutFunctionRecursionConfig; undefined is Lambda's default, `Terminate`. */
  readonly recursiveLoop?: 'Allow' | 'Terminate';
}

/** `2024-01-31T12:34:56.789+0000`, Lambda's LastModified format. */
export const lastModified = (date = new Date()): string => date.toISOString().replace('Z', '+0000');

/**
 * Function records and code under `<dataDir>/lambda/functions/<name>/` (`function.json` plus
 * `code-<id>/` directories), or in a temporary directory when running in memory.
 */
export class FunctionStore {
  readonly root: string;
  readonly #temporary: boolean;
  readonly #records = new Map<string, FunctionRecord>();

  constructor(dataDir?: string) {
    this.#temporary = dataDir === undefined;
    this.root =
      dataDir === undefined ? mkdtempSync(join(tmpdir(), 'lambda-workbook-lambda-')) : join(dataDir, 'lambda');
    mkdirSync(join(this.root, 'functions'), { recursive: true });
    this.#load();
  }

  get(name: string): FunctionRecord | undefined {
    return this.#records.get(name);
  }

  list(): readonly FunctionRecord[] {
    return [...this.#records.values()].sort((a, b) => a.config.FunctionName.localeCompare(b.config.FunctionName));
  }

  /** A fresh, empty directory for a new version of a function's code. */
  newCodeDir(name: string): string {
    const dir = join(this.root, 'functions', name, `code-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  put(record: FunctionRecord): void {
    this.#records.set(record.config.FunctionName, record);
    const dir = join(this.root, 'functions', record.config.FunctionName);
    mkdirSync(dir, { recursive: true });
    const stored = (code: FunctionCode) =>
      code.kind === 'zip' ? { kind: 'zip', dir: relative(this.root, code.dir) } : code;
    const file = join(dir, 'function.json');
    const versions = record.versions?.map((version) => ({ ...version, code: stored(version.code) }));
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...record, code: stored(record.code), versions }, null, 2));
    renameSync(`${file}.tmp`, file);
  }

  delete(name: string): void {
    this.#records.delete(name);
    rmSync(join(this.root, 'functions', name), { recursive: true, force: true });
  }

  /** Removes code directories no record points at any more (old versions of the code). */
  pruneCode(name: string, keep: readonly string[] = []): void {
    const record = this.#records.get(name);
    const dir = join(this.root, 'functions', name);
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      const versionCode = record?.versions?.some((version) => version.code.dir === path) ?? false;
      if (entry.startsWith('code-') && path !== record?.code.dir && !versionCode && !keep.includes(path))
        rmSync(path, { recursive: true, force: true });
    }
  }

  close(): void {
    if (this.#temporary) rmSync(this.root, { recursive: true, force: true });
  }

  #load(): void {
    const functions = join(this.root, 'functions');
    for (const name of readdirSync(functions)) {
      const file = join(functions, name, 'function.json');
      if (!existsSync(file)) continue;
      try {
        const stored = JSON.parse(readFileSync(file, 'utf8')) as FunctionRecord;
        const code = (saved: FunctionCode): FunctionCode =>
          saved.kind === 'zip' ? { kind: 'zip', dir: join(this.root, saved.dir) } : saved;
        this.#records.set(stored.config.FunctionName, {
          ...stored,
          code: code(stored.code),
          policy: stored.policy ?? [],
          ...(stored.versions ? { versions: stored.versions.map((v) => ({ ...v, code: code(v.code) })) } : {}),
        });
      } catch {
        // A damaged record is skipped rather than stopping the local cloud.
      }
    }
  }
}
