/**
 * Recursive loop detection, as Lambda does it (AWS Lambda Developer Guide, "Use Lambda recursive
 * loop detection to prevent infinite loops"; S3 is covered since October 2024): each invocation
 * gets an X-Ray trace header (`_X_AMZN_TRACE_ID`) whose `Lineage` field counts how many times the
 * function has been invoked in the same chain of requests. The AWS SDK forwards that header on
 * every call the handler makes (`X-Amzn-Trace-Id`); a service the call reaches (an S3 PutObject
 * that fires a bucket notification) hands it on to the next invocation. When the same function
 * would run more than 16 times in one chain, Lambda stops the invocation instead.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Invocations of one function in one chain before Lambda stops the next. */
export const MAX_RECURSIVE_INVOCATIONS = 16;

const lineageHashes = new Map<string, string>();
const MAX_CACHED_HASHES = 1024;

/** The part of `Lineage=<hash>:<count>` that names the function (8 hex digits); computed once per ARN. */
export function lineageHash(functionArn: string): string {
  let hash = lineageHashes.get(functionArn);
  if (hash === undefined) {
    hash = createHash('sha256').update(functionArn).digest('hex').slice(0, 8);
    if (lineageHashes.size >= MAX_CACHED_HASHES) lineageHashes.clear();
    lineageHashes.set(functionArn, hash);
  }
  return hash;
}

/** Random bytes drawn a page at a time: every invocation needs 8 or 20 of them for its trace ids. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return pool.toString('hex', poolOffset - bytes, poolOffset);
}

function field(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function newRoot(): string {
  return `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomHex(12)}`;
}

export interface ChainStep {
  /** How many times this function has run in the chain, this invocation included. */
  readonly count: number;
  /** The trace header the invocation's handler gets (`_X_AMZN_TRACE_ID`). */
  readonly traceId: string;
  /** True when this invocation would exceed {@link MAX_RECURSIVE_INVOCATIONS} and must be stopped. */
  readonly loop: boolean;
}

/** The next step of a chain: `incoming` is the trace header of the request that caused the invocation. */
export function nextStep(functionArn: string, incoming?: string): ChainStep {
  const hash = lineageHash(functionArn);
  const [lineageOf, previous] = (field(incoming, 'Lineage') ?? '').split(':');
  const previousCount = lineageOf === hash ? Number.parseInt(previous ?? '', 10) : 0;
  const count = (Number.isInteger(previousCount) && previousCount > 0 ? previousCount : 0) + 1;
  const root = field(incoming, 'Root') ?? newRoot();
  return {
    count,
    traceId: `Root=${root};Parent=${randomHex(8)};Sampled=0;Lineage=${hash}:${count}`,
    loop: count > MAX_RECURSIVE_INVOCATIONS,
  };
}
