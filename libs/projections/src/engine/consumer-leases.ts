import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ReadModelDatabase, SqlDialect, SqlSession } from '../read-models/sql-database';

export const CONSUMER_LEASES_TABLE = 'consumer_leases';

const schema = `CREATE TABLE IF NOT EXISTS ${CONSUMER_LEASES_TABLE} (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  expires_at BIGINT NOT NULL
)`;

/** The database's own clock in epoch milliseconds: every host compares lease times against one clock. */
const NOW_MS: Record<SqlDialect, string> = {
  sqlite: `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`,
  postgres: `CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)`,
};

/** A consumer's batch found that another process holds its lease now: this process must stop writing for it. */
export class LeaseLostError extends Error {
  constructor(
    readonly consumer: string,
    readonly owner: string,
  ) {
    super(`The lease of ${consumer} is no longer held by ${owner}; another process owns it now`);
    this.name = 'LeaseLostError';
  }
}

export const isLeaseLost = (error: unknown): error is LeaseLostError => error instanceof LeaseLostError;

/** A lease owner's name: host, process id and a random part (a restarted process with a recycled pid is still another owner). */
export const leaseOwnerId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** True when `owner` names a process of this host that no longer exists (killed, crashed). */
export function isDeadLocalOwner(owner: string): boolean {
  const [ownerHost, pid] = owner.split(':');
  if (ownerHost !== hostname() || !/^\d+$/.test(pid ?? '')) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface ConsumerLeaseOptions {
  /**
   * Take a lease at once from an owner that was a process of this host and is gone, instead of waiting
   * for the lease to expire. Only where every owner runs on one host by construction (the embedded
   * SQLite read models, one DATA_DIR): process ids are not comparable across hosts or containers.
   */
  readonly takeOverDeadLocalOwners?: boolean;
}

/** PostgreSQL's lock_not_available: a standby's takeover gave up waiting for a batch the owner holds open. */
const LOCK_NOT_AVAILABLE = '55P03';

export interface Lease {
  readonly name: string;
  readonly owner: string;
  readonly epoch: number;
  readonly expiresAt: number;
}

/**
 * One owner per consumer (projection or policy) across every projector process and host, as a lease
 * row in the read-model database: taken when free or expired, renewed by its owner's heartbeat, and
 * taken over by a standby once it expires. Each takeover raises the epoch, and every batch a consumer
 * commits first checks (and locks) its lease row in the batch's own transaction (`fence`), so an owner
 * that hung past its lease and wakes up cannot commit a single batch after losing it.
 */
export class ConsumerLeases {
  constructor(
    private readonly db: ReadModelDatabase,
    readonly owner: string,
    readonly ttlMs: number,
    private readonly options: ConsumerLeaseOptions = {},
  ) {}

  /** How often the owner renews a lease, and a standby tries to take one: a third of its length. */
  get heartbeatMs(): number {
    return Math.max(50, Math.floor(this.ttlMs / 3));
  }

  async ensureSchema(): Promise<void> {
    await this.db.exec(schema);
  }

  private get now(): string {
    return NOW_MS[this.db.dialect];
  }

  /**
   * Takes the lease if it is free, expired or already this owner's; resolves with the epoch held, or
   * null. On PostgreSQL it waits at most a second for a batch the owner has open (the batch's fence
   * locks the row): a hung owner's open transaction is ended by the server's
   * idle_in_transaction_session_timeout, and the next attempt takes the lease.
   */
  async tryAcquire(name: string): Promise<number | null> {
    if (this.options.takeOverDeadLocalOwners) await this.expireIfOwnerDead(name);
    try {
      const row = await this.db.transaction(async (session) => {
        if (this.db.dialect === 'postgres') await session.run(`SET LOCAL lock_timeout = '1s'`);
        await session.run(
          `INSERT INTO ${CONSUMER_LEASES_TABLE} (name, owner, epoch, expires_at) VALUES (?, ?, 1, ${this.now} + ?)
           ON CONFLICT (name) DO UPDATE SET
             epoch = CASE WHEN ${CONSUMER_LEASES_TABLE}.owner = excluded.owner THEN ${CONSUMER_LEASES_TABLE}.epoch ELSE ${CONSUMER_LEASES_TABLE}.epoch + 1 END,
             owner = excluded.owner,
             expires_at = excluded.expires_at
           WHERE ${CONSUMER_LEASES_TABLE}.owner = excluded.owner OR ${CONSUMER_LEASES_TABLE}.expires_at < ${this.now}`,
          [name, this.owner, this.ttlMs],
        );
        return session.get<{ owner: string; epoch: number }>(`SELECT owner, epoch FROM ${CONSUMER_LEASES_TABLE} WHERE name = ?`, [name]);
      });
      return row?.owner === this.owner ? Number(row.epoch) : null;
    } catch (error) {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return null;
      throw error;
    }
  }

  /** Ends the lease of an owner that was a process of this host and has died (compare-and-set on its epoch). */
  private async expireIfOwnerDead(name: string): Promise<void> {
    const row = await this.db.get<{ owner: string; epoch: number }>(`SELECT owner, epoch FROM ${CONSUMER_LEASES_TABLE} WHERE name = ?`, [name]);
    if (!row || row.owner === this.owner || !isDeadLocalOwner(row.owner)) return;
    await this.db.run(`UPDATE ${CONSUMER_LEASES_TABLE} SET expires_at = 0 WHERE name = ? AND owner = ? AND epoch = ?`, [name, row.owner, row.epoch]);
  }

  /** Outside a transaction: throws LeaseLostError unless this owner still holds the epoch. */
  async assertHeld(name: string, epoch: number): Promise<void> {
    const row = await this.db.get<{ owner: string; epoch: number }>(`SELECT owner, epoch FROM ${CONSUMER_LEASES_TABLE} WHERE name = ?`, [name]);
    if (row?.owner !== this.owner || Number(row.epoch) !== epoch) throw new LeaseLostError(name, this.owner);
  }

  /** The heartbeat: extends the lease; false when another process has taken it over. */
  async renew(name: string, epoch: number): Promise<boolean> {
    const renewed = await this.db.run(`UPDATE ${CONSUMER_LEASES_TABLE} SET expires_at = ${this.now} + ? WHERE name = ? AND owner = ? AND epoch = ?`, [
      this.ttlMs,
      name,
      this.owner,
      epoch,
    ]);
    return renewed === 1;
  }

  /**
   * In a consumer's batch transaction, before its writes: throws LeaseLostError (rolling the batch back)
   * unless this owner still holds the epoch. The check is a write, so it locks the row to the end of the
   * transaction: a takeover waits for the batch to commit, and a batch cannot commit after a takeover.
   */
  async fence(session: SqlSession, name: string, epoch: number): Promise<void> {
    const held = await session.run(`UPDATE ${CONSUMER_LEASES_TABLE} SET epoch = epoch WHERE name = ? AND owner = ? AND epoch = ?`, [name, this.owner, epoch]);
    if (held !== 1) throw new LeaseLostError(name, this.owner);
  }

  /** Gives the lease up at once (a clean stop), so a standby need not wait for it to expire. */
  async release(name: string, epoch: number): Promise<void> {
    await this.db.run(`UPDATE ${CONSUMER_LEASES_TABLE} SET expires_at = 0 WHERE name = ? AND owner = ? AND epoch = ?`, [name, this.owner, epoch]);
  }

  async all(): Promise<Lease[]> {
    const rows = await this.db.all<{ name: string; owner: string; epoch: number; expires_at: number }>(`SELECT * FROM ${CONSUMER_LEASES_TABLE} ORDER BY name`);
    return rows.map((row) => ({ name: row.name, owner: row.owner, epoch: Number(row.epoch), expiresAt: Number(row.expires_at) }));
  }
}
