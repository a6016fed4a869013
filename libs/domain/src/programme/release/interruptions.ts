import { isAfter, isBefore } from '../../shared/calendar';
import { ProgrammeTimeline } from '../timeline/programme-timeline';

/** A period in which content is not released on its plan. */
interface Period {
  readonly start: string;
  /** Null while it is still open. */
  readonly end: string | null;
  /** True when it ended with a resume, return or reinstatement; false when a deferral or withdrawal took over from it. */
  readonly endsInRelease: boolean;
}

/** A pause or deferral has an expected resume or return date, to project held content; a withdrawal has none. */
export type Interruption = (Period & { readonly kind: 'pause' | 'deferral'; readonly expectedEnd: string }) | (Period & { readonly kind: 'withdrawal'; readonly expectedEnd: null });

/**
 * The participant's pauses, deferrals and withdrawals in date order. A back-dated withdrawal can end a
 * pause or deferral on or before the day it began; such a period held nothing and is left out.
 */
export function interruptionsOf(timeline: ProgrammeTimeline): Interruption[] {
  const all: Interruption[] = [
    ...timeline.pauses.map((pause) => ({
      kind: 'pause' as const,
      start: pause.startDate,
      end: pause.endDate,
      endsInRelease: pause.endedBy === 'resume',
      expectedEnd: pause.expectedResumeDate,
    })),
    ...timeline.deferrals.map((deferral) => ({
      kind: 'deferral' as const,
      start: deferral.deferralDate,
      end: deferral.endDate,
      endsInRelease: deferral.endedBy === 'return',
      expectedEnd: deferral.expectedReturnDate,
    })),
    ...timeline.withdrawals.map((withdrawal) => ({
      kind: 'withdrawal' as const,
      start: withdrawal.withdrawalDate,
      end: withdrawal.reinstatedOn,
      endsInRelease: withdrawal.reinstatedOn !== null,
      expectedEnd: null,
    })),
  ];
  return all
    .filter((interruption) => interruption.end === null || isAfter(interruption.end, interruption.start))
    .sort((a, b) => (isBefore(a.start, b.start) ? -1 : isAfter(a.start, b.start) ? 1 : 0));
}
