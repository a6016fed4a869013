import type { ClientConfig } from 'pg';

/**
 * Every connection of a store resolves unqualified names in its schema, set at connection start-up
 * so the SQL stays free of schema prefixes and no extra round trip is needed per connection.
 */
export function connectionConfig(connectionString: string, schema: string): ClientConfig {
  // Named after the schema so an operator can tell in pg_stat_activity which store a connection serves.
  return { connectionString, options: sessionOptions(schema), application_name: `ecf-event-store:${schema}`, keepAlive: true };
}

/**
 * How long the server lets a session sit idle inside a transaction before it ends the session. A
 * process frozen mid-transaction (SIGSTOP, a VM paused, a partition) would otherwise hold its locks for
 * ever: the append's position lock that every writer queues for, or a consumer's lease row that a
 * standby needs to take over. Our transactions never wait on anything but the server between statements.
 */
export const IDLE_IN_TRANSACTION_LIMIT_MS = 5000;

/** Start-up options of every connection we open: the schema names resolve in, and the idle-in-transaction limit. */
export const sessionOptions = (schema: string): string => `-c search_path=${schema} -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_LIMIT_MS}`;
