import type { ClientConfig } from 'pg';

/**
 * Every connection of a store resolves unqualified names in its schema, set at connection start-up
 * so the SQL stays free of schema prefixes and no extra round trip is needed per connection.
 */
export function connectionConfig(connectionString: string, schema: string): ClientConfig {
  // Named after the schema so an operator can tell in pg_stat_activity which store a connection serves.
  return { connectionString, options: `-c search_path=${schema}`, application_name: `ecf-event-store:${schema}` };
}
