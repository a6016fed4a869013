import { EventMetadata } from './event-store.port';

/**
 * How the SQL adapters (SQLite, PostgreSQL) keep an event's metadata in its row (ADR 0012): the schema
 * version in the row's `schema_version` column only, the rest as JSON in `metadata`. Reading puts the
 * column's value back into the metadata, so the hash — which has always covered the metadata with its
 * version — covers the column, and the log anchor with it. Rows written before ADR 0012 also hold the
 * version inside their JSON; that copy was always equal to the column, and is not read.
 */
export interface MetadataColumns {
  readonly metadata: string;
  readonly schemaVersion: number;
}

export function toMetadataColumns(metadata: EventMetadata): MetadataColumns {
  const { schemaVersion, ...rest } = metadata;
  return { metadata: JSON.stringify(rest), schemaVersion };
}

export function fromMetadataColumns(metadata: string, schemaVersion: number): EventMetadata {
  // Set on the freshly parsed object rather than spread into a copy: this runs for every event read.
  const parsed = JSON.parse(metadata) as EventMetadata & { schemaVersion?: number };
  parsed.schemaVersion = schemaVersion;
  return parsed;
}
