/** Thrown when a function's configuration lacks an environment variable it needs. */
export class MissingEnvironmentVariableError extends Error {
  readonly variable: string;

  constructor(variable: string, options?: ErrorOptions) {
    super(
      `Environment variable ${variable} is not set. Set it in the function's configuration (the scenario's infra.ts does this on deploy).`,
      options,
    );
    this.name = 'MissingEnvironmentVariableError';
    this.variable = variable;
  }
}

/** The value of environment variable `name`; throws when it is missing or empty. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new MissingEnvironmentVariableError(name);
  return value;
}

/** The integer value of environment variable `name`, or `fallback` when unset; throws on a non-integer. */
export function integerEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`Environment variable ${name} must be an integer, got '${raw}'.`);
  return value;
}
