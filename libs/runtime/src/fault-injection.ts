/**
 * Crash tests kill a worker at a named point with `ECF_FAULT_INJECTION=<point>` (one point, once per
 * process). Points: `policy-before-command`, `policy-after-command`. Unset in production; an unknown
 * value stops the process at start rather than silently testing nothing.
 */
export const FAULT_POINTS = ['policy-before-command', 'policy-after-command'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** The policy runner's hooks (PolicyFaultHooks), armed from the environment: SIGKILL, like a power cut, at the armed point. */
export interface PolicyFaultHooksFromEnv {
  beforeCommand(): void;
  afterCommand(): void;
}

export function policyFaultHooksFromEnv(env: NodeJS.ProcessEnv = process.env): PolicyFaultHooksFromEnv {
  const armed = env.ECF_FAULT_INJECTION;
  if (armed !== undefined && armed !== '' && !(FAULT_POINTS as readonly string[]).includes(armed)) {
    throw new Error(`ECF_FAULT_INJECTION must be one of ${FAULT_POINTS.join(', ')}; got ${armed}`);
  }
  const at = (point: FaultPoint) => () => {
    if (point === armed) process.kill(process.pid, 'SIGKILL');
  };
  return { beforeCommand: at('policy-before-command'), afterCommand: at('policy-after-command') };
}
