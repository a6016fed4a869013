import { Pool } from 'pg';
import { PreparedWrite, WriteAnswer } from './prepared-write';

export type WriteBatch = (writes: readonly PreparedWrite[]) => Promise<WriteAnswer[]>;

/** `append_batch`'s answer for an append skipped because one of its event ids is stored (migrations/0002-append-batch.ts). */
const EVENT_ID_TAKEN = -1;

/**
 * Several appends in one call of `append_batch`, one commit; an answer per write, in the order given.
 * The caller orders the writes by stream id. A failure of the call wrote nothing.
 */
export function prepareWriteBatch(pool: Pool): WriteBatch {
  return async (writes) => {
    const events = writes.flatMap((write) => write.events);
    const { rows } = await pool.query<{ answers: (string | null)[] }>({
      name: 'append-batch',
      text: 'SELECT append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS answers',
      values: [
        writes.map((write) => write.streamId),
        writes.map((write) => write.headRevision),
        writes.map((write) => write.events.length),
        writes.map((write) => write.recordedAt),
        events.map((event) => event.eventId),
        events.map((event) => event.type),
        events.map((event) => JSON.stringify(event.data)),
        writes.flatMap((write) => write.metadata),
        writes.flatMap((write) => write.schemaVersions),
        writes.flatMap((write) => write.hashes),
      ],
    });
    const answers = rows[0].answers;
    if (answers.length !== writes.length) throw new Error(`append_batch answered ${answers.length} appends for ${writes.length}`);
    return answers.map((answer) => {
      if (answer === null) return 'head-moved';
      const position = Number(answer);
      return position === EVENT_ID_TAKEN ? 'event-id-taken' : { position };
    });
  };
}
