import type { Pool } from 'pg';

/** A PostgreSQL pool's connections now, for the metrics (`ecf_pg_pool_*`). */
export interface PoolUsage {
  /** What the pool serves: `event-store`, `read-models`. */
  readonly pool: string;
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection: above 0 for long, the pool is too small. */
  readonly waiting: number;
  readonly max: number;
}

const watched = new Set<{ readonly name: string; readonly pool: Pool }>();

/** Reports `pool` in poolUsage() until it is ended. The adapters call this for each pool they open. */
export function watchPool(name: string, pool: Pool): void {
  watched.add({ name, pool });
}

/** The open pools of this process (several of one name add up: a process may open a store twice). */
export function poolUsage(): PoolUsage[] {
  const usage = new Map<string, PoolUsage>();
  for (const entry of watched) {
    if (entry.pool.ended) {
      watched.delete(entry);
      continue;
    }
    const { totalCount, idleCount, waitingCount, options } = entry.pool;
    const earlier = usage.get(entry.name);
    usage.set(entry.name, {
      pool: entry.name,
      total: (earlier?.total ?? 0) + totalCount,
      idle: (earlier?.idle ?? 0) + idleCount,
      waiting: (earlier?.waiting ?? 0) + waitingCount,
      max: (earlier?.max ?? 0) + (options.max ?? 10),
    });
  }
  return [...usage.values()];
}
