import { randomUUID } from 'node:crypto';
import { cpSync } from 'node:fs';
import { LambdaError } from './errors.ts';
import { functionArn } from './names.ts';
import type {
  AliasConfiguration,
  FunctionCode,
  FunctionConfiguration,
  FunctionRecord,
  FunctionStore,
  VersionRecord,
} from './store.ts';

/** Version numbers: `1`, `2`, … (an alias name may not be all digits). */
export const VERSION_NUMBER = /^\d+$/;

/** What a qualifier names: the configuration and code that run, and the alias when it was one. */
export interface QualifiedFunction {
  readonly record: FunctionRecord;
  /** The version's configuration (FunctionArn as the caller qualified it, Version the number or `$LATEST`). */
  readonly config: FunctionConfiguration;
  readonly code: FunctionCode;
  /** `$LATEST` or a version number. */
  readonly version: string;
  readonly alias?: AliasConfiguration;
  /** The qualifier the caller used (undefined for the unqualified function). */
  readonly qualifier?: string;
}

export function findVersion(record: FunctionRecord, version: string): VersionRecord | undefined {
  if (version === '$LATEST') return { config: record.config, code: record.code };
  return record.versions?.find((v) => v.config.Version === version);
}

export function findAlias(record: FunctionRecord, name: string): AliasConfiguration | undefined {
  return record.aliases?.find((alias) => alias.Name === name);
}

/**
 * Resolves a qualifier (`$LATEST`, a version number or an alias) of a function. Unknown qualifiers
 * answer AWS's ResourceNotFoundException "Function not found: <qualified ARN>".
 * `pick` chooses among an alias's weighted versions (Invoke); without it the alias's primary version.
 */
export function qualify(
  record: FunctionRecord,
  region: string,
  qualifier: string | undefined,
  pick?: (alias: AliasConfiguration) => string,
): QualifiedFunction {
  const name = record.config.FunctionName;
  const notFound = () =>
    new LambdaError('ResourceNotFoundException', `Function not found: ${functionArn(region, name, qualifier)}`);
  if (qualifier === undefined) return { record, config: record.config, code: record.code, version: '$LATEST' };
  const alias = VERSION_NUMBER.test(qualifier) || qualifier === '$LATEST' ? undefined : findAlias(record, qualifier);
  const versionName = alias ? (pick ? pick(alias) : alias.FunctionVersion) : qualifier;
  const version = findVersion(record, versionName);
  if (version === undefined || (alias === undefined && !VERSION_NUMBER.test(qualifier) && qualifier !== '$LATEST'))
    throw notFound();
  return {
    record,
    config: { ...version.config, FunctionArn: functionArn(region, name, qualifier) },
    code: version.code,
    version: versionName,
    ...(alias ? { alias } : {}),
    qualifier,
  };
}

/** Weighted alias routing: the additional version gets its weight's share of invocations. */
export function pickWeighted(alias: AliasConfiguration, random: () => number = Math.random): string {
  const [additional] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  if (additional !== undefined && random() < additional[1]) return additional[0];
  return alias.FunctionVersion;
}

/** The configuration as ListVersionsByFunction lists `$LATEST`: its ARN qualified. */
export function latestListed(record: FunctionRecord, region: string): FunctionConfiguration {
  return { ...record.config, FunctionArn: functionArn(region, record.config.FunctionName, '$LATEST') };
}

/**
 * PublishVersion: a frozen copy of `$LATEST`. Lambda publishes nothing when code and configuration
 * did not change since the last version, and answers that version instead (API reference: PublishVersion).
 * Code used in place from a local directory is copied, so the version keeps running what was published.
 */
export function publishVersion(
  store: FunctionStore,
  record: FunctionRecord,
  region: string,
  description?: string,
): VersionRecord {
  const last = record.versions?.at(-1);
  if (last !== undefined && last.config.LastModified === record.config.LastModified && description === undefined)
    return last;
  const number = String((record.lastVersion ?? 0) + 1);
  let code = record.code;
  if (code.kind === 'local') {
    const dir = store.newCodeDir(record.config.FunctionName);
    cpSync(code.dir, dir, { recursive: true });
    code = { kind: 'zip', dir };
  }
  const version: VersionRecord = {
    config: {
      ...record.config,
      FunctionArn: functionArn(region, record.config.FunctionName, number),
      Version: number,
      RevisionId: randomUUID(),
      ...(description !== undefined ? { Description: description } : {}),
    },
    code,
  };
  store.put({ ...record, versions: [...(record.versions ?? []), version], lastVersion: Number(number) });
  return version;
}

/** Alias names: not all digits (that is a version), letters, digits, `-` and `_` (API reference: CreateAlias). */
export const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;

/** The alias a request names, or AWS's "Cannot find alias arn: <alias ARN>". */
export function requireAlias(record: FunctionRecord, region: string, name: string): AliasConfiguration {
  const alias = findAlias(record, name);
  if (alias === undefined) {
    throw new LambdaError(
      'ResourceNotFoundException',
      `Cannot find alias arn: ${functionArn(region, record.config.FunctionName, name)}`,
    );
  }
  return alias;
}

/** An alias's target version must exist; weighted routing names one other published version, weight 0–1. */
export function checkAliasTarget(
  record: FunctionRecord,
  region: string,
  functionVersion: string,
  routing: { readonly AdditionalVersionWeights?: Readonly<Record<string, unknown>> } | undefined,
): void {
  if (findVersion(record, functionVersion) === undefined) {
    throw new LambdaError(
      'ResourceNotFoundException',
      `Function not found: ${functionArn(region, record.config.FunctionName, functionVersion)}`,
    );
  }
  const weights = Object.entries(routing?.AdditionalVersionWeights ?? {});
  const outOfRange = weights.filter(([, weight]) => typeof weight !== 'number' || weight < 0 || weight > 1);
  if (outOfRange.length > 0) {
    throw new LambdaError(
      'ValidationException',
      `1 validation error detected: Value '${JSON.stringify(Object.fromEntries(weights))}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]`,
    );
  }
  if (weights.length > 1) {
    throw new LambdaError(
      'InvalidParameterValueException',
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    );
  }
  for (const [version] of weights) {
    if (version === functionVersion) {
      throw new LambdaError(
        'InvalidParameterValueException',
        `Invalid function version ${version}. Function version ${version} is already included in routing configuration.`,
      );
    }
    // Weighted routing is between published versions only (Lambda developer guide: aliases, weighted aliases).
    if (version === '$LATEST' || functionVersion === '$LATEST') {
      throw new LambdaError(
        'InvalidParameterValueException',
        'Alias routing configuration is supported between published versions only: $LATEST cannot take part.',
      );
    }
    if (findVersion(record, version) === undefined) {
      throw new LambdaError(
        'ResourceNotFoundException',
        `Function not found: ${functionArn(region, record.config.FunctionName, version)}`,
      );
    }
  }
}

/** The alias with `RoutingConfig` only when it has weights (AWS leaves it out otherwise). */
export function aliasOut(alias: AliasConfiguration): AliasConfiguration {
  const { RoutingConfig, ...rest } = alias;
  return RoutingConfig && Object.keys(RoutingConfig.AdditionalVersionWeights).length > 0 ? alias : rest;
}
