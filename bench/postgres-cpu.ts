import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { round } from './support';

/**
 * CPU time of one measured phase, split by process: this Node process, the PostgreSQL backends serving
 * the bench's database, PostgreSQL's shared background processes, and everything else on the machine.
 * So a figure shows whether the phase was bound by CPU, and whose.
 */

/**
 * CPU time (ms, user + system) a process has used so far, or null once it is gone. From
 * /proc/<pid>/schedstat (nanoseconds on the CPU, exact), else /proc/<pid>/stat (utime + stime in clock
 * ticks: 10 ms steps, too coarse for a 16-backend sum over a phase of a second).
 */
export function processCpuMs(pid: number): number | null {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return null;
    }
  }
}

/** CPU time (ms) every core of the machine has spent busy so far (not idle, not waiting on I/O), from /proc/stat. */
function machineBusyMs(): number | null {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return null;
  }
}

const sumOver = (pids: Iterable<number>, at: ReadonlyMap<number, number>): number => [...pids].reduce((sum, pid) => sum + (at.get(pid) ?? 0), 0);

interface Snapshot {
  readonly node: NodeJS.CpuUsage;
  readonly backends: ReadonlyMap<number, number>;
  readonly background: ReadonlyMap<number, number>;
  readonly machineBusyMs: number | null;
}

/** One phase's CPU, in ms over the whole phase. */
export interface PhaseCpu {
  readonly nodeMs: number;
  /** The client backends connected to the bench's database: the server's work for the bench's connections. */
  readonly serverBackendsMs: number;
  /** PostgreSQL's shared processes (WAL writer, checkpointer, background writer, autovacuum): the server's, not the bench's alone. */
  readonly serverBackgroundMs: number;
  /** Every other process on the machine (neighbours), when /proc/stat can be read. */
  readonly otherProcessesMs: number | null;
}

/**
 * Measures phases against one database of a PostgreSQL server on this machine. Backends are found in
 * pg_stat_activity (by the database's name) at the start and at the end of a phase, through a connection
 * to another database, so the meter's own backend is not counted among them. A backend that ends during
 * a phase loses its CPU from the figure (the pools here keep theirs open).
 */
export class PostgresCpuMeter {
  private constructor(
    private readonly monitor: Client,
    private readonly database: string,
  ) {}

  /** `monitorUrl` must name another database than `database` on the same server. */
  static async open(monitorUrl: string, database: string): Promise<PostgresCpuMeter> {
    const monitor = new Client({ connectionString: monitorUrl });
    await monitor.connect();
    return new PostgresCpuMeter(monitor, database);
  }

  /** Starts a phase; the function returned ends it and gives the phase's CPU. */
  async start(): Promise<() => Promise<PhaseCpu>> {
    const before = await this.snapshot();
    return async () => {
      const after = await this.snapshot();
      const nodeMs = (after.node.user - before.node.user + after.node.system - before.node.system) / 1000;
      // A backend first seen at the end started during the phase, at zero.
      const serverBackendsMs = sumOver(after.backends.keys(), after.backends) - sumOver(after.backends.keys(), before.backends);
      const serverBackgroundMs = sumOver(after.background.keys(), after.background) - sumOver(after.background.keys(), before.background);
      const machineMs = after.machineBusyMs !== null && before.machineBusyMs !== null ? after.machineBusyMs - before.machineBusyMs : null;
      return { nodeMs, serverBackendsMs, serverBackgroundMs, otherProcessesMs: machineMs === null ? null : Math.max(0, machineMs - nodeMs - serverBackendsMs - serverBackgroundMs) };
    };
  }

  async close(): Promise<void> {
    await this.monitor.end();
  }

  private async snapshot(): Promise<Snapshot> {
    const { rows } = await this.monitor.query<{ pid: number; serving: boolean }>(
      `SELECT pid, datname IS NOT DISTINCT FROM $1 AND backend_type = 'client backend' AS serving FROM pg_stat_activity
       WHERE (datname = $1 AND backend_type = 'client backend') OR backend_type IN ('walwriter', 'checkpointer', 'background writer', 'autovacuum launcher', 'autovacuum worker')`,
      [this.database],
    );
    const node = process.cpuUsage();
    const backends = new Map<number, number>();
    const background = new Map<number, number>();
    for (const { pid, serving } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== null) (serving ? backends : background).set(pid, ms);
    }
    return { node, backends, background, machineBusyMs: machineBusyMs() };
  }
}

/**
 * A phase's CPU per operation, and the rate the machine's cores could sustain at that cost
 * (`cores / (node + server ms per op)`) beside the measured rate. `neighbourCores` is how many cores
 * every other process used on average meanwhile and `idleCores` how many were left idle: with idle
 * cores and a measured rate well below the bound, something other than CPU held the phase back (a
 * lock, a flush); with no idle core, the phase and its neighbours shared out all the CPU there was.
 */
export function cpuPerOperation(cpu: PhaseCpu, operations: number, seconds: number) {
  const cores = cpus().length;
  const per = (ms: number) => round(ms / operations, 3);
  const ourMs = cpu.nodeMs + cpu.serverBackendsMs + cpu.serverBackgroundMs;
  const cpuMsPerOp = ourMs / operations;
  const neighbourCores = cpu.otherProcessesMs === null ? null : cpu.otherProcessesMs / 1000 / seconds;
  return {
    nodeMsPerOp: per(cpu.nodeMs),
    serverBackendsMsPerOp: per(cpu.serverBackendsMs),
    serverBackgroundMsPerOp: per(cpu.serverBackgroundMs),
    cpuMsPerOp: round(cpuMsPerOp, 3),
    measuredPerSecond: round(operations / seconds),
    cpuBoundPerSecond: round((cores * 1000) / cpuMsPerOp),
    neighbourCores: neighbourCores === null ? null : round(neighbourCores, 2),
    idleCores: neighbourCores === null ? null : round(Math.max(0, cores - neighbourCores - ourMs / 1000 / seconds), 2),
  };
}
