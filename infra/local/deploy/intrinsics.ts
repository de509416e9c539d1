// Resolves CloudFormation intrinsic functions, conditions and pseudo parameters in a template
// fragment, as CloudFormation does at deploy time. Pure: every lookup comes from the context.
// Reference: docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html

/** `AWS::NoValue`: the property is removed, as if it were never written. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface PseudoParameters {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly urlSuffix: string;
}

export interface ResolveContext {
  readonly pseudo: PseudoParameters;
  /** Template parameters with their values (defaults applied). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Evaluated conditions by name. */
  readonly conditions: Readonly<Record<string, boolean>>;
  /** `Ref` of a resource: its physical id. */
  ref(logicalId: string): unknown;
  /** `Fn::GetAtt` of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** `Fn::ImportValue`: an output another stack exported. */
  importValue?(exportName: string): unknown;
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const AZ_LETTERS = ['a', 'b', 'c'];

export function pseudoParameter(name: string, pseudo: PseudoParameters): unknown {
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::Partition':
      return pseudo.partition;
    case 'AWS::StackName':
      return pseudo.stackName;
    case 'AWS::StackId':
      return pseudo.stackId;
    case 'AWS::URLSuffix':
      return pseudo.urlSuffix;
    case 'AWS::NoValue':
      return NO_VALUE;
    case 'AWS::NotificationARNs':
      return [];
    default:
      return undefined;
  }
}

function refOf(name: string, context: ResolveContext): unknown {
  if (name.startsWith('AWS::')) {
    const value = pseudoParameter(name, context.pseudo);
    if (value === undefined) throw new TemplateError(`Unknown pseudo parameter '${name}'.`);
    return value;
  }
  if (Object.hasOwn(context.parameters, name)) return context.parameters[name];
  return context.ref(name);
}

function asString(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`${where} expects a string, received ${JSON.stringify(value)}.`);
}

function asList(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new TemplateError(`${where} expects a list, received ${JSON.stringify(value)}.`);
  return value;
}

function asBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new TemplateError(`${where} expects a condition (true/false), received ${JSON.stringify(value)}.`);
}

/** `Fn::Sub`: `${Name}`, `${Resource.Attribute}`, `${!Literal}`, with optional variables map. */
function substitute(template: string, variables: Readonly<Record<string, unknown>>, context: ResolveContext): string {
  return template.replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
    if (expression.startsWith('!')) return `\${${expression.slice(1)}}`;
    const name = expression.trim();
    if (Object.hasOwn(variables, name)) return asString(variables[name], `Fn::Sub variable '${name}'`);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) {
      return asString(context.getAtt(name.slice(0, dot), name.slice(dot + 1)), `Fn::Sub '${whole}'`);
    }
    return asString(refOf(name, context), `Fn::Sub '${whole}'`);
  });
}

const FUNCTIONS: Record<string, (argument: unknown, context: ResolveContext) => unknown> = {
  Ref: (argument, context) => refOf(asString(argument, 'Ref'), context),
  'Fn::GetAtt': (argument, context) => {
    const [logicalId, attribute] =
      typeof argument === 'string'
        ? [argument.slice(0, argument.indexOf('.')), argument.slice(argument.indexOf('.') + 1)]
        : asList(resolve(argument, context), 'Fn::GetAtt');
    return context.getAtt(asString(logicalId, 'Fn::GetAtt'), asString(attribute, 'Fn::GetAtt'));
  },
  'Fn::Join': (argument, context) => {
    const [delimiter, list] = asList(argument, 'Fn::Join');
    const values = asList(resolve(list, context), 'Fn::Join');
    return values
      .filter((value) => value !== NO_VALUE)
      .map((value) => asString(value, 'Fn::Join'))
      .join(asString(delimiter, 'Fn::Join'));
  },
  'Fn::Sub': (argument, context) => {
    if (typeof argument === 'string') return substitute(argument, {}, context);
    const [template, variables] = asList(argument, 'Fn::Sub');
    const resolved = resolve(variables ?? {}, context) as Record<string, unknown>;
    return substitute(asString(template, 'Fn::Sub'), resolved, context);
  },
  'Fn::Select': (argument, context) => {
    const [index, list] = asList(argument, 'Fn::Select');
    const position = Number(resolve(index, context));
    const values = asList(resolve(list, context), 'Fn::Select');
    if (!Number.isInteger(position) || position < 0 || position >= values.length) {
      throw new TemplateError(`Fn::Select index ${String(index)} is out of range for a list of ${values.length}.`);
    }
    return values[position];
  },
  'Fn::Split': (argument, context) => {
    const [delimiter, source] = asList(argument, 'Fn::Split');
    return asString(resolve(source, context), 'Fn::Split').split(asString(delimiter, 'Fn::Split'));
  },
  'Fn::If': (argument, context) => {
    const [name, whenTrue, whenFalse] = asList(argument, 'Fn::If');
    const condition = context.conditions[asString(name, 'Fn::If')];
    if (condition === undefined) throw new TemplateError(`Fn::If names an unknown condition '${String(name)}'.`);
    return resolve(condition ? whenTrue : whenFalse, context);
  },
  'Fn::Equals': (argument, context) => {
    const [left, right] = asList(resolve(argument, context), 'Fn::Equals');
    return JSON.stringify(left) === JSON.stringify(right);
  },
  'Fn::Not': (argument, context) => {
    const [value] = asList(resolve(argument, context), 'Fn::Not');
    return !asBoolean(value, 'Fn::Not');
  },
  'Fn::And': (argument, context) =>
    asList(resolve(argument, context), 'Fn::And').every((value) => asBoolean(value, 'Fn::And')),
  'Fn::Or': (argument, context) =>
    asList(resolve(argument, context), 'Fn::Or').some((value) => asBoolean(value, 'Fn::Or')),
  Condition: (argument, context) => {
    const value = context.conditions[asString(argument, 'Condition')];
    if (value === undefined) throw new TemplateError(`Unknown condition '${String(argument)}'.`);
    return value;
  },
  'Fn::GetAZs': (argument, context) => {
    const region = asString(resolve(argument, context), 'Fn::GetAZs') || context.pseudo.region;
    return AZ_LETTERS.map((letter) => `${region}${letter}`);
  },
  'Fn::ImportValue': (argument, context) => {
    const name = asString(resolve(argument, context), 'Fn::ImportValue');
    const value = context.importValue?.(name);
    if (value === undefined) throw new TemplateError(`Fn::ImportValue: no stack exports '${name}'.`);
    return value;
  },
  'Fn::Base64': (argument, context) =>
    Buffer.from(asString(resolve(argument, context), 'Fn::Base64')).toString('base64'),
  'Fn::ToJsonString': (argument, context) => JSON.stringify(resolve(argument, context)),
};

/** The intrinsic function names this resolver understands. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

/** Resolves every intrinsic in `value`; `AWS::NoValue` removes object properties and list items. */
export function resolve(value: unknown, context: ResolveContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, context)).filter((item) => item !== NO_VALUE);
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const fn = FUNCTIONS[keys[0]!];
      if (fn !== undefined) return fn((value as Record<string, unknown>)[keys[0]!], context);
      if (keys[0]!.startsWith('Fn::')) throw new TemplateError(`Unsupported intrinsic function '${keys[0]}'.`);
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolve(item, context);
      if (resolved !== NO_VALUE) result[key] = resolved;
    }
    return result;
  }
  return value;
}

/** Evaluates the template's `Conditions` (which may refer to each other) to booleans. */
export function evaluateConditions(
  conditions: Readonly<Record<string, unknown>>,
  context: Omit<ResolveContext, 'conditions'>,
): Record<string, boolean> {
  const results: Record<string, boolean> = {};
  const evaluating = new Set<string>();
  const lookup: Record<string, boolean> = new Proxy(results, {
    get(target, name: string) {
      if (name in target) return target[name];
      if (!Object.hasOwn(conditions, name)) return undefined;
      if (evaluating.has(name)) throw new TemplateError(`Condition '${name}' refers to itself.`);
      evaluating.add(name);
      target[name] = asBoolean(resolve(conditions[name], { ...context, conditions: lookup }), `Condition '${name}'`);
      evaluating.delete(name);
      return target[name];
    },
  });
  for (const name of Object.keys(conditions)) void lookup[name];
  return results;
}
