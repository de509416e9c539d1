/**
 * Which request parameters the local cloud honours, declared as data per service and action (the
 * rule of issue 17: every parameter of a modelled action is either honoured — and echoed where AWS
 * echoes it — or refused with the service's error and a message naming it; never accepted and
 * dropped). Parameters are named as the AWS API reference names them (`ReplicaUpdates`,
 * `x-amz-tagging` for S3 headers). A request that sets a refused parameter, or one the declaration
 * does not name at all, is refused by {@link unsupportedParameter}; `tools/parameter-table.ts` turns
 * the same declarations into the table on "The local cloud" docs page.
 */

/** Refused: `why` says in a few words what the local cloud lacks (shown in the error and the table). */
export interface Refused {
  readonly refused: string;
  /** Values that ask for nothing the local cloud lacks (`NONE`), accepted as they are. */
  readonly except?: readonly string[];
}

/** `'supported'`: honoured (and echoed where AWS echoes it). */
export type ParameterSupport = 'supported' | Refused;

/** One action's parameters, by their API reference names. */
export type ActionParameters = Readonly<Record<string, ParameterSupport>>;

/** A service's declaration: each modelled action's parameters. */
export type ServiceParameters = Readonly<Record<string, ActionParameters>>;

export const refused = (why: string, except?: readonly string[]): Refused =>
  except === undefined ? { refused: why } : { refused: why, except };

/** Shorthand for an action's honoured parameters. */
export function supported(...names: readonly string[]): Record<string, ParameterSupport> {
  return Object.fromEntries(names.map((name) => [name, 'supported' as const]));
}

/** A parameter a request set that the local cloud does not honour. */
export interface UnsupportedParameter {
  readonly name: string;
  /** The declared reason; undefined for a parameter the declaration does not know. */
  readonly reason?: string;
}

/**
 * The first parameter of `present` (name → value) the declaration refuses or does not name;
 * undefined when all are honoured.
 */
export function unsupportedParameter(
  present: Iterable<readonly [string, unknown]>,
  declared: ActionParameters,
): UnsupportedParameter | undefined {
  for (const [name, value] of present) {
    const support = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (support === 'supported') continue;
    if (support === undefined) return { name };
    if (typeof value === 'string' && support.except?.includes(value)) continue;
    return { name, reason: support.refused };
  }
  return undefined;
}

/** `The local cloud does not support the ReplicaUpdates parameter of UpdateTable (global tables).` */
export function unsupportedParameterMessage(action: string, parameter: UnsupportedParameter): string {
  return `The local cloud does not support the ${parameter.name} parameter of ${action}${
    parameter.reason ? ` (${parameter.reason})` : ''
  }.`;
}

/** The members a JSON request sets (present and not null: the SDKs leave unset members out). */
export function jsonMembers(input: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(input).filter(([, value]) => value !== undefined && value !== null);
}

/**
 * Refuses a JSON request that sets a parameter its action's declaration does not honour, with the
 * service's own error (`refuse(message)`). Actions without a declaration are not checked.
 */
export function checkJsonParameters(
  parameters: ServiceParameters,
  action: string,
  input: Readonly<Record<string, unknown>>,
  refuse: (message: string) => Error,
): void {
  const declared = Object.hasOwn(parameters, action) ? parameters[action] : undefined;
  if (declared === undefined) return;
  const problem = unsupportedParameter(jsonMembers(input), declared);
  if (problem !== undefined) throw refuse(unsupportedParameterMessage(action, problem));
}
