/** The app's settings, read from CDK context (`-c name=value` or cdk.json) and validated. */
export interface WorkbookSettings {
  /** Class sandbox learners (each gets an isolated copy); empty for a single, shared copy. */
  readonly learners: readonly string[];
  /** Monthly budget in USD for the class account, or undefined for no budget alarm. */
  readonly budget?: number;
  /** Who the budget alarm emails. */
  readonly budgetEmail?: string;
  /** Reserved concurrency of every function. */
  readonly reservedConcurrency: number;
  /** Whether to deploy the stream-metrics scenario's Kinesis variant (a stream costs while it exists). */
  readonly kinesis: boolean;
}

/** Thrown for a context value the app cannot use; names the key and the value. */
export class InvalidContextError extends Error {
  constructor(key: string, value: unknown, expected: string) {
    super(`Context value ${key}=${JSON.stringify(value)} is invalid: ${expected}.`);
    this.name = 'InvalidContextError';
  }
}

/** Learner names become part of stack, role and resource names: short, lowercase, no dashes. */
export const LEARNER_NAME = /^[a-z][a-z0-9]{0,15}$/;
export const MAX_LEARNERS = 100;

export function parseLearners(value: unknown): string[] {
  if (value === undefined || value === '') return [];
  const text = String(value).trim();
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count < 1 || count > MAX_LEARNERS) {
      throw new InvalidContextError('learners', value, `a count must be from 1 to ${MAX_LEARNERS}`);
    }
    return Array.from({ length: count }, (_, i) => `learner${i + 1}`);
  }
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!LEARNER_NAME.test(name)) {
      throw new InvalidContextError(
        'learners',
        value,
        `'${name}' is not a learner name (1-16 lowercase letters and digits, starting with a letter; or give a count)`,
      );
    }
  }
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new InvalidContextError('learners', value, `'${duplicate}' appears twice`);
  if (names.length > MAX_LEARNERS) throw new InvalidContextError('learners', value, `at most ${MAX_LEARNERS} learners`);
  return names;
}

function parseInteger(key: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new InvalidContextError(key, value, `expected an integer from ${min} to ${max}`);
  }
  return number;
}

function parseBoolean(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidContextError(key, value, 'expected true or false');
}

/** Validated settings from a context lookup such as `(key) => app.node.tryGetContext(key)`. */
export function readSettings(context: (key: string) => unknown): WorkbookSettings {
  const learners = parseLearners(context('learners'));
  const rawBudget = context('budget');
  const rawEmail = context('budgetEmail');
  let budget: number | undefined;
  let budgetEmail: string | undefined;
  if (rawBudget !== undefined && rawBudget !== '') {
    budget = Number(rawBudget);
    if (!Number.isFinite(budget) || budget <= 0 || budget > 100_000) {
      throw new InvalidContextError('budget', rawBudget, 'expected a monthly amount in USD, greater than 0');
    }
    if (typeof rawEmail !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(rawEmail)) {
      throw new InvalidContextError(
        'budgetEmail',
        rawEmail,
        'a budget needs an email address to alert (-c budgetEmail=you@example.com)',
      );
    }
    budgetEmail = rawEmail;
  } else if (rawEmail !== undefined && rawEmail !== '') {
    throw new InvalidContextError('budgetEmail', rawEmail, 'it only applies with a budget (-c budget=50)');
  }
  return {
    learners,
    budget,
    budgetEmail,
    reservedConcurrency: parseInteger('reservedConcurrency', context('reservedConcurrency'), 1, 100, 2),
    kinesis: parseBoolean('kinesis', context('kinesis'), true),
  };
}
