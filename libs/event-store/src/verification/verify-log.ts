import { createHash } from 'node:crypto';
import { EventStore, RecordedEvent } from '../event-store.port';
import { computeEventHash, GENESIS_HASH } from '../hash-chain';

/** One thing wrong with the stored log, named by stream and revision so an auditor can find it. */
export interface LogFinding {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly problem: 'hash-mismatch' | 'revision-gap' | 'schema-violation' | 'anchor-mismatch';
  readonly detail: string;
}

/**
 * A digest of the whole log up to a position: sha256 over every event hash in `$all` order. Kept by an
 * auditor, it exposes what the per-stream chains cannot — a stream's newest events removed, or a
 * stream's whole chain rewritten consistently.
 */
export interface LogAnchor {
  readonly position: number;
  readonly events: number;
  readonly hash: string;
  readonly createdAt: string;
}

export interface VerifyLogOptions {
  /** Schema check of one event's data; returns the violations (empty when valid). */
  readonly validate?: (type: string, schemaVersion: number, data: unknown) => string[];
  /** A previously exported anchor: the log up to its position must digest to its hash. */
  readonly anchor?: LogAnchor;
  readonly batchSize?: number;
  readonly onProgress?: (position: number) => void;
  readonly now?: () => string;
}

export interface LogVerification {
  readonly eventsChecked: number;
  readonly streams: number;
  readonly findings: LogFinding[];
  /** The anchor of the log as verified now (export it to check against later). */
  readonly anchor: LogAnchor;
}

/**
 * Walks `$all` once, following every stream's chain as its events come by: each event must be the
 * next revision of its stream and hash to its stored hash over the previous one, and its data must
 * match the JSON Schema of its version. Works on any adapter, through the port only.
 */
export async function verifyLog(store: EventStore, options: VerifyLogOptions = {}): Promise<LogVerification> {
  const batchSize = options.batchSize ?? 1000;
  const heads = new Map<string, { revision: number; hash: string }>();
  const findings: LogFinding[] = [];
  const digest = createHash('sha256');
  let anchorDigest: string | null = null;
  let eventsChecked = 0;
  let position = 0;

  const finding = (event: RecordedEvent, problem: LogFinding['problem'], detail: string) =>
    findings.push({ streamId: event.streamId, revision: event.revision, position: event.position, problem, detail });

  for (;;) {
    const batch = await store.readAll({ after: position, maxCount: batchSize });
    if (batch.length === 0) break;
    for (const event of batch) {
      const head = heads.get(event.streamId) ?? { revision: -1, hash: GENESIS_HASH };
      if (event.revision !== head.revision + 1) {
        finding(event, 'revision-gap', `expected revision ${head.revision + 1} of ${event.streamId}, found ${event.revision}: an event was removed or reordered`);
      }
      const recomputed = computeEventHash(head.hash, event);
      if (recomputed !== event.hash) finding(event, 'hash-mismatch', `stored hash ${event.hash.slice(0, 12)}…, recomputed ${recomputed.slice(0, 12)}…: the event or one before it was altered`);
      const violations = options.validate?.(event.type, event.metadata.schemaVersion, event.data) ?? [];
      if (violations.length > 0) finding(event, 'schema-violation', violations.join('; '));
      // Follow the stored chain from here on, so one altered event is reported once, not for every later one.
      heads.set(event.streamId, { revision: event.revision, hash: event.hash });
      digest.update(event.hash);
      eventsChecked += 1;
      position = event.position;
      if (options.anchor && position === options.anchor.position) anchorDigest = digest.copy().digest('hex');
    }
    options.onProgress?.(position);
  }

  if (options.anchor) {
    const { anchor } = options;
    if (anchorDigest === null || anchorDigest !== anchor.hash) {
      findings.push({
        streamId: '$all',
        revision: -1,
        position: anchor.position,
        problem: 'anchor-mismatch',
        detail:
          anchorDigest === null
            ? `the log no longer has an event at position ${anchor.position}: events up to the anchor were removed`
            : `the log up to position ${anchor.position} does not digest to the anchor's hash: events before it were altered, removed or rewritten`,
      });
    }
  }

  return {
    eventsChecked,
    streams: heads.size,
    findings,
    anchor: { position, events: eventsChecked, hash: digest.digest('hex'), createdAt: (options.now ?? (() => new Date().toISOString()))() },
  };
}
