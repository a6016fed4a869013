import { PostgresMigration } from './migration';

/**
 * The log, the per-stream heads and the append function.
 *
 * `data` and `metadata` are TEXT holding the JSON exactly as the adapter wrote it: jsonb would refuse
 * a \u0000 the application can produce, and what is read back must be what was hashed. Cast to jsonb
 * for ad hoc queries.
 *
 * `position` comes from a sequence that only the append function draws from, and only while it holds
 * a transaction-scoped advisory lock. PostgreSQL makes a transaction visible before it releases its
 * locks, so each append's positions are visible before the next append can draw any: a reader that
 * sees position P already sees every lower position that will ever exist. A rolled-back append leaves
 * a hole no one will fill, which readers skip harmlessly. See docs/adr/0008-postgres-global-position.md.
 *
 * `append_events` runs as one autocommitted statement, so the lock covers the insert and the commit
 * but no network round trip. It moves the stream head first, from the head the caller computed its
 * hashes on, and returns NULL when another append moved it meanwhile; the caller reads again. Its
 * search_path is pinned to the schema it was created in.
 */
export const initialMigration: PostgresMigration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE streams (
      stream_id TEXT PRIMARY KEY,
      revision INTEGER NOT NULL,
      last_hash TEXT NOT NULL
    );

    CREATE TABLE events (
      position BIGINT PRIMARY KEY,
      stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      event_id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      metadata TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      recorded_at TIMESTAMPTZ NOT NULL,
      hash TEXT NOT NULL,
      UNIQUE (stream_id, revision)
    );

    CREATE SEQUENCE events_position_seq AS BIGINT OWNED BY events.position;

    -- Replaying one event type (projection rebuilds, upcaster checks) without scanning the whole log.
    CREATE INDEX events_type_position ON events (type, position);
    -- Audit questions on the recorded axis ("what did we learn between X and Y").
    CREATE INDEX events_recorded_at ON events (recorded_at);

    CREATE FUNCTION append_events(
      p_stream_id TEXT,
      p_head_revision INTEGER,
      p_event_ids TEXT[],
      p_types TEXT[],
      p_data TEXT[],
      p_metadata TEXT[],
      p_schema_versions INTEGER[],
      p_recorded_at TIMESTAMPTZ,
      p_hashes TEXT[]
    ) RETURNS BIGINT
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
    DECLARE
      v_count INTEGER := cardinality(p_event_ids);
      v_positions BIGINT[];
    BEGIN
      -- The stream row stays locked until commit: a concurrent appender to this stream waits here,
      -- then finds the head moved.
      IF p_head_revision = -1 THEN
        INSERT INTO streams (stream_id, revision, last_hash)
        VALUES (p_stream_id, v_count - 1, p_hashes[v_count])
        ON CONFLICT (stream_id) DO NOTHING;
      ELSE
        UPDATE streams SET revision = p_head_revision + v_count, last_hash = p_hashes[v_count]
        WHERE stream_id = p_stream_id AND revision = p_head_revision;
      END IF;
      IF NOT FOUND THEN
        RETURN NULL;
      END IF;

      -- Held to the end of the commit. 1162038864 is 'ECFP'.
      PERFORM pg_advisory_xact_lock(1162038864, hashtext(current_schema()));
      -- Sorted, so the batch's positions follow its revisions whatever order nextval ran in.
      SELECT array_agg(allocated ORDER BY allocated) INTO v_positions
      FROM (SELECT nextval('events_position_seq') AS allocated FROM generate_series(1, v_count)) AS allocation;

      INSERT INTO events (position, stream_id, revision, event_id, type, data, metadata, schema_version, recorded_at, hash)
      SELECT v_positions[i], p_stream_id, p_head_revision + i, p_event_ids[i], p_types[i], p_data[i], p_metadata[i],
             p_schema_versions[i], p_recorded_at, p_hashes[i]
      FROM generate_subscripts(p_event_ids, 1) AS i;

      -- Delivered at commit, so a listener never reads before the events are visible.
      PERFORM pg_notify('ecf_appended_' || current_schema(), v_positions[v_count]::TEXT);
      RETURN v_positions[v_count];
    END;
    $$;
  `,
};
