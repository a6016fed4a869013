import { Checkpoint, CheckpointStatus } from './checkpoints';

/** How far behind the log a consumer may be and still count as ready. */
export interface ReadinessBounds {
  /** Positions behind the head; null where positions are not event counts (EventStoreDB commit positions). */
  readonly maxLagPositions: number | null;
  /** Age of the oldest event not yet handled. */
  readonly maxLagSeconds: number;
}

/** A checkpoint with its lag, or without it when the event store did not answer. */
export interface CheckpointWithLag extends Checkpoint {
  readonly lagPositions: number | null;
  readonly lagSeconds: number | null;
}

export interface ConsumerReadiness {
  readonly name: string;
  readonly ready: boolean;
  /** Why the consumer is not ready; when ready, a note (a rebuild beside a frozen read model), else null. */
  readonly reason: string | null;
  /** The serving (live) generation's status; `missing` when the consumer has no checkpoint at all. */
  readonly status: CheckpointStatus | 'missing';
  readonly generation: number | null;
  readonly position: number | null;
  readonly lagPositions: number | null;
  readonly lagSeconds: number | null;
  readonly lastError: string | null;
  /** A generation being built beside the live one. */
  readonly building: { readonly generation: number; readonly status: CheckpointStatus; readonly position: number; readonly lastError: string | null } | null;
}

/**
 * Judges each consumer by its live generation, the one queries read: not ready when failed, stopped,
 * missing (never started) or lagging beyond the bounds. Two exceptions, both by design: a building
 * generation never counts against readiness (the live one still answers), and a live generation left
 * frozen by a version change while the new version builds beside it is ready (that is the zero-downtime
 * rebuild: the old tables answer until the swap); a building generation that fails lifts that exception.
 */
export function judgeConsumers(checkpoints: readonly CheckpointWithLag[], expected: readonly string[], bounds: ReadinessBounds): ConsumerReadiness[] {
  const names = [...new Set([...expected, ...checkpoints.map((checkpoint) => checkpoint.name)])].sort();
  return names.map((name) => {
    const live = checkpoints.find((checkpoint) => checkpoint.name === name && checkpoint.role === 'live');
    const building = checkpoints.find((checkpoint) => checkpoint.name === name && checkpoint.role === 'building');
    const buildingSummary = building ? { generation: building.generation, status: building.status, position: building.position, lastError: building.lastError } : null;
    if (!live) {
      return { name, ready: false, reason: 'no checkpoint: it has never run (is a projector running?)', status: 'missing', generation: null, position: null, lagPositions: null, lagSeconds: null, lastError: null, building: buildingSummary };
    }
    const judged = (ready: boolean, reason: string | null): ConsumerReadiness => ({
      name,
      ready,
      reason,
      status: live.status,
      generation: live.generation,
      position: live.position,
      lagPositions: live.lagPositions,
      lagSeconds: live.lagSeconds,
      lastError: live.lastError,
      building: buildingSummary,
    });
    if (building && building.status === 'running' && building.version !== live.version) {
      return judged(true, `version ${live.version} answers, frozen, while generation ${building.generation} (version ${building.version}) builds beside it`);
    }
    if (live.status === 'failed') return judged(false, `failed: ${live.lastError ?? 'no error recorded'}`);
    if (live.status === 'stopped') return judged(false, 'stopped: no process is running it');
    if (bounds.maxLagPositions !== null && live.lagPositions !== null && live.lagPositions > bounds.maxLagPositions) {
      return judged(false, `${live.lagPositions} positions behind the head (READINESS_MAX_LAG_EVENTS=${bounds.maxLagPositions})`);
    }
    if (live.lagSeconds !== null && live.lagSeconds > bounds.maxLagSeconds) {
      return judged(false, `the oldest event it has not handled has waited ${live.lagSeconds} s (READINESS_MAX_LAG_SECONDS=${bounds.maxLagSeconds})`);
    }
    return judged(true, null);
  });
}
