import Ajv, { AnySchema, ValidateFunction } from 'ajv';

/** A programme config file that does not say what the calculations need; every problem is listed at once. */
export class ProgrammeConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ProgrammeConfigError';
  }
}

/** Checks parsed JSON against a JSON Schema, then against the rules a schema cannot say (each returns its problems). */
export function validateConfig<T>(source: string, json: unknown, schema: AnySchema, rules: (value: T) => string[]): T {
  const validate: ValidateFunction<T> = new Ajv({ allErrors: true }).compile<T>(schema);
  if (!validate(json)) {
    throw new ProgrammeConfigError(source, (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`));
  }
  const problems = rules(json);
  if (problems.length > 0) throw new ProgrammeConfigError(source, problems);
  return json;
}
