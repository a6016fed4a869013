import { Instant, ZonedDateTime, ZoneId } from '@js-joda/core';
import '@js-joda/timezone';
import { DecisionContext, londonDateOf, ProgrammeData } from '@ecf/domain';
import type { AppConfig } from './config';
import { loadProgrammeData } from './programme-data';

/** The one place the wall clock is read; tests and replays pass their own. */
export type Clock = () => string;
export const systemClock: Clock = () => new Date().toISOString();

export function decisionContextFactory(clock: Clock, programme: ProgrammeData): () => DecisionContext {
  return () => {
    const now = clock();
    return { now, today: londonDateOf(now), programme };
  };
}

/** What every process decides with: the system clock, shifted by DECISION_CLOCK_OFFSET_DAYS, and the programme data. */
export function configuredDecisionContext(
  config: Pick<AppConfig, 'decisionClockOffsetDays' | 'programmeFile'>,
  programme: ProgrammeData = loadProgrammeData(config.programmeFile),
): () => DecisionContext {
  return decisionContextFactory(offsetClock(systemClock, config.decisionClockOffsetDays), programme);
}

/** The system clock shifted by whole days (DECISION_CLOCK_OFFSET_DAYS); the identity when 0. */
export function offsetClock(clock: Clock, days: number): Clock {
  if (days === 0) return clock;
  // Whole days on England's calendar: 24-hour steps across a clock change land on the neighbouring date late at night.
  return () => ZonedDateTime.ofInstant(Instant.parse(clock()), ZoneId.of('Europe/London')).plusDays(days).toInstant().toString();
}
