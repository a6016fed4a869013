import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One measured run of one route on one server: the interval of the CPU profile it covers. Times are
 * CLOCK_MONOTONIC microseconds, the clock of `process.hrtime` and of V8's profile timestamps, so the window
 * cuts the server's profile (bench/profile-budget.ts) without any offset.
 */
export interface ProfileWindow {
  /** The server's profile folder under the profile directory, e.g. `api` or `bare-fastify`. */
  readonly server: string;
  readonly route: string;
  readonly startUs: number;
  readonly endUs: number;
  readonly responses: number;
}

export const monotonicMicroseconds = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * `--cpu-prof DIR`: every server of the run writes its V8 CPU profile into DIR/<server>/, and each measured
 * window is listed in DIR/windows.json (rewritten after each, so a run that fails half way keeps what it measured).
 */
export class ProfileRecorder {
  private readonly windows: ProfileWindow[] = [];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  nodeArgs(server: string): string[] {
    return ['--cpu-prof', `--cpu-prof-dir=${join(this.dir, server)}`];
  }

  record(window: ProfileWindow): void {
    this.windows.push(window);
    writeFileSync(join(this.dir, 'windows.json'), `${JSON.stringify(this.windows, null, 2)}\n`);
  }
}
