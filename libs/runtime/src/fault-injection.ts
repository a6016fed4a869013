/**
 * Crash tests kill a worker at a named point with `ECF_FAULT_INJECTION=<point>` (one point, once per
 * process). Points: `policy-before-command`, `policy-after-command`. Unset in production; an unknown
 * value stops the process at start rather than silently testing nothing.
 */
export const FAULT_POINTS = ['policy-before-command', 'policy-after-command'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export interface FaultInjector {
  /** Kills this process with SIGKILL (no cleanup, like a power cut) when `point` is the armed one. */
  at(point: FaultPoint): void;
}

export function faultInjectorFromEnv(env: NodeJS.ProcessEnv = process.env): FaultInjector {
  const armed = env.ECF_FAULT_INJECTION;
  if (armed === undefined || armed === '') return { at: () => undefined };
  if (!(FAULT_POINTS as readonly string[]).includes(armed)) {
    throw new Error(`ECF_FAULT_INJECTION must be one of ${FAULT_POINTS.join(', ')}; got ${armed}`);
  }
  return {
    at(point) {
      if (point === armed) process.kill(process.pid, 'SIGKILL');
    },
  };
}
