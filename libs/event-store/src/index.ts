// The conformance suite is deliberately not exported: it declares jest tests and imports jest globals.
export * from './event-store.port';
export * from './errors';
export * from './hash-chain';
export * from './subscription';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { SynchronousMode } from './sqlite/open-database';
export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb/esdb-event-store';
export * from './aggregate-stream';
export * from './verification/verify-log';
export * from './personal-data-sealing-event-store';
export { PostgresEventStore } from './postgres/postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { applyMigrations, migratePostgres } from './postgres/migrate';
export type { PostgresMigration } from './postgres/migrations';
export { checkSchemaName } from './postgres/schema-name';
export { IDLE_IN_TRANSACTION_LIMIT_MS, sessionOptions } from './postgres/connection-config';
export type { AppliedMigration } from './postgres/migrate';
