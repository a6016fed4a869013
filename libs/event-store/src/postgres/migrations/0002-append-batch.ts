import { PostgresMigration } from './migration';

/**
 * `append_batch`: several appends in one statement, so one commit (one WAL flush) makes them all durable
 * (group commit, docs/adr/0019-postgres-group-commit.md). Each append keeps what `append_events`
 * (0001-initial.ts) gives it: its stream head moves only from the head its hashes were computed on,
 * its events take consecutive positions in revision order, and every position is drawn under the
 * position lock held to the commit (ADR 0008).
 *
 * The appends come as parallel arrays, one entry each (stream id, the head revision its hashes were
 * computed on, -1 for a new stream, its event count, its recorded_at), and their events one after
 * another in the event arrays. In order:
 * 1. An append with an event id already stored, or claimed by an earlier append of the call, is
 *    skipped and answered -1 (the caller looks the ids up: a retry, or a conflict).
 * 2. The heads of the others are moved in the order given, as `append_events` moves one: a row lock
 *    each, held to the commit. The caller sorts the appends by stream id, so two calls never lock two
 *    heads in opposite orders. An append whose head moved (by another writer, or by an earlier append
 *    of this call to the same stream) is skipped and answered NULL (the caller reads the head).
 *    These row locks are all taken before the position lock, as in `append_events`: a call holding
 *    the position lock never waits for a head, so appends and calls cannot deadlock.
 * 3. One position lock for the call, positions drawn for all the events left, in the order given,
 *    one insert, one pg_notify of the last position.
 * 4. The answer: for each append, the position of its last event, NULL or -1 (positions start at 1).
 * An id stored by a racing writer between steps 1 and 3 fails the whole statement with a unique
 * violation: nothing of the call is written, and the caller sends its appends one by one.
 *
 * Like `append_events`, it must run as one autocommitted statement.
 */
export const appendBatchMigration: PostgresMigration = {
  version: 2,
  name: 'append-batch',
  sql: `
    CREATE FUNCTION append_batch(
      p_stream_ids TEXT[],
      p_head_revisions INTEGER[],
      p_event_counts INTEGER[],
      p_recorded_ats TIMESTAMPTZ[],
      p_event_ids TEXT[],
      p_types TEXT[],
      p_data TEXT[],
      p_metadata TEXT[],
      p_schema_versions INTEGER[],
      p_hashes TEXT[]
    ) RETURNS BIGINT[]
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
    DECLARE
      v_appends INTEGER := cardinality(p_stream_ids);
      v_answers BIGINT[] := array_fill(NULL::BIGINT, ARRAY[v_appends]);
      v_stored TEXT[];
      v_claimed TEXT[] := '{}';
      v_ids TEXT[];
      v_first INTEGER := 1;
      v_last INTEGER;
      -- For each event to write (k): its index in the event arrays, its append, its revision.
      v_sources INTEGER[] := '{}';
      v_owners INTEGER[] := '{}';
      v_revisions INTEGER[] := '{}';
      v_positions BIGINT[];
    BEGIN
      IF cardinality(p_event_ids) IS DISTINCT FROM (SELECT sum(n) FROM unnest(p_event_counts) AS n)
         OR EXISTS (SELECT FROM unnest(p_event_counts) AS n WHERE n IS NULL OR n < 1) THEN
        RAISE EXCEPTION 'append_batch: % events for event counts %', cardinality(p_event_ids), p_event_counts;
      END IF;
      SELECT coalesce(array_agg(event_id), '{}') INTO v_stored FROM events WHERE event_id = ANY (p_event_ids);

      FOR i IN 1..v_appends LOOP
        v_last := v_first + p_event_counts[i] - 1;
        v_ids := p_event_ids[v_first:v_last];
        IF (v_ids && v_stored) OR (v_ids && v_claimed) THEN
          v_answers[i] := -1;
        ELSE
          IF p_head_revisions[i] = -1 THEN
            INSERT INTO streams (stream_id, revision, last_hash)
            VALUES (p_stream_ids[i], p_event_counts[i] - 1, p_hashes[v_last])
            ON CONFLICT (stream_id) DO NOTHING;
          ELSE
            UPDATE streams SET revision = p_head_revisions[i] + p_event_counts[i], last_hash = p_hashes[v_last]
            WHERE stream_id = p_stream_ids[i] AND revision = p_head_revisions[i];
          END IF;
          IF FOUND THEN
            v_claimed := v_claimed || v_ids;
            FOR j IN v_first..v_last LOOP
              v_sources := v_sources || j;
              v_owners := v_owners || i;
              v_revisions := v_revisions || (p_head_revisions[i] + 1 + j - v_first);
            END LOOP;
          END IF;
        END IF;
        v_first := v_last + 1;
      END LOOP;

      IF cardinality(v_sources) = 0 THEN
        RETURN v_answers;
      END IF;

      -- Held to the end of the commit, as in append_events. 1162038864 is 'ECFP'.
      PERFORM pg_advisory_xact_lock(1162038864, hashtext(current_schema()));
      SELECT array_agg(allocated ORDER BY allocated) INTO v_positions
      FROM (SELECT nextval('events_position_seq') AS allocated FROM generate_series(1, cardinality(v_sources))) AS allocation;

      INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash)
      SELECT v_positions[k], p_stream_ids[v_owners[k]], v_revisions[k], p_event_ids[v_sources[k]], p_types[v_sources[k]],
             p_data[v_sources[k]], p_metadata[v_sources[k]], p_schema_versions[v_sources[k]], p_recorded_ats[v_owners[k]],
             p_hashes[v_sources[k]]
      FROM generate_subscripts(v_sources, 1) AS k;

      -- An append's events are consecutive in k, so its last one's position is the highest of its own.
      FOR k IN 1..cardinality(v_sources) LOOP
        v_answers[v_owners[k]] := v_positions[k];
      END LOOP;

      -- Delivered at commit, so a listener never reads before the events are visible.
      PERFORM pg_notify('ecf_appended_' || current_schema(), v_positions[cardinality(v_positions)]::TEXT);
      RETURN v_answers;
    END;
    $$;
  `,
};
