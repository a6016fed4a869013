/**
 * The store's schema is chosen by the operator and ends up in SQL text (CREATE SCHEMA, search_path,
 * the LISTEN channel), so it is held to plain lower-case identifiers rather than escaped case by case.
 * 48 characters leave room for the channel prefix within PostgreSQL's 63-character identifiers.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

export const DEFAULT_SCHEMA = 'public';

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError(`Schema name must be lower-case letters, digits and underscores (at most 48), got ${JSON.stringify(schema)}`);
  return schema;
}

/**
 * The channel the append function notifies on. The SQL side builds the same name from
 * current_schema() (migrations/0001-initial.ts); one channel per schema keeps stores sharing a
 * database from waking each other.
 */
export const appendChannel = (schema: string): string => `ecf_appended_${schema}`;
