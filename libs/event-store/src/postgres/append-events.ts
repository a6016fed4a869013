import { DatabaseError, Pool } from 'pg';
import { PreparedWrite, WriteAnswer } from './prepared-write';

export type WriteOne = (write: PreparedWrite) => Promise<WriteAnswer>;

const isEventIdTaken = (error: unknown): boolean => error instanceof DatabaseError && error.code === '23505' && error.constraint === 'events_event_id_key';

/** One append on its own: one call of `append_events` (migrations/0001-initial.ts), one commit. */
export function prepareWriteOne(pool: Pool): WriteOne {
  return async (write) => {
    try {
      const { rows } = await pool.query<{ position: string | null }>({
        name: 'append-events',
        text: 'SELECT append_events($1, $2, $3, $4, $5, $6, $7, $8, $9) AS position',
        values: [
          write.streamId,
          write.headRevision,
          write.events.map((event) => event.eventId),
          write.events.map((event) => event.type),
          write.events.map((event) => JSON.stringify(event.data)),
          write.metadata,
          write.schemaVersions,
          write.recordedAt,
          write.hashes,
        ],
      });
      const position = rows[0].position;
      return position === null ? 'head-moved' : { position: Number(position) };
    } catch (error) {
      if (isEventIdTaken(error)) return 'event-id-taken';
      throw error;
    }
  };
}
