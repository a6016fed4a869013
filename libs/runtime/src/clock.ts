import { DecisionContext, londonDateOf, ProgrammeData } from '@ecf/domain';

/** The one place the wall clock is read; tests and replays pass their own. */
export type Clock = () => string;
export const systemClock: Clock = () => new Date().toISOString();

export function decisionContextFactory(clock: Clock, programme: ProgrammeData): () => DecisionContext {
  return () => {
    const now = clock();
    return { now, today: londonDateOf(now), programme };
  };
}
