/** One schema version. Migrations are append-only: a released migration is never edited, only followed. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
